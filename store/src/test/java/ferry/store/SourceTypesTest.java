package ferry.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's rules for source types: it is opened only with every source type whose tables its catalog holds,
 * commits only writes of source types it was opened with, reads one committed state through {@link Store#read},
 * and never collects an object a source type references.
 */
class SourceTypesTest {
    @TempDir
    Path dir;

    private Path storeWithOneImport() {
        try (Store store = Fixtures.open(dir)) {
            store.commitImport(StoreChild.sampleBundle(store, "b1", 1));
        }
        return dir;
    }

    @Test
    void aStoreHoldingTablesOfASourceTypeNotOpenedWithIsRefusedAndNothingChanges() throws Exception {
        storeWithOneImport();
        TreeSet<String> objects = Fixtures.objectFiles(dir);
        TreeMap<String, List<String>> before;
        try (Store store = Fixtures.open(dir)) {
            before = Fixtures.snapshot(store);
        }

        StoreException e = assertThrows(StoreException.class, () -> Store.open(dir, List.of()));
        assertFalse(e instanceof StoreLockedException || e instanceof StoreDamagedException, e.toString());
        assertTrue(e.getMessage().contains("holds table probe_item of a source type this ferry was not opened with"
                + " (opened with: none)"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        // Refused again the same way: the failed open released the lock.
        assertEquals(e.getMessage(), assertThrows(StoreException.class, () -> Store.open(dir, List.of())).getMessage());
        assertEquals(objects, Fixtures.objectFiles(dir), "no object collected");

        try (Store store = Fixtures.open(dir)) {
            assertEquals(before, Fixtures.snapshot(store), "every catalog row as it was");
            // A source type this ferry does not know (say a newer ferry's) added its tables.
            store.execute("CREATE TABLE apt_package (name VARCHAR(100), object_sha256 CHAR(64))");
            store.execute("INSERT INTO apt_package VALUES ('hello', '" + Fixtures.sha256(Fixtures.bytes("deb")) + "')");
        }
        StoreException apt = assertThrows(StoreException.class, () -> Fixtures.open(dir));
        assertTrue(apt.getMessage().contains("holds table apt_package of a source type this ferry was not opened"
                + " with (opened with: probe); refusing, since its objects would look unreferenced"), apt.getMessage());
        assertEquals(objects, Fixtures.objectFiles(dir));
    }

    @Test
    void aWriteOfASourceTypeTheStoreWasNotOpenedWithIsRefused() {
        try (Store store = Fixtures.open(dir)) {
            store.commitImport(StoreChild.sampleBundle(store, "b1", 1));
            TreeMap<String, List<String>> before = Fixtures.snapshot(store);
            ProbeWrite.Item item = Fixtures.item(store, "i", "content of an unknown source's entry");
            ImportRecord<ProbeWrite.Result> rec = Fixtures.record("b2", StoreChild.CHANNEL, 2, null,
                    ProbeWrite.as("apt", "b2", List.of(item)));
            StoreException e = assertThrows(StoreException.class, () -> store.commitImport(rec));
            assertFalse(e instanceof ImportRefusedException);
            assertEquals("bundle b2: its entries are of source type \"apt\", which this store was not opened with",
                    e.getMessage());
            assertEquals(before, Fixtures.snapshot(store));
            assertFalse(store.isImported("b2"));
        }
        try (Store none = Store.open(dir.resolve("other"), List.of())) {
            ImportRecord<ProbeWrite.Result> rec = Fixtures.bundle("b1", "main", 1, null, List.of());
            StoreException e = assertThrows(StoreException.class, () -> none.commitImport(rec));
            assertTrue(e.getMessage().contains("source type \"probe\", which this store was not opened with"),
                    e.getMessage());
            assertEquals(0, none.counts().bundles());
            assertEquals(List.of(), none.counts().sources());
        }
    }

    @Test
    void readSeesOneCommittedStateWhileAnImportCommits() throws Exception {
        try (Store store = Fixtures.open(dir)) {
            store.commitImport(StoreChild.sampleBundle(store, "b1", 1));
            ImportRecord<ProbeWrite.Result> second = StoreChild.sampleBundle(store, "b2", 2);
            AtomicReference<Throwable> importFailure = new AtomicReference<>();
            List<Long> seen = store.read(c -> {
                List<Long> out = new ArrayList<>();
                out.add(count(c, "bundle"));
                // Another thread commits a whole import between this read's statements.
                Thread t = new Thread(() -> {
                    try {
                        store.commitImport(second);
                    } catch (Throwable e) {
                        importFailure.set(e);
                    }
                });
                t.start();
                try {
                    t.join(60_000);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                out.add(count(c, "bundle"));
                out.add(count(c, "probe_item"));
                out.add(count(c, "probe_tag"));
                return out;
            });
            if (importFailure.get() != null) {
                throw new AssertionError("the import beside the read failed", importFailure.get());
            }
            assertEquals(List.of(1L, 1L, (long) StoreChild.ITEMS, 2L * StoreChild.ITEMS), seen,
                    "the read saw neither the new bundle nor its rows");
            assertTrue(store.isImported("b2"), "the import committed meanwhile");
            StoreCounts after = store.counts();
            assertEquals(2, after.bundles());
            assertEquals(2 * StoreChild.ITEMS, after.source(ProbeSource.NAME).orElseThrow().get("items"));

            StoreException bad = assertThrows(StoreException.class, () -> store.read(c -> count(c, "no_such_table")));
            assertTrue(bad.getMessage().startsWith("store " + dir + ": catalog query failed: "), bad.getMessage());
            assertFalse(bad.getMessage().contains("\n"));
            assertEquals(2L, (long) store.<Long>read(c -> count(c, "bundle")), "the pooled connection is usable again");
        }
    }

    @Test
    void readIsReadOnly() {
        try (Store store = Fixtures.open(dir)) {
            store.commitImport(StoreChild.sampleBundle(store, "b1", 1));
            TreeMap<String, List<String>> before = Fixtures.snapshot(store);
            store.read(c -> {
                try (Statement s = c.createStatement()) {
                    return s.executeUpdate("DELETE FROM probe_tag");
                }
            });
            assertEquals(before, Fixtures.snapshot(store), "nothing a read writes is kept");
        }
    }

    @Test
    void objectsASourceTypeReferencesAreNeverCollectedAndOthersAre() throws Exception {
        try (Store store = Fixtures.open(dir)) {
            ProbeWrite.Item kept;
            String leftOut;
            try (PendingImport imp = store.beginImport()) {
                kept = Fixtures.item(imp::putObject, "kept", "referenced by a probe row");
                leftOut = Fixtures.put(imp::putObject, Fixtures.bytes("written, referenced by no row"));
                imp.commit(Fixtures.bundle("b1", "main", 1, null, List.of(kept)));
            }
            assertTrue(store.hasObject(kept.sha256()));
            assertFalse(store.hasObject(leftOut), "written by the import, referenced by nothing: given back");

            // An import that writes the same object again and dies: its journal lists it, the catalog references it.
            Files.delete(store.objectPath(kept.sha256()));
            PendingImport dying = store.beginImport();
            Fixtures.put(dying::putObject, Fixtures.bytes("referenced by a probe row"));
            String unreferenced = Fixtures.put(dying::putObject, Fixtures.bytes("only the dead import's"));
            assertEquals(2, dying.objectsWritten());
            assertEquals(1, dying.abort(), "only the object no source type references");
            assertTrue(store.hasObject(kept.sha256()), "referenced by probe_item: kept");
            assertFalse(store.hasObject(unreferenced));
            assertEquals(0, store.collectGarbage());
            CheckReport check = store.check(true, CheckProgress.NONE);
            assertTrue(check.consistent(), check.toString());
        }
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
