package ferry.format.pgp;

import java.time.Instant;

/**
 * The outcome of checking one detached signature.
 *
 * @param status      what was found
 * @param fingerprint for {@link Status#VALID} and {@link Status#INVALID} with a known key: the signer's
 *                    primary-key fingerprint (40 upper-case hex); for {@link Status#UNKNOWN_KEY}: the
 *                    issuer fingerprint from the signature; {@code null} when the signature is malformed
 * @param userId      the signer's user id when the key is known, else {@code null}
 * @param signedAt    signature creation time when readable, else {@code null}
 * @param message     one line: why it is not valid, or "good signature" for valid ones
 */
public record SignatureCheck(Status status, String fingerprint, String userId, Instant signedAt, String message) {

    /** Kinds of outcome. */
    public enum Status {
        /** Cryptographically good, made by one of the given keys, meets ferry's algorithm rules. */
        VALID,
        /** Made (by its issuer field) by one of the given keys but does not verify or breaks a rule. */
        INVALID,
        /** Well-formed but made by a key that is not among the given keys. */
        UNKNOWN_KEY,
        /** Not a readable OpenPGP v4 detached signature in ferry's armored form. */
        MALFORMED
    }

    /** Whether {@link #status()} is {@link Status#VALID}. */
    public boolean valid() {
        return status == Status.VALID;
    }
}
