package ferry.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An import that dies part-way leaves the catalog as it was; one that committed survives a hard stop. */
class CrashSafetyTest {
    @TempDir
    Path dir;

    @Test
    void aFailureMidTransactionCommitsNothing() {
        try (Store store = Store.open(dir)) {
            store.commitImport(StoreChild.sampleBundle(store, "b1", 1));
            TreeMap<String, List<String>> before = Fixtures.snapshot(store);
            // A constraint only the database knows about fails the insert of relations, after the bundle row,
            // the files and the revisions were written inside the transaction.
            store.execute("ALTER TABLE wsus_superseded ADD CONSTRAINT test_refuse CHECK (superseded_update_id = '') NOCHECK");
            ImportRecord second = StoreChild.sampleBundle(store, "b2", 2);
            StoreException e = assertThrows(StoreException.class, () -> store.commitImport(second));
            assertTrue(e.getMessage().startsWith("bundle b2: import failed:"), e.getMessage());
            store.execute("ALTER TABLE wsus_superseded DROP CONSTRAINT test_refuse");
            assertEquals(before, Fixtures.snapshot(store));

            // Dying just before the commit, too.
            store.beforeCommit = () -> {
                throw new IllegalStateException("simulated crash");
            };
            assertThrows(IllegalStateException.class, () -> store.commitImport(second));
            assertEquals(before, Fixtures.snapshot(store));

            store.beforeCommit = () -> { };
            assertEquals(3, store.commitImport(second).newRevisions());
        }
    }

    @Test
    void aProcessKilledBeforeCommitLeavesTheStoreAsItWas() throws Exception {
        TreeMap<String, List<String>> before;
        try (Store store = Store.open(dir)) {
            store.commitImport(StoreChild.sampleBundle(store, "b1", 1));
            before = Fixtures.snapshot(store);
        }
        assertEquals(StoreChild.HALTED, StoreChild.run("crash-before-commit", dir).exitCode());
        try (Store store = Store.open(dir)) {
            assertEquals(before, Fixtures.snapshot(store));
            // The dead import's objects are orphans, but newer than the last commit: an import may be using them.
            assertEquals(0, store.collectGarbage());
            Thread.sleep(20);
            assertEquals(3, store.commitImport(StoreChild.sampleBundle(store, "b3", 3)).newRevisions());
            // Once a later import committed, they are what a dead import left behind.
            int orphans = store.collectGarbage();
            assertEquals(4, orphans, "three metadata documents and one file");
            for (RevisionRecord r : List.of(store.revision(StoreChild.UPDATE, 1).orElseThrow(),
                    store.revision(StoreChild.UPDATE, 3).orElseThrow())) {
                assertTrue(store.hasObject(r.metadataSha256()), "referenced objects stay");
            }
            store.files(StoreChild.UPDATE, 3).forEach(f -> assertTrue(store.hasObject(f.sha256())));
        }
    }

    @Test
    void aProcessKilledRightAfterCommitKeepsTheImport() throws Exception {
        assertEquals(StoreChild.HALTED, StoreChild.run("crash-after-commit", dir).exitCode());
        try (Store store = Store.open(dir)) {
            assertTrue(store.isImported("b1"));
            assertEquals(3, store.counts().revisions());
            assertEquals(List.of(new ChannelState("wsus", 1, "b1")), store.channels());
            assertEquals(0, store.collectGarbage(), "every object written is referenced");
        }
    }
}
