package ferry.format.trust;

import java.util.List;

/**
 * What the isolated side requires of a bundle beyond valid signatures, from the trust store's {@code policy.json}
 * (docs/bundle-format.md, "Trust store"). The verifier's trust gate is the only place that applies it.
 *
 * <p>On disk: {@code {"threshold": N, "maxSequenceJump": M, "requireExpiry": B}}; only {@code threshold} is required.
 *
 * @param threshold       distinct trusted signers a bundle needs, &ge; 1
 * @param maxSequenceJump largest step a bundle may move its channel's sequence number forward, &ge; 1 (default
 *                        {@value #DEFAULT_MAX_SEQUENCE_JUMP}); bounds a fast-forward by a key that signed a huge
 *                        sequence number. A channel's first bundle is not bounded.
 * @param requireExpiry   whether a bundle without {@code expiresAt} is refused (defends against an indefinite freeze:
 *                        a withheld old bundle that would otherwise verify for ever)
 */
public record TrustPolicy(int threshold, long maxSequenceJump, boolean requireExpiry) {
    /** Default {@link #maxSequenceJump}: a nightly export job skipped for almost three years. */
    public static final long DEFAULT_MAX_SEQUENCE_JUMP = 1000;
    /** The field names {@code policy.json} may hold. */
    public static final List<String> FIELDS = List.of("threshold", "maxSequenceJump", "requireExpiry");

    public TrustPolicy {
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be >= 1: " + threshold);
        }
        if (maxSequenceJump < 1) {
            throw new IllegalArgumentException("maxSequenceJump must be >= 1: " + maxSequenceJump);
        }
    }

    /** A policy with this threshold and the defaults otherwise (no expiry required). */
    public static TrustPolicy withThreshold(int threshold) {
        return new TrustPolicy(threshold, DEFAULT_MAX_SEQUENCE_JUMP, false);
    }
}
