package ferry.importer;

import ferry.verifier.ChannelPolicy;

/**
 * A trusted bundle that may not land in its channel's history ({@link ChannelPolicy}): a replay, a missing base, a
 * reused bundle id, a sequence jump beyond the trust policy, or a channel reset that does not match. The store is
 * unchanged. {@link #verdict()} says which case it is.
 */
public final class BundleRefusedException extends ImporterException {
    private static final long serialVersionUID = 1L;

    private final ChannelPolicy.Verdict verdict;

    public BundleRefusedException(ChannelPolicy.Verdict verdict, String message) {
        super(message, null);
        this.verdict = verdict;
    }

    /** Why the bundle was refused. */
    public ChannelPolicy.Verdict verdict() {
        return verdict;
    }
}
