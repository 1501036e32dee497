package ferry.store;

import ferry.verifier.ChannelPolicy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An import gives back exactly the objects it wrote, and never one it did not write or that is referenced. */
class PendingImportTest {
    @TempDir
    Path dir;
    Store store;

    @BeforeEach
    void open() {
        store = Fixtures.open(dir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void abortGivesBackExactlyWhatTheImportWrote() {
        ImportRecord<ProbeWrite.Result> first = StoreChild.sampleBundle(store, "b1", 1);
        store.commitImport(first);
        String stray = Fixtures.put(store, Fixtures.bytes("stored outside this import, referenced by nothing"));
        TreeSet<String> before = Fixtures.objectFiles(dir);

        PendingImport imp = store.beginImport();
        String reused = ProbeSource.items(store).get(0).sha256();
        Fixtures.put(imp::putObject, Fixtures.bytes("content 1 of b1"));
        String a = Fixtures.put(imp::putObject, Fixtures.bytes("new object a"));
        String b = Fixtures.put(imp::putObject, Fixtures.bytes("new object bb"));
        Fixtures.put(imp::putObject, Fixtures.bytes("new object a"));
        assertEquals(2, imp.objectsWritten());
        assertEquals(25, imp.bytesWritten());
        assertTrue(store.hasObject(a) && store.hasObject(b));

        assertEquals(2, imp.abort());
        assertFalse(store.hasObject(a));
        assertFalse(store.hasObject(b));
        assertTrue(store.hasObject(reused), "reused, not written: kept");
        assertTrue(store.hasObject(stray), "not this import's: kept");
        assertEquals(before, Fixtures.objectFiles(dir));
        assertEquals(0, imp.abort(), "a second abort does nothing");
        StoreException late = assertThrows(StoreException.class,
                () -> Fixtures.put(imp::putObject, Fixtures.bytes("too late")));
        assertTrue(late.getMessage().contains("already aborted"), late.getMessage());
        assertJournalEmpty();
    }

    @Test
    void closingWithoutCommitAborts() {
        String a;
        try (PendingImport imp = store.beginImport()) {
            a = Fixtures.put(imp::putObject, Fixtures.bytes("given back on close"));
            assertTrue(store.hasObject(a));
        }
        assertFalse(store.hasObject(a));
        assertJournalEmpty();
    }

    @Test
    void commitKeepsWhatTheCatalogReferencesAndGivesBackTheRest() {
        String unused;
        ImportRecord<ProbeWrite.Result> rec;
        try (PendingImport imp = store.beginImport()) {
            rec = StoreChild.sampleBundle(imp::putObject, "b1", 1);
            unused = Fixtures.put(imp::putObject, Fixtures.bytes("written, then left out of the record"));
            assertEquals(StoreChild.ITEMS, imp.commit(rec).newRecords());
            assertEquals(0, imp.abort(), "abort after commit does nothing");
        }
        assertFalse(store.hasObject(unused));
        rec.write().referencedObjects().forEach(o -> assertTrue(store.hasObject(o)));
        assertEquals(StoreChild.ITEMS, rec.write().referencedObjects().size());
        assertJournalEmpty();
        assertTrue(store.check(true, CheckProgress.NONE).consistent());
    }

    @Test
    void aRefusedCommitLeavesTheImportOpenToBeAborted() {
        store.commitImport(StoreChild.sampleBundle(store, "b1", 5));
        TreeSet<String> before = Fixtures.objectFiles(dir);
        try (PendingImport imp = store.beginImport()) {
            ImportRecord<ProbeWrite.Result> replay = StoreChild.sampleBundle(imp::putObject, "b2", 2);
            ImportRefusedException e = assertThrows(ImportRefusedException.class, () -> imp.commit(replay));
            assertEquals(ChannelPolicy.Verdict.REPLAY, e.verdict());
            Fixtures.put(imp::putObject, Fixtures.bytes("still open after the refusal"));
            assertEquals(5, imp.abort(), "four items' objects, one more object");
        }
        assertEquals(before, Fixtures.objectFiles(dir));
    }

    @Test
    void anObjectAnotherRunningImportUsesIsKept() {
        PendingImport writer = store.beginImport();
        PendingImport reuser = store.beginImport();
        ProbeWrite.Item f = Fixtures.item(writer::putObject, "shared", "shared file");
        assertEquals(1, writer.objectsWritten());
        // The second import finds the object present and reuses it.
        Fixtures.item(reuser::putObject, "shared", "shared file");
        assertEquals(0, reuser.objectsWritten());

        assertEquals(0, writer.abort(), "the other import still uses it");
        assertTrue(store.hasObject(f.sha256()));
        ImportRecord<ProbeWrite.Result> rec = Fixtures.bundle("b1", "main", 1, null, List.of(f));
        reuser.commit(rec);
        assertTrue(store.hasObject(f.sha256()));
        assertTrue(store.check(false, CheckProgress.NONE).consistent());
        assertJournalEmpty();
    }

    @Test
    void anObjectHandedOverToAnotherImportIsGivenBackWhenThatOneAbortsToo() {
        PendingImport writer = store.beginImport();
        PendingImport reuser = store.beginImport();
        String shared = Fixtures.put(writer::putObject, Fixtures.bytes("shared, then nobody commits it"));
        Fixtures.put(reuser::putObject, Fixtures.bytes("shared, then nobody commits it"));
        assertEquals(0, writer.abort());
        assertTrue(store.hasObject(shared));
        assertEquals(1, reuser.abort(), "the journal handed it over to the import still using it");
        assertFalse(store.hasObject(shared));
        assertJournalEmpty();
    }

    @Test
    void anObjectACommittedBundleReferencesIsKeptWhenItsWriterAborts() {
        PendingImport writer = store.beginImport();
        ProbeWrite.Item f = Fixtures.item(writer::putObject, "both", "content both imports carry");
        try (PendingImport other = store.beginImport()) {
            Fixtures.item(other::putObject, "both", "content both imports carry");
            other.commit(Fixtures.bundle("b1", "main", 1, null, List.of(f)));
        }
        assertEquals(0, writer.abort());
        assertTrue(store.hasObject(f.sha256()));
    }

    @Test
    void garbageCollectionLeavesRunningImportsAlone() {
        try (PendingImport imp = store.beginImport()) {
            String a = Fixtures.put(imp::putObject, Fixtures.bytes("being imported"));
            assertEquals(0, store.collectGarbage());
            assertTrue(store.hasObject(a));
            assertTrue(store.check(false, CheckProgress.NONE).unreferenced().isEmpty(),
                    "a running import's objects are not reported as unreferenced");
        }
    }

    @Test
    void aFailedPutLeavesNothingAndTheImportUsable() throws Exception {
        try (PendingImport imp = store.beginImport()) {
            byte[] data = Fixtures.bytes("content");
            String wrong = Fixtures.sha256(Fixtures.bytes("other content"));
            assertThrows(StoreException.class, () -> imp.putObject(new ByteArrayInputStream(data), wrong, data.length));
            assertFalse(store.hasObject(wrong));
            String ok = Fixtures.put(imp::putObject, data);
            assertTrue(store.hasObject(ok));
            try (var s = Files.list(dir.resolve("tmp"))) {
                assertEquals(0, s.count());
            }
        }
    }

    // Journals other than the store's own session (which objects written through Store.putObject go to).
    private void assertJournalEmpty() {
        try (var files = Files.list(dir.resolve("journal"))) {
            List<Path> left = files.toList();
            assertTrue(left.size() <= 1, left.toString());
            for (Path p : left) {
                assertTrue(Files.readAllLines(p).stream().allMatch(line -> store.hasObject(line)),
                        "only the session journal of objects written through Store.putObject: " + p);
            }
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
