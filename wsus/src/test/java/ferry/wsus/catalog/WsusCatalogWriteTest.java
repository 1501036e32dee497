package ferry.wsus.catalog;

import static ferry.wsus.catalog.CatalogFixtures.WINDOWS_11;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ferry.store.CheckProgress;
import ferry.store.CheckReport;
import ferry.store.ImportRecord;
import ferry.store.ImportRefusedException;
import ferry.store.Store;
import ferry.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link WsusCatalogWrite} refuses: malformed update records before anything is written; files that contradict
 * the store, and files named but absent, inside the import's transaction, which the store then rolls back whole.
 * And how {@link WsusTables} describes the objects it references to {@link Store#check}.
 */
class WsusCatalogWriteTest {
    static final String UPDATE = "11111111-1111-1111-1111-111111111111";

    @TempDir
    Path dir;
    Store store;

    @BeforeEach
    void open() {
        store = CatalogFixtures.open(dir);
        for (int seq = 1; seq <= 5; seq++) {
            CatalogFixtures.commit(store, CatalogFixtures.bundle("b" + seq, "wsus", seq, null,
                    List.of(CatalogFixtures.revision(store, UPDATE, seq, "Software", null, List.of(WINDOWS_11),
                            List.of())), List.of()));
        }
    }

    @AfterEach
    void close() {
        store.close();
    }

    private StoreException refusedInTheTransaction(ImportRecord<WsusCatalogWrite.Result> rec) {
        TreeMap<String, List<String>> before = CatalogFixtures.snapshot(store);
        StoreException e = assertThrows(StoreException.class, () -> CatalogFixtures.commit(store, rec));
        assertFalse(e instanceof ImportRefusedException, "the source's refusal, not the channel's");
        assertEquals(before, CatalogFixtures.snapshot(store), "catalog unchanged");
        assertFalse(store.isImported(rec.bundleId()));
        return e;
    }

    @Test
    void aMissingMetadataObjectIsNamedAndNothingIsRecorded() {
        String absent = CatalogFixtures.sha256(CatalogFixtures.bytes("metadata that was never copied"));
        RevisionRecord r = new RevisionRecord(UPDATE, 900, "Software", null, null, null, absent, List.of(), List.of(),
                List.of(), List.of(), List.of());
        StoreException e = refusedInTheTransaction(CatalogFixtures.bundle("b6", "wsus", 6, null, List.of(r), List.of()));
        assertEquals("bundle b6: object " + absent + " is not in the store", e.getMessage());

        byte[] content = CatalogFixtures.bytes("file content never copied");
        FileRecord f = new FileRecord(CatalogFixtures.sha1(content), CatalogFixtures.sha256(content), content.length,
                "x.cab", null);
        StoreException fe = refusedInTheTransaction(CatalogFixtures.bundle("b6", "wsus", 6, null, List.of(), List.of(f)));
        assertEquals("bundle b6: object " + CatalogFixtures.sha256(content) + " is not in the store", fe.getMessage());
    }

    @Test
    void aFileNeitherInTheBundleNorInTheStoreIsRefused() {
        String sha1 = "ABCDEF0123456789ABCDEF0123456789ABCDEF01";
        StoreException e = refusedInTheTransaction(CatalogFixtures.bundle("b6", "wsus", 6, null,
                List.of(CatalogFixtures.revision(store, UPDATE, 900, "Software", null, List.of(), List.of(sha1))),
                List.of()));
        assertEquals("bundle b6: update " + UPDATE + "-r900 names file " + sha1
                + ", which is neither in the bundle nor in the store", e.getMessage());
    }

    @Test
    void aFileWhoseContentDiffersFromTheStoredOneIsRefused() {
        FileRecord original = CatalogFixtures.file(store, "original", "a.cab");
        CatalogFixtures.commit(store, CatalogFixtures.bundle("b6", "wsus", 6, null, List.of(), List.of(original)));
        FileRecord forged = new FileRecord(original.sha1Hex(), CatalogFixtures.put(store, CatalogFixtures.bytes("forged")),
                6, "a.cab", null);
        // A new revision too, so the refusal comes after rows could have been written.
        StoreException e = refusedInTheTransaction(CatalogFixtures.bundle("b7", "wsus", 7, null,
                List.of(CatalogFixtures.revision(store, UPDATE, 901, "Software", null, List.of(), List.of())),
                List.of(forged)));
        assertEquals("bundle b7: file " + original.sha1Hex() + " has SHA-256 " + forged.sha256()
                + " but the store has it with " + original.sha256(), e.getMessage());
        assertEquals(original, new WsusCatalog(store).fileBySha1(original.sha1Hex()).orElseThrow());
    }

    @Test
    void aFileListedTwiceWithDifferentDetailsIsRefusedBeforeAnyWrite() {
        FileRecord f = CatalogFixtures.file(store, "content", "a.cab");
        FileRecord other = new FileRecord(f.sha1Hex(), f.sha256(), f.size(), "b.cab", null);
        StoreException e = assertThrows(StoreException.class, () -> WsusCatalogWrite.of("b6", List.of(), List.of(f, other)));
        assertEquals("bundle b6: file " + f.sha1Hex() + " is listed twice with different details", e.getMessage());
        // Listed twice alike is harmless: one row.
        WsusCatalogWrite.Result r = CatalogFixtures.commit(store, new ImportRecord<>("b6", "wsus", 6, null,
                java.time.Instant.parse("2025-01-14T18:00:00Z"), CatalogFixtures.sha256(CatalogFixtures.bytes("m")),
                List.of(), null, WsusCatalogWrite.of("b6", List.of(), List.of(f, f)), null));
        assertEquals(1, r.newFiles());
    }

    @Test
    void anUpdateListedTwiceIsRefusedBeforeAnyWrite() {
        RevisionRecord r = CatalogFixtures.revision(store, UPDATE, 902, "Software", null, List.of(), List.of());
        StoreException e = assertThrows(StoreException.class, () -> WsusCatalogWrite.of("b6", List.of(r, r), List.of()));
        assertTrue(e.getMessage().startsWith("bundle b6: update " + UPDATE + "-r902 is listed twice"), e.getMessage());
    }

    @Test
    void malformedRecordsAreRefusedBeforeAnyWrite() {
        TreeMap<String, List<String>> before = CatalogFixtures.snapshot(store);
        String md = CatalogFixtures.put(store, CatalogFixtures.bytes("<x/>"));
        List<RevisionRecord> bad = List.of(
                new RevisionRecord("not-a-guid", 1, "Software", null, null, null, md, null, null, null, null, null),
                new RevisionRecord(UPDATE, 901, "Firmware", null, null, null, md, null, null, null, null, null),
                new RevisionRecord(UPDATE, 902, "Software", "Product", null, null, md, null, null, null, null, null),
                new RevisionRecord(UPDATE, 903, "Software", null, null, null, md, List.of("../../x"), null, null,
                        null, null),
                new RevisionRecord(UPDATE, -1, "Software", null, null, null, md, null, null, null, null, null),
                new RevisionRecord(UPDATE, 904, "Software", null, "x".repeat(4001), null, md, null, null, null, null,
                        null),
                new RevisionRecord(UPDATE, 905, "Software", null, null, null, "not a digest", null, null, null, null,
                        null));
        for (RevisionRecord r : bad) {
            StoreException e = assertThrows(StoreException.class, () -> WsusCatalogWrite.of("b6", List.of(r), List.of()),
                    r.toString());
            assertTrue(e.getMessage().startsWith("bundle b6"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
        List<FileRecord> badFiles = List.of(
                new FileRecord("not a sha1", md, 1, "a.cab", null),
                new FileRecord(CatalogFixtures.sha1(CatalogFixtures.bytes("x")), md, -1, "a.cab", null),
                new FileRecord(CatalogFixtures.sha1(CatalogFixtures.bytes("x")), md, 1, "a.cab", "u".repeat(4001)));
        for (FileRecord f : badFiles) {
            assertThrows(StoreException.class, () -> WsusCatalogWrite.of("b6", List.of(), List.of(f)), f.toString());
        }
        assertEquals(before, CatalogFixtures.snapshot(store));
    }

    @Test
    void checkDescribesAMissingObjectByWhatUsesIt() throws Exception {
        FileRecord f = CatalogFixtures.file(store, "update file content", "windows11-kb1.msu");
        RevisionRecord r = CatalogFixtures.revision(store, "33333333-3333-3333-3333-333333333331", 1, "Driver", null,
                List.of(), List.of(f.sha1Hex()));
        CatalogFixtures.commit(store, CatalogFixtures.bundle("b6", "wsus", 6, null, List.of(r), List.of(f)));
        Files.delete(store.objectPath(f.sha256()));
        Files.delete(store.objectPath(r.metadataSha256()));
        Files.write(store.objectPath(CatalogFixtures.sha256(CatalogFixtures.bytes("<Update id='" + UPDATE
                + "' rev='1'/>"))), new byte[3]);
        CheckReport report = store.check(false, CheckProgress.NONE);
        assertFalse(report.consistent());
        assertEquals("absent; update file windows11-kb1.msu (SHA-1 " + f.sha1Hex() + ")",
                detail(report.missing(), f.sha256()));
        assertEquals("absent; metadata of update 33333333-3333-3333-3333-333333333331 revision 1",
                detail(report.missing(), r.metadataSha256()));
        assertEquals(List.of(), report.damaged(), "metadata has no recorded size: only a rehash tells");
        CheckReport rehashed = store.check(true, CheckProgress.NONE);
        assertEquals(1, rehashed.damaged().size());
        assertTrue(rehashed.damaged().get(0).detail().contains("; metadata of update " + UPDATE + " revision 1;"),
                rehashed.damaged().get(0).detail());
    }

    private static String detail(List<CheckReport.Problem> problems, String sha256) {
        return problems.stream().filter(p -> p.sha256().equals(sha256)).findFirst().orElseThrow().detail();
    }
}
