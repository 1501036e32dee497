package ferry.importer;

import ferry.format.BundleSource;
import ferry.format.Progress;
import ferry.format.pgp.GeneratedKey;
import ferry.format.pgp.KeyException;
import ferry.format.pgp.PublicKey;
import ferry.format.pgp.PublicKeys;
import ferry.format.pgp.SigningKey;
import ferry.format.trust.SignedTrustChange;
import ferry.format.trust.TrustChange;
import ferry.format.trust.TrustPolicy;
import ferry.format.trust.TrustStore;
import ferry.verifier.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static ferry.importer.SignersTest.BOB;
import static ferry.importer.SignersTest.CAROL;
import static ferry.importer.TestBundles.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Key rotation without a visit: a bundle carries a new trust policy signed by the current threshold of trusted keys
 * and the new threshold of its new keys; the import applies it; anything less is refused with the reason and changes
 * neither the store nor the trust store.
 */
class RotationTest {
    @TempDir
    Path tmp;

    static PublicKey pub(GeneratedKey k) {
        try {
            return PublicKeys.parse(k.armoredPublicKey());
        } catch (KeyException e) {
            throw new IllegalStateException(e);
        }
    }

    static SignedTrustChange change(long version, int threshold, List<GeneratedKey> keys, GeneratedKey... signers)
            throws KeyException {
        List<PublicKey> pubs = new ArrayList<>();
        keys.forEach(k -> pubs.add(pub(k)));
        SignedTrustChange c = new SignedTrustChange(new TrustChange(version, new TrustPolicy(threshold, 1000, false), pubs)
                .toBytes(), Map.of());
        for (GeneratedKey s : signers) {
            c = c.signedBy(SigningKey.parse(s.armoredSecretKey(), null));
        }
        return c;
    }

    private ImportResult importWith(Path bundle, Path store, Path trustDir) throws Exception {
        return Importer.importBundle(new ImportRequest(BundleSource.of(bundle), store, TrustStore.load(trustDir),
                trustDir, false, NOW), Progress.NONE);
    }

    @Test
    void aChangeSignedByTheOldAndTheNewThresholdIsApplied() throws Exception {
        Path trustDir = tmp.resolve("trust");
        TestBundles.trust(trustDir, 1, ALICE);
        Path store = tmp.resolve("store");
        SignedTrustChange c = change(2, 2, List.of(BOB, CAROL), ALICE, BOB, CAROL);
        Path b1 = bundle().signers(ALICE).trustChange(c).update(defenderUpdate(200)).write(tmp.resolve("b1"));

        ImportResult r = importWith(b1, store, trustDir);

        assertEquals(2L, r.trustPolicyVersion());
        TrustStore now = TrustStore.load(trustDir);
        assertEquals(2, now.version());
        assertEquals(2, now.threshold());
        assertEquals(List.of(BOB.fingerprint(), CAROL.fingerprint()).stream().sorted().toList(),
                now.keys().stream().map(PublicKey::fingerprint).sorted().toList());
        assertFalse(Files.exists(trustDir.resolve("keys").resolve(ALICE.fingerprint() + ".asc")), "retired key kept");

        // the retired key alone no longer gets a bundle in; the new keys together do
        Path old = bundle().sequence(2).signers(ALICE).update(defenderUpdate(201)).write(tmp.resolve("old"));
        BundleInvalidException e = assertThrows(BundleInvalidException.class, () -> importWith(old, store, trustDir));
        assertTrue(e.report().orElseThrow().has(Problem.Code.THRESHOLD_NOT_MET));
        Path next = bundle().sequence(2).signers(BOB, CAROL).update(defenderUpdate(201)).write(tmp.resolve("next"));
        assertNull(importWith(next, store, trustDir).trustPolicyVersion());

        // the same change again is ignored (version already in force), never applied twice
        Path again = bundle().sequence(3).signers(BOB, CAROL).trustChange(c).update(defenderUpdate(202))
                .write(tmp.resolve("again"));
        ImportResult r3 = importWith(again, store, trustDir);
        assertNull(r3.trustPolicyVersion());
        assertEquals(2, TrustStore.load(trustDir).version());

        // a key file not listed by the policy is not trusted (what makes the change atomic: keys are added first)
        Files.writeString(trustDir.resolve("keys").resolve("mallory.asc"), MALLORY.armoredPublicKey());
        assertTrue(TrustStore.load(trustDir).key(MALLORY.fingerprint()).isEmpty());
        // ferry keys trust edits keep the version and the key list
        TrustStore.writePolicy(trustDir, new TrustPolicy(1, 1000, true));
        assertEquals(2, TrustStore.load(trustDir).version());
        assertTrue(TrustStore.load(trustDir).key(MALLORY.fingerprint()).isEmpty());
    }

    @Test
    void unsignedOrUnderThresholdChangesAreRefusedWithTheReason() throws Exception {
        Path trustDir = tmp.resolve("trust");
        TestBundles.trust(trustDir, 2, ALICE, MALLORY);
        List<GeneratedKey> both = List.of(ALICE, MALLORY);
        Map<String, SignedTrustChange> cases = new java.util.LinkedHashMap<>();
        cases.put("version 2 is unsigned", change(2, 2, List.of(BOB, CAROL)));
        cases.put("version 2 is signed by 0 of the currently trusted keys, 2 required", change(2, 2, List.of(BOB, CAROL), BOB, CAROL));
        cases.put("version 2 is signed by 1 of the currently trusted keys, 2 required", change(2, 2, List.of(BOB, CAROL), ALICE, BOB, CAROL));
        cases.put("version 2 is signed by 1 of its own new keys, 2 required", change(2, 2, List.of(BOB, CAROL), ALICE, MALLORY, BOB));
        cases.put("version 3 skips versions: the trust store is at version 1", change(3, 2, List.of(BOB, CAROL), ALICE, MALLORY, BOB, CAROL));
        SignedTrustChange good = change(2, 2, List.of(BOB, CAROL), ALICE, MALLORY, BOB, CAROL);
        byte[] doc = good.document();
        doc[doc.length - 2] = '3'; // "version":2 -> 3 after signing: no signature holds any more
        cases.put("version 3 is unsigned", new SignedTrustChange(doc, good.signatures()));

        Map<String, String> trustBefore = MediaImportTest.tree(trustDir);
        int i = 0;
        for (var c : cases.entrySet()) {
            Path store = tmp.resolve("store" + i);
            Path b = bundle().signers(ALICE, MALLORY).trustChange(c.getValue()).update(defenderUpdate(200))
                    .write(tmp.resolve("b" + i++));
            BundleInvalidException e = assertThrows(BundleInvalidException.class, () -> importWith(b, store, trustDir),
                    c.getKey());
            assertTrue(e.report().orElseThrow().has(Problem.Code.TRUST_CHANGE_REFUSED), c.getKey());
            assertTrue(e.getMessage().contains(c.getKey()), c.getKey() + " / " + e.getMessage());
            assertFalse(Files.exists(store), "the store was created for a refused bundle");
            assertEquals(trustBefore, MediaImportTest.tree(trustDir), "the trust store changed: " + c.getKey());
        }
        assertEquals(both.size(), TrustStore.load(trustDir).keys().size());
    }
}
