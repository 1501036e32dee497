package ferry.importer;

import ferry.format.ChannelReset;
import ferry.format.Progress;
import ferry.format.trust.TrustStore;
import ferry.store.Store;
import ferry.verifier.ChannelPolicy;
import ferry.verifier.Problem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static ferry.importer.TestBundles.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trust policy's defences, end to end through the importer: fast-forward (review finding 5) bounded by
 * maxSequenceJump and recovered by a signed channel reset; indefinite freeze (finding 6) closed by requireExpiry.
 */
class TrustPolicyTest {
    @TempDir
    Path tmp;
    Path storeDir;
    TrustStore trust;
    UUID first = UUID.randomUUID();

    @BeforeEach
    void setUp() throws Exception {
        storeDir = tmp.resolve("store");
        trust = TestBundles.trust(tmp.resolve("trust"), 1, ALICE);
        Importer.importBundle(bundle().id(first).real(CATEGORIES.toArray(String[]::new)).write(tmp.resolve("b1")),
                storeDir, trust, NOW, Progress.NONE);
    }

    @Test
    void aHugeSequenceJumpIsRefusedAndTheChannelStaysWhereItWas() throws Exception {
        Path ff = bundle().sequence(Long.MAX_VALUE).update(defenderUpdate(200)).write(tmp.resolve("ff"));
        StoreSnapshot before = StoreSnapshot.of(storeDir);

        BundleRefusedException e = assertThrows(BundleRefusedException.class,
                () -> Importer.importBundle(ff, storeDir, trust, NOW, Progress.NONE));

        assertEquals(ChannelPolicy.Verdict.SEQUENCE_JUMP, e.verdict());
        assertTrue(e.getMessage().contains("at most 1000"), e.getMessage());
        assertEquals(before, StoreSnapshot.of(storeDir));
        // the genuine next bundle still lands
        Importer.importBundle(bundle().sequence(2).update(defenderUpdate(200)).write(tmp.resolve("b2")), storeDir,
                trust, NOW, Progress.NONE);
    }

    @Test
    void aJumpWithinThePolicyIsAccepted() throws Exception {
        Importer.importBundle(bundle().sequence(1001).update(defenderUpdate(200)).write(tmp.resolve("b1001")),
                storeDir, trust, NOW, Progress.NONE);
        try (Store store = StoreSnapshot.open(storeDir)) {
            assertEquals(1001, store.channel("wsus-main").orElseThrow().lastSequence());
        }
    }

    @Test
    void aSignedChannelResetRecoversAFastForwardedChannelAndCannotBePlayedAgain() throws Exception {
        // A trust store that allowed any jump let a key sign the channel up to 2^63-1.
        TrustStore lax = TestBundles.trust(tmp.resolve("lax"), "{\"threshold\": 1, \"maxSequenceJump\": "
                + Long.MAX_VALUE + "}", ALICE);
        UUID ffId = UUID.randomUUID();
        Importer.importBundle(bundle().id(ffId).sequence(Long.MAX_VALUE).update(defenderUpdate(200))
                .write(tmp.resolve("ff")), storeDir, lax, NOW, Progress.NONE);
        // Every genuine bundle is now a replay.
        Path genuine = bundle().sequence(2).update(securityUpdate()).write(tmp.resolve("b2"));
        assertEquals(ChannelPolicy.Verdict.REPLAY, assertThrows(BundleRefusedException.class,
                () -> Importer.importBundle(genuine, storeDir, trust, NOW, Progress.NONE)).verdict());

        // A reset that names another position is refused.
        Path wrong = bundle().sequence(2).reset(new ChannelReset(Long.MAX_VALUE - 1, ffId))
                .update(securityUpdate()).write(tmp.resolve("wrong"));
        BundleRefusedException mismatch = assertThrows(BundleRefusedException.class,
                () -> Importer.importBundle(wrong, storeDir, trust, NOW, Progress.NONE));
        assertEquals(ChannelPolicy.Verdict.RESET_MISMATCH, mismatch.verdict());

        // The signed reset naming the channel's exact position brings it back to 2.
        Path reset = bundle().sequence(2).reset(new ChannelReset(Long.MAX_VALUE, ffId)).update(securityUpdate())
                .write(tmp.resolve("reset"));
        ImportResult r = Importer.importBundle(reset, storeDir, trust, NOW, Progress.NONE);
        assertFalse(r.alreadyImported());
        try (Store store = StoreSnapshot.open(storeDir)) {
            assertEquals(2, store.channel("wsus-main").orElseThrow().lastSequence());
        }
        // Played again, the reset changes nothing; a copy under a new id no longer matches the position.
        assertTrue(Importer.importBundle(reset, storeDir, trust, NOW, Progress.NONE).alreadyImported());
        Path again = bundle().sequence(2).reset(new ChannelReset(Long.MAX_VALUE, ffId)).update(securityUpdate())
                .write(tmp.resolve("again"));
        assertEquals(ChannelPolicy.Verdict.RESET_MISMATCH, assertThrows(BundleRefusedException.class,
                () -> Importer.importBundle(again, storeDir, trust, NOW, Progress.NONE)).verdict());
        // And the channel goes on normally.
        Importer.importBundle(bundle().sequence(3).update(defenderUpdate(201)).write(tmp.resolve("b3")), storeDir,
                trust, NOW, Progress.NONE);
    }

    @Test
    void aPolicyRequiringExpiryRefusesABundleWithout() throws Exception {
        TrustStore strict = TestBundles.trust(tmp.resolve("strict"), "{\"threshold\": 1, \"requireExpiry\": true}",
                ALICE);
        Path none = bundle().sequence(2).update(defenderUpdate(200)).write(tmp.resolve("none"));
        StoreSnapshot before = StoreSnapshot.of(storeDir);

        BundleInvalidException e = assertThrows(BundleInvalidException.class,
                () -> Importer.importBundle(none, storeDir, strict, NOW, Progress.NONE));

        assertTrue(e.report().orElseThrow().has(Problem.Code.EXPIRY_REQUIRED), e.getMessage());
        assertEquals(before, StoreSnapshot.of(storeDir));
        Path dated = bundle().sequence(2).expiresAt(NOW.plus(Duration.ofDays(30))).update(defenderUpdate(200))
                .write(tmp.resolve("dated"));
        assertFalse(Importer.importBundle(dated, storeDir, strict, NOW, Progress.NONE).alreadyImported());
    }
}
