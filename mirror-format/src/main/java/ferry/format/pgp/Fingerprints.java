package ferry.format.pgp;

import java.util.HexFormat;
import org.bouncycastle.openpgp.PGPPublicKey;

/** Spelling of OpenPGP fingerprints in ferry: 40 upper-case hex digits (v4 keys only). */
final class Fingerprints {
    private Fingerprints() { }

    private static final HexFormat UPPER = HexFormat.of().withUpperCase();

    static String of(PGPPublicKey key) {
        return UPPER.formatHex(key.getFingerprint());
    }

    static String hex(byte[] bytes) {
        return UPPER.formatHex(bytes);
    }

    static String keyId(long id) {
        return String.format("%016X", id);
    }
}
