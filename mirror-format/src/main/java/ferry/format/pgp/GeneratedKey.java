package ferry.format.pgp;

import java.time.Instant;

/**
 * A freshly generated key pair, in the armored forms to store.
 *
 * @param armoredSecretKey ASCII-armored secret key block (protected if a passphrase was given);
 *                         readable by {@link SigningKey#load} and {@code gpg --import}
 * @param armoredPublicKey ASCII-armored public key block, for trust stores ({@code keys/*.asc}) and gpgv
 * @param fingerprint      primary-key fingerprint, 40 upper-case hex digits
 * @param userId           the user id bound to the key
 * @param createdAt        key creation time (whole seconds)
 */
public record GeneratedKey(String armoredSecretKey, String armoredPublicKey, String fingerprint, String userId,
                           Instant createdAt) {
    @Override
    public String toString() {
        return "GeneratedKey[" + fingerprint + " " + userId + "]"; // never print the secret key
    }
}
