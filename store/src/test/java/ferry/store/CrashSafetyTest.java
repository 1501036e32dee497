package ferry.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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
    void aProcessKilledBeforeCommitLeavesTheStoreAsItWasAndItsObjectsAreGivenBack() throws Exception {
        TreeMap<String, List<String>> before;
        TreeSet<String> objectsBefore;
        try (Store store = Store.open(dir)) {
            store.commitImport(StoreChild.sampleBundle(store, "b1", 1));
            before = Fixtures.snapshot(store);
            objectsBefore = Fixtures.objectFiles(dir);
        }
        assertEquals(StoreChild.HALTED, StoreChild.run("crash-before-commit", dir).exitCode());
        assertEquals(objectsBefore.size() + 4, Fixtures.objectFiles(dir).size(),
                "the dead import left three metadata documents and one file");
        try (Store store = Store.open(dir)) {
            assertEquals(before, Fixtures.snapshot(store), "catalog as it was");
            assertEquals(objectsBefore.size() + 4, Fixtures.objectFiles(dir).size(), "kept by the open, for reuse");
            CheckReport check = store.check(false, CheckProgress.NONE);
            assertTrue(check.consistent(), check.toString());
            assertEquals(4, check.unfinished().size());
            assertEquals(4, store.collectGarbage(), "the journal accounts for them");
            assertEquals(objectsBefore, Fixtures.objectFiles(dir), "exactly what it wrote was given back");
            assertEquals(0, store.collectGarbage());
            assertEquals(3, store.commitImport(StoreChild.sampleBundle(store, "b3", 3)).newRevisions());
        }
    }

    @Test
    void aKilledImportRunAgainReusesWhatItHadCopied() throws Exception {
        assertEquals(StoreChild.HALTED, StoreChild.run("crash-before-commit", dir).exitCode());
        TreeSet<String> left = Fixtures.objectFiles(dir);
        try (Store store = Store.open(dir); PendingImport again = store.beginImport()) {
            again.commit(StoreChild.sampleBundle(again::putObject, "b2", 2));
            assertEquals(0, again.objectsWritten(), "all four reused");
            assertEquals(0, store.collectGarbage(), "now referenced");
            assertEquals(left, Fixtures.objectFiles(dir));
            assertTrue(store.check(true, CheckProgress.NONE).consistent());
        }
    }

    @Test
    void objectsWrittenThroughStorePutObjectAreAccountedForToo() throws Exception {
        try (Store store = Store.open(dir)) {
            store.commitImport(StoreChild.sampleBundle(store, "b1", 1));
        }
        TreeSet<String> before = Fixtures.objectFiles(dir);
        assertEquals(StoreChild.HALTED, StoreChild.run("crash-before-commit-unjournaled", dir).exitCode());
        try (Store store = Store.open(dir)) {
            assertEquals(4, store.collectGarbage(), "the store's own session journal lists them");
        }
        assertEquals(before, Fixtures.objectFiles(dir));
    }

    @Test
    void objectsNoJournalAccountsForAreNeverDeleted() throws Exception {
        byte[] data = Fixtures.bytes("restored by hand from a backup");
        String hex = Fixtures.sha256(data);
        try (Store store = Store.open(dir)) {
            store.commitImport(StoreChild.sampleBundle(store, "b1", 1));
            Path p = store.objectPath(hex);
            Files.createDirectories(p.getParent());
            Files.write(p, data);
        }
        assertEquals(StoreChild.HALTED, StoreChild.run("crash-before-commit", dir).exitCode());
        try (Store store = Store.open(dir)) {
            assertEquals(4, store.collectGarbage());
            assertEquals(3, store.commitImport(StoreChild.sampleBundle(store, "b3", 3)).newRevisions());
            assertEquals(0, store.collectGarbage());
            assertTrue(store.hasObject(hex), "unreferenced, but nothing says ferry wrote it: kept");
            assertEquals(List.of(hex), store.check(true, CheckProgress.NONE).unreferenced());
        }
    }

    @Test
    void aProcessKilledBetweenCommitAndCleanupKeepsTheImportAndTheCleanupIsFinishedLater() throws Exception {
        assertEquals(StoreChild.HALTED, StoreChild.run("crash-after-commit-before-cleanup", dir).exitCode());
        String extra = Fixtures.sha256(Fixtures.bytes("written but not in the bundle's record"));
        try (Store store = Store.open(dir)) {
            assertTrue(store.isImported("b2"));
            assertTrue(store.hasObject(extra));
            assertEquals(1, store.collectGarbage(), "written by the import, referenced by nothing: given back");
            assertFalse(store.hasObject(extra));
            for (RevisionRef ref : store.latestRevisions(false, Set.of(), Set.of(), 0)) {
                assertTrue(store.hasObject(store.metadataSha256(ref.updateId(), ref.revisionNumber()).orElseThrow()));
            }
            store.files(StoreChild.UPDATE, 2).forEach(f -> assertTrue(store.hasObject(f.sha256())));
            CheckReport check = store.check(true, CheckProgress.NONE);
            assertTrue(check.consistent() && check.unfinished().isEmpty(), check.toString());
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
            assertTrue(store.check(true, CheckProgress.NONE).consistent());
        }
    }
}
