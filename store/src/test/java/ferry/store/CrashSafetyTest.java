package ferry.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        try (Store store = Fixtures.open(dir)) {
            store.commitImport(StoreChild.sampleBundle(store, "b1", 1));
            TreeMap<String, List<String>> before = Fixtures.snapshot(store);
            // A constraint only the database knows about fails the insert of tags, after the bundle row and the
            // source's item rows were written inside the transaction.
            store.execute("ALTER TABLE probe_tag ADD CONSTRAINT test_refuse CHECK (tag = '') NOCHECK");
            ImportRecord<ProbeWrite.Result> second = StoreChild.sampleBundle(store, "b2", 2);
            StoreException e = assertThrows(StoreException.class, () -> store.commitImport(second));
            assertTrue(e.getMessage().startsWith("bundle b2: import failed:"), e.getMessage());
            store.execute("ALTER TABLE probe_tag DROP CONSTRAINT test_refuse");
            assertEquals(before, Fixtures.snapshot(store));

            // Dying just before the commit, too.
            store.beforeCommit = () -> {
                throw new IllegalStateException("simulated crash");
            };
            assertThrows(IllegalStateException.class, () -> store.commitImport(second));
            assertEquals(before, Fixtures.snapshot(store));

            store.beforeCommit = () -> { };
            assertEquals(StoreChild.ITEMS, store.commitImport(second).newRecords());
        }
    }

    @Test
    void aProcessKilledBeforeCommitLeavesTheStoreAsItWasAndItsObjectsAreGivenBack() throws Exception {
        TreeMap<String, List<String>> before;
        TreeSet<String> objectsBefore;
        try (Store store = Fixtures.open(dir)) {
            store.commitImport(StoreChild.sampleBundle(store, "b1", 1));
            before = Fixtures.snapshot(store);
            objectsBefore = Fixtures.objectFiles(dir);
        }
        assertEquals(StoreChild.HALTED, StoreChild.run("crash-before-commit", dir).exitCode());
        assertEquals(objectsBefore.size() + 4, Fixtures.objectFiles(dir).size(),
                "the dead import left its four objects");
        try (Store store = Fixtures.open(dir)) {
            assertEquals(before, Fixtures.snapshot(store), "catalog as it was");
            assertEquals(objectsBefore.size() + 4, Fixtures.objectFiles(dir).size(), "kept by the open, for reuse");
            CheckReport check = store.check(false, CheckProgress.NONE);
            assertTrue(check.consistent(), check.toString());
            assertEquals(4, check.unfinished().size());
            assertEquals(4, store.collectGarbage(), "the journal accounts for them");
            assertEquals(objectsBefore, Fixtures.objectFiles(dir), "exactly what it wrote was given back");
            assertEquals(0, store.collectGarbage());
            assertEquals(StoreChild.ITEMS, store.commitImport(StoreChild.sampleBundle(store, "b3", 3)).newRecords());
        }
    }

    @Test
    void aKilledImportRunAgainReusesWhatItHadCopied() throws Exception {
        assertEquals(StoreChild.HALTED, StoreChild.run("crash-before-commit", dir).exitCode());
        TreeSet<String> left = Fixtures.objectFiles(dir);
        try (Store store = Fixtures.open(dir); PendingImport again = store.beginImport()) {
            again.commit(StoreChild.sampleBundle(again::putObject, "b2", 2));
            assertEquals(0, again.objectsWritten(), "all four reused");
            assertEquals(0, store.collectGarbage(), "now referenced");
            assertEquals(left, Fixtures.objectFiles(dir));
            assertTrue(store.check(true, CheckProgress.NONE).consistent());
        }
    }

    @Test
    void objectsWrittenThroughStorePutObjectAreAccountedForToo() throws Exception {
        try (Store store = Fixtures.open(dir)) {
            store.commitImport(StoreChild.sampleBundle(store, "b1", 1));
        }
        TreeSet<String> before = Fixtures.objectFiles(dir);
        assertEquals(StoreChild.HALTED, StoreChild.run("crash-before-commit-unjournaled", dir).exitCode());
        try (Store store = Fixtures.open(dir)) {
            assertEquals(4, store.collectGarbage(), "the store's own session journal lists them");
        }
        assertEquals(before, Fixtures.objectFiles(dir));
    }

    @Test
    void objectsNoJournalAccountsForAreNeverDeleted() throws Exception {
        byte[] data = Fixtures.bytes("restored by hand from a backup");
        String hex = Fixtures.sha256(data);
        try (Store store = Fixtures.open(dir)) {
            store.commitImport(StoreChild.sampleBundle(store, "b1", 1));
            Path p = store.objectPath(hex);
            Files.createDirectories(p.getParent());
            Files.write(p, data);
        }
        assertEquals(StoreChild.HALTED, StoreChild.run("crash-before-commit", dir).exitCode());
        try (Store store = Fixtures.open(dir)) {
            assertEquals(4, store.collectGarbage());
            assertEquals(StoreChild.ITEMS, store.commitImport(StoreChild.sampleBundle(store, "b3", 3)).newRecords());
            assertEquals(0, store.collectGarbage());
            assertTrue(store.hasObject(hex), "unreferenced, but nothing says ferry wrote it: kept");
            assertEquals(List.of(hex), store.check(true, CheckProgress.NONE).unreferenced());
        }
    }

    @Test
    void aProcessKilledBetweenCommitAndCleanupKeepsTheImportAndTheCleanupIsFinishedLater() throws Exception {
        assertEquals(StoreChild.HALTED, StoreChild.run("crash-after-commit-before-cleanup", dir).exitCode());
        String extra = Fixtures.sha256(Fixtures.bytes("written but not in the bundle's record"));
        try (Store store = Fixtures.open(dir)) {
            assertTrue(store.isImported("b2"));
            assertTrue(store.hasObject(extra));
            assertEquals(1, store.collectGarbage(), "written by the import, referenced by nothing: given back");
            assertFalse(store.hasObject(extra));
            List<ProbeWrite.Item> items = ProbeSource.items(store);
            assertEquals(StoreChild.ITEMS, items.size());
            items.forEach(i -> assertTrue(store.hasObject(i.sha256()), i.toString()));
            CheckReport check = store.check(true, CheckProgress.NONE);
            assertTrue(check.consistent() && check.unfinished().isEmpty(), check.toString());
        }
    }

    @Test
    void aProcessKilledRightAfterCommitKeepsTheImport() throws Exception {
        assertEquals(StoreChild.HALTED, StoreChild.run("crash-after-commit", dir).exitCode());
        try (Store store = Fixtures.open(dir)) {
            assertTrue(store.isImported("b1"));
            assertEquals(StoreChild.ITEMS, ProbeSource.counts(store).get("items"));
            assertEquals(List.of(new ChannelState(StoreChild.CHANNEL, 1, "b1")), store.channels());
            assertEquals(0, store.collectGarbage(), "every object written is referenced");
            assertTrue(store.check(true, CheckProgress.NONE).consistent());
        }
    }
}
