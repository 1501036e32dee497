package ferry.format.pgp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ferry.format.pgp.SignatureCheck.Status;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DetachedSignaturesTest {
    private static final GeneratedKey KEY = KeyGenerator.generateEd25519("S <s@example.org>", null);
    private static final GeneratedKey OTHER = KeyGenerator.generateEd25519("O <o@example.org>", null);
    private static final byte[] DATA = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

    @Test
    void goodBadUnknown() throws Exception {
        SigningKey k = SigningKey.parse(KEY.armoredSecretKey(), null);
        PublicKey pub = PublicKeys.parse(KEY.armoredPublicKey());
        PublicKey other = PublicKeys.parse(OTHER.armoredPublicKey());
        String sig = DetachedSignatures.sign(k, DATA);
        assertTrue(sig.startsWith("-----BEGIN PGP SIGNATURE-----\n\n") && sig.endsWith("-----END PGP SIGNATURE-----\n"));

        SignatureCheck good = DetachedSignatures.verify(sig, DATA, List.of(other, pub)).get(0);
        assertEquals(Status.VALID, good.status());
        assertEquals(KEY.fingerprint(), good.fingerprint());
        assertEquals("S <s@example.org>", good.userId());

        SignatureCheck bad = DetachedSignatures.verify(sig, "{\"a\":2}".getBytes(StandardCharsets.UTF_8), List.of(pub)).get(0);
        assertEquals(Status.INVALID, bad.status());

        SignatureCheck unknown = DetachedSignatures.verify(sig, DATA, List.of(other)).get(0);
        assertEquals(Status.UNKNOWN_KEY, unknown.status());
        assertEquals(KEY.fingerprint(), unknown.fingerprint());

        assertEquals(Status.MALFORMED, DetachedSignatures.verify("junk", DATA, List.of(pub)).get(0).status());
        assertEquals(Status.MALFORMED, DetachedSignatures.verify(sig + "x", DATA, List.of(pub)).get(0).status());
        assertEquals(Status.MALFORMED, DetachedSignatures.verify(
                sig.replace("-----\n\n", "-----\nComment: hi\n\n"), DATA, List.of(pub)).get(0).status());
    }

    @Test
    void everySingleBitFlipInTheSignatureFileIsCaught() throws Exception {
        SigningKey k = SigningKey.parse(KEY.armoredSecretKey(), null);
        PublicKey pub = PublicKeys.parse(KEY.armoredPublicKey());
        byte[] sig = DetachedSignatures.sign(k, DATA).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < sig.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] damaged = sig.clone();
                damaged[i] ^= (byte) (1 << bit);
                List<SignatureCheck> r = DetachedSignatures.verify(damaged, DATA, List.of(pub));
                assertFalse(r.stream().anyMatch(SignatureCheck::valid), "flip of bit " + bit + " at byte " + i + " went unnoticed");
            }
        }
    }
}
