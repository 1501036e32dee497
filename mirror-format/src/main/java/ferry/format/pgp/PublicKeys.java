package ferry.format.pgp;

import ferry.format.Limits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;

/** Reads OpenPGP public keys (as exported by {@code gpg --export --armor} or {@link KeyGenerator}). */
public final class PublicKeys {
    private PublicKeys() { }

    /**
     * Loads one armored public key file.
     *
     * @param armored file holding exactly one ASCII-armored v4 public key (at most 1 MiB)
     * @throws KeyException naming the file: unreadable, too large, not armor, not exactly one key, not v4
     */
    public static PublicKey load(Path armored) throws KeyException {
        byte[] text = KeyFiles.read(armored, Limits.MAX_KEY_FILE_BYTES, "public key");
        try {
            return parse(text);
        } catch (KeyException e) {
            throw new KeyException(armored + ": " + e.getMessage(), e.getCause());
        }
    }

    /**
     * Parses one armored public key.
     *
     * @throws KeyException if the text is not exactly one v4 public key
     */
    public static PublicKey parse(String armored) throws KeyException {
        return parse(armored.getBytes(StandardCharsets.UTF_8));
    }

    private static PublicKey parse(byte[] text) throws KeyException {
        byte[] data = Armor.decode(Armor.PUBLIC_KEY, text, false);
        PGPPublicKeyRingCollection rings;
        try {
            rings = new PGPPublicKeyRingCollection(data, new BcKeyFingerprintCalculator());
        } catch (IOException | PGPException | RuntimeException e) {
            throw new KeyException("not an OpenPGP public key: " + e.getMessage(), e);
        }
        if (rings.size() != 1) {
            throw new KeyException("holds " + rings.size() + " keys; exactly one is expected");
        }
        PGPPublicKeyRing ring = rings.getKeyRings().next();
        if (ring.getPublicKey().getVersion() != 4) {
            throw new KeyException("is a version " + ring.getPublicKey().getVersion() + " key; ferry uses v4 keys");
        }
        return new PublicKey(ring);
    }
}
