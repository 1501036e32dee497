package ferry.importer;

import ferry.format.BundleLayout;
import ferry.format.Progress;
import ferry.format.pgp.GeneratedKey;
import ferry.format.pgp.KeyGenerator;
import ferry.format.trust.TrustStore;
import ferry.verifier.BundleVerifier;
import ferry.verifier.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static ferry.importer.TestBundles.*;
import static org.junit.jupiter.api.Assertions.*;

/** Several signers: a trust store trusting three keys with threshold 2 takes two distinct signatures, not one. */
class SignersTest {
    static final GeneratedKey BOB = KeyGenerator.generateEd25519("Bob <bob@example.org>", null);
    static final GeneratedKey CAROL = KeyGenerator.generateEd25519("Carol <carol@example.org>", null);

    @TempDir
    Path tmp;

    @Test
    void twoOfThreeIsEnforced() throws Exception {
        TrustStore trust = TestBundles.trust(tmp.resolve("trust"), 2, ALICE, BOB, CAROL);
        Path store = tmp.resolve("store");

        // one signature: refused before the manifest is even parsed, the store not created
        Path one = bundle().signers(ALICE).update(defenderUpdate(200)).write(tmp.resolve("one"));
        BundleInvalidException e1 = assertThrows(BundleInvalidException.class,
                () -> Importer.importBundle(one, store, trust, NOW, Progress.NONE));
        assertTrue(e1.report().orElseThrow().has(Problem.Code.THRESHOLD_NOT_MET));
        assertTrue(e1.getMessage().contains("1 trusted signer(s) with a valid signature, 2 required"), e1.getMessage());
        assertFalse(Files.exists(store));

        // the same key twice counts once: Alice's signature also filed under Bob's name is not Bob's
        Path twice = bundle().signers(ALICE).update(defenderUpdate(200)).write(tmp.resolve("twice"));
        Files.copy(twice.resolve("signatures").resolve(BundleLayout.signatureFileName(ALICE.fingerprint())),
                twice.resolve("signatures").resolve(BundleLayout.signatureFileName(BOB.fingerprint())));
        var r = new BundleVerifier(trust).verify(twice);
        assertTrue(r.has(Problem.Code.THRESHOLD_NOT_MET), r.toText());
        assertTrue(r.has(Problem.Code.SIGNATURE_NAME_MISMATCH), r.toText());
        assertEquals(1, r.summary().signers().size());

        // two distinct trusted signers (any two of the three): accepted
        Path two = bundle().signers(BOB, CAROL).update(defenderUpdate(200)).write(tmp.resolve("two"));
        ImportResult ok = Importer.importBundle(two, store, trust, NOW, Progress.NONE);
        assertEquals(2, ok.signers().size());
        assertFalse(ok.alreadyImported());
    }
}
