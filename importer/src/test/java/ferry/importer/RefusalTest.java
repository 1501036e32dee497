package ferry.importer;

import ferry.verifier.ChannelPolicy;
import ferry.format.Progress;
import ferry.format.trust.TrustStore;
import ferry.store.Store;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.UUID;

import static ferry.importer.TestBundles.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bundles that are valid but must not be imported here: the store is left exactly as it was. */
class RefusalTest {
    @TempDir
    Path tmp;
    Path storeDir;
    TrustStore trust;

    @BeforeEach
    void setUp() {
        storeDir = tmp.resolve("store");
        trust = TestBundles.trust(tmp.resolve("trust"), 1, ALICE);
    }

    private void importOk(Spec spec, String name) throws ImporterException {
        Importer.importBundle(spec.write(tmp.resolve(name)), storeDir, trust, NOW, Progress.NONE);
    }

    private BundleRefusedException refused(Spec spec, String name) {
        Path bundle = spec.write(tmp.resolve(name));
        StoreSnapshot before = StoreSnapshot.of(storeDir);
        BundleRefusedException e = assertThrows(BundleRefusedException.class,
                () -> Importer.importBundle(bundle, storeDir, trust, NOW, Progress.NONE));
        assertEquals(before, StoreSnapshot.of(storeDir), "store unchanged");
        return e;
    }

    @Test
    void anotherBundleWithTheSameSequenceIsAReplay() throws Exception {
        importOk(bundle().update(defenderUpdate(200)), "b1");
        importOk(bundle().sequence(2).base(1L).update(securityUpdate()), "b2");

        BundleRefusedException e = refused(bundle().sequence(2).update(defenderUpdate(201)), "b2-again");

        assertEquals(ChannelPolicy.Verdict.REPLAY, e.verdict());
        assertTrue(e.getMessage().contains("not above the channel's last imported sequence 2"), e.getMessage());
    }

    @Test
    void aLowerSequenceIsAReplay() throws Exception {
        importOk(bundle().sequence(5).update(defenderUpdate(200)), "b5");
        BundleRefusedException e = refused(bundle().sequence(4).update(defenderUpdate(201)), "b4");
        assertEquals(ChannelPolicy.Verdict.REPLAY, e.verdict());
    }

    @Test
    void sequencesAreCountedPerChannel() throws Exception {
        importOk(bundle().sequence(5).update(defenderUpdate(200)), "b5");
        importOk(bundle().channel("lab").sequence(1).update(securityUpdate()), "lab1");
        try (Store store = StoreSnapshot.open(storeDir)) {
            assertEquals(2, store.channels().size());
        }
    }

    @Test
    void aDeltaOnNothingIsRefused() {
        BundleRefusedException e = refused(bundle().sequence(3).base(2L).update(defenderUpdate(200)), "d3");
        assertEquals(ChannelPolicy.Verdict.MISSING_BASE, e.verdict());
        assertTrue(e.getMessage().contains("no store at"), e.getMessage());
    }

    @Test
    void aDeltaOnAChannelNeverImportedIsRefused() throws Exception {
        importOk(bundle().channel("other").update(securityUpdate()), "o1");
        BundleRefusedException e = refused(bundle().sequence(3).base(2L).update(defenderUpdate(200)), "d3");
        assertEquals(ChannelPolicy.Verdict.MISSING_BASE, e.verdict());
        assertTrue(e.getMessage().contains("nothing was imported on channel wsus-main"), e.getMessage());
    }

    @Test
    void aDeltaOnABaseNotYetImportedIsRefused() throws Exception {
        importOk(bundle().sequence(1).update(defenderUpdate(200)), "b1");
        BundleRefusedException e = refused(bundle().sequence(3).base(2L).update(securityUpdate()), "d3");
        assertEquals(ChannelPolicy.Verdict.MISSING_BASE, e.verdict());
        assertTrue(e.getMessage().contains("the channel's last imported is 1"), e.getMessage());
    }

    @Test
    void aDifferentBundleReusingAnImportedIdIsRefused() throws Exception {
        UUID id = UUID.randomUUID();
        importOk(bundle().id(id).update(defenderUpdate(200)), "b1");
        BundleRefusedException e = refused(bundle().id(id).sequence(2).update(securityUpdate()), "b1-forged");
        assertEquals(ChannelPolicy.Verdict.ID_REUSED, e.verdict());
    }

    @Test
    void aLockedStoreIsReportedWithExitCode5() throws Exception {
        Path bundle = bundle().update(securityUpdate()).write(tmp.resolve("b1"));
        try (Store held = StoreSnapshot.open(storeDir)) {
            StoreBusyException e = assertThrows(StoreBusyException.class,
                    () -> Importer.importBundle(bundle, storeDir, trust, NOW, Progress.NONE));
            assertTrue(e.getMessage().contains("one import (or check) at a time"), e.getMessage());
            assertEquals(0, held.counts().bundles());
        }
    }

    @Test
    void importIntoAnOpenStoreWorksAndLeavesItOpen() throws Exception {
        Path bundle = bundle().update(securityUpdate()).write(tmp.resolve("b1"));
        try (Store store = StoreSnapshot.open(storeDir)) {
            ImportResult r = Importer.importBundle(bundle, store, trust, NOW, Progress.NONE);
            assertEquals(1, r.outcome().newRevisions());
            assertEquals(1, store.counts().bundles());
        }
    }
}
