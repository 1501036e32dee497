package ferry.store;

import ferry.verifier.ChannelPolicy;

/**
 * {@link Store#commitImport} refused a bundle because the trust gate's {@link ChannelPolicy}, asked inside the
 * commit transaction, did not accept where it would land in its channel's history; the store is unchanged.
 * {@link #verdict()} says which case it is ({@link ChannelPolicy.Verdict#ALREADY_IMPORTED} included).
 */
public final class ImportRefusedException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final transient ChannelPolicy.Verdict verdict;

    public ImportRefusedException(ChannelPolicy.Verdict verdict, String message) {
        super(message);
        this.verdict = verdict;
    }

    /** The policy's verdict (never ACCEPT or RESET). */
    public ChannelPolicy.Verdict verdict() {
        return verdict;
    }
}
