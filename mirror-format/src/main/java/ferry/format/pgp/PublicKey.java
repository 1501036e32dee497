package ferry.format.pgp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Iterator;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;

/**
 * A signer's OpenPGP v4 public key (the whole transferable key: primary key, user ids, subkeys).
 * Immutable. Equality is by primary-key fingerprint.
 */
public final class PublicKey {
    private final PGPPublicKeyRing ring;
    private final String fingerprint;
    private final String userId;

    PublicKey(PGPPublicKeyRing ring) {
        this.ring = ring;
        this.fingerprint = Fingerprints.of(ring.getPublicKey());
        Iterator<String> ids = ring.getPublicKey().getUserIDs();
        this.userId = ids.hasNext() ? ids.next() : "";
    }

    /** Primary-key fingerprint: 40 upper-case hex digits. */
    public String fingerprint() {
        return fingerprint;
    }

    /** First user id of the primary key, e.g. {@code "Ferry Export <export@example.org>"}; empty if none. */
    public String userId() {
        return userId;
    }

    /** Creation time of the primary key. */
    public Instant createdAt() {
        return ring.getPublicKey().getCreationTime().toInstant();
    }

    /** The key as an ASCII-armored public key block, importable by {@code gpg --import}. */
    public String armored() {
        try {
            return Armor.encode(Armor.PUBLIC_KEY, ring.getEncoded());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    PGPPublicKeyRing ring() {
        return ring;
    }

    /** The key (primary or subkey) with this fingerprint, or null. */
    PGPPublicKey find(byte[] fingerprint) {
        return ring.getPublicKey(fingerprint);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublicKey k && k.fingerprint.equals(fingerprint);
    }

    @Override
    public int hashCode() {
        return fingerprint.hashCode();
    }

    @Override
    public String toString() {
        return fingerprint + " " + userId;
    }
}
