package ferry.verifier;

import java.time.Instant;

/**
 * A trusted key with a valid signature on the manifest.
 *
 * @param fingerprint primary-key fingerprint, 40 upper-case hex digits
 * @param userId      the key's first user id
 * @param file        bundle-relative signature file, e.g. {@code signatures/<FPR>.asc}
 * @param signedAt    signature creation time
 */
public record Signer(String fingerprint, String userId, String file, Instant signedAt) { }
