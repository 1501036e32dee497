package ferry.store;

import ferry.verifier.ChannelPolicy;
import static ferry.store.Fixtures.WINDOWS_11;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Everything commitImport refuses leaves every catalog row as it was. */
class RefusalTest {
    static final String UPDATE = "11111111-1111-1111-1111-111111111111";

    @TempDir
    Path dir;
    Store store;

    @BeforeEach
    void open() {
        store = Store.open(dir);
        for (int seq = 1; seq <= 5; seq++) {
            store.commitImport(Fixtures.bundle("b" + seq, "wsus", seq, null,
                    List.of(Fixtures.revision(store, UPDATE, seq, "Software", null, List.of(WINDOWS_11), List.of())),
                    List.of()));
        }
    }

    @AfterEach
    void close() {
        store.close();
    }

    private ImportRecord newBundle(String id, long seq, Long base) {
        return Fixtures.bundle(id, "wsus", seq, base,
                List.of(Fixtures.revision(store, UPDATE, 100 + (int) seq, "Software", null, List.of(), List.of())),
                List.of(Fixtures.file(store, "content of " + id, id + ".cab")));
    }

    private ImportRefusedException refused(ImportRecord rec) {
        TreeMap<String, List<String>> before = Fixtures.snapshot(store);
        ImportRefusedException e = assertThrows(ImportRefusedException.class, () -> store.commitImport(rec));
        assertEquals(before, Fixtures.snapshot(store), "catalog unchanged");
        return e;
    }

    @Test
    void lowerSequenceIsAReplay() {
        ImportRefusedException e = refused(newBundle("old", 3, null));
        assertEquals(ChannelPolicy.Verdict.REPLAY, e.verdict());
        assertEquals("replay: bundle old (channel wsus, sequence 3) is not above the channel's last imported sequence 5"
                + " (bundle b5)", e.getMessage());
    }

    @Test
    void sameSequenceIsAReplay() {
        ImportRefusedException e = refused(newBundle("other-5", 5, null));
        assertEquals(ChannelPolicy.Verdict.REPLAY, e.verdict());
    }

    @Test
    void theSameBundleTwiceIsAlreadyImported() {
        ImportRefusedException e = refused(Fixtures.bundle("b5", "wsus", 5, null, List.of(), List.of()));
        assertEquals(ChannelPolicy.Verdict.ALREADY_IMPORTED, e.verdict());
        assertEquals("bundle b5 (channel wsus, sequence 5) was already imported; nothing to do", e.getMessage());
        // Even under a new sequence number and another channel: a bundle id is imported once.
        assertEquals(ChannelPolicy.Verdict.ALREADY_IMPORTED,
                refused(Fixtures.bundle("b5", "other", 9, null, List.of(), List.of())).verdict());
    }

    @Test
    void aDeltaOnABaseNeverImportedIsRefused() {
        ImportRefusedException e = refused(newBundle("delta", 8, 6L));
        assertEquals(ChannelPolicy.Verdict.MISSING_BASE, e.verdict());
        assertEquals("missing base: bundle delta (channel wsus, sequence 8) is a delta on sequence 6, but the channel's"
                + " last imported is 5; import the bundles in between first", e.getMessage());
        ImportRefusedException fresh = refused(Fixtures.bundle("d", "new-channel", 2, 1L, List.of(), List.of()));
        assertEquals(ChannelPolicy.Verdict.MISSING_BASE, fresh.verdict());
        assertTrue(fresh.getMessage().contains("nothing was imported on channel new-channel"), fresh.getMessage());
    }

    @Test
    void aDeltaOnAnImportedBaseIsAccepted() {
        assertEquals(1, store.commitImport(newBundle("delta-on-3", 6, 3L)).newRevisions());
        assertEquals(1, store.commitImport(newBundle("delta-on-6", 7, 6L)).newRevisions());
        assertTrue(store.isImported("delta-on-6"));
    }

    @Test
    void aMissingObjectIsNamedAndNothingIsRecorded() {
        String absent = Fixtures.sha256(Fixtures.bytes("metadata that was never copied"));
        RevisionRecord r = new RevisionRecord(UPDATE, 900, "Software", null, null, null, absent, List.of(), List.of(),
                List.of(), List.of(), List.of());
        TreeMap<String, List<String>> before = Fixtures.snapshot(store);
        StoreException e = assertThrows(StoreException.class,
                () -> store.commitImport(Fixtures.bundle("b6", "wsus", 6, null, List.of(r), List.of())));
        assertFalse(e instanceof ImportRefusedException);
        assertEquals("bundle b6: metadata of update " + UPDATE + "/900: object " + absent + " is not in the store",
                e.getMessage());
        assertEquals(before, Fixtures.snapshot(store));

        byte[] content = Fixtures.bytes("file content never copied");
        FileRecord f = new FileRecord(Fixtures.sha1(content), Fixtures.sha256(content), content.length, "x.cab", null);
        StoreException fe = assertThrows(StoreException.class,
                () -> store.commitImport(Fixtures.bundle("b6", "wsus", 6, null, List.of(), List.of(f))));
        assertTrue(fe.getMessage().contains(Fixtures.sha256(content)), fe.getMessage());
        assertEquals(before, Fixtures.snapshot(store));
    }

    @Test
    void aFileNeitherInTheBundleNorInTheStoreIsRefused() {
        String sha1 = "ABCDEF0123456789ABCDEF0123456789ABCDEF01";
        TreeMap<String, List<String>> before = Fixtures.snapshot(store);
        StoreException e = assertThrows(StoreException.class, () -> store.commitImport(Fixtures.bundle("b6", "wsus", 6,
                null, List.of(Fixtures.revision(store, UPDATE, 900, "Software", null, List.of(), List.of(sha1))),
                List.of())));
        assertTrue(e.getMessage().contains(sha1) && e.getMessage().contains("neither in the bundle nor in the store"),
                e.getMessage());
        assertEquals(before, Fixtures.snapshot(store));
    }

    @Test
    void aFileWhoseContentDiffersFromTheStoredOneIsRefused() {
        FileRecord original = Fixtures.file(store, "original", "a.cab");
        store.commitImport(Fixtures.bundle("b6", "wsus", 6, null, List.of(), List.of(original)));
        FileRecord forged = new FileRecord(original.sha1Hex(), Fixtures.put(store, Fixtures.bytes("forged")),
                6, "a.cab", null);
        TreeMap<String, List<String>> before = Fixtures.snapshot(store);
        StoreException e = assertThrows(StoreException.class,
                () -> store.commitImport(Fixtures.bundle("b7", "wsus", 7, null, List.of(), List.of(forged))));
        assertTrue(e.getMessage().contains("but the store has it with " + original.sha256()), e.getMessage());
        assertEquals(before, Fixtures.snapshot(store));
    }

    @Test
    void malformedRecordsAreRefusedBeforeAnyWrite() {
        TreeMap<String, List<String>> before = Fixtures.snapshot(store);
        String md = Fixtures.put(store, Fixtures.bytes("<x/>"));
        List<RevisionRecord> bad = List.of(
                new RevisionRecord("not-a-guid", 1, "Software", null, null, null, md, null, null, null, null, null),
                new RevisionRecord(UPDATE, 901, "Firmware", null, null, null, md, null, null, null, null, null),
                new RevisionRecord(UPDATE, 902, "Software", "Product", null, null, md, null, null, null, null, null),
                new RevisionRecord(UPDATE, 903, "Software", null, null, null, md, List.of("../../x"), null, null,
                        null, null));
        for (RevisionRecord r : bad) {
            assertThrows(StoreException.class,
                    () -> store.commitImport(Fixtures.bundle("b6", "wsus", 6, null, List.of(r), List.of())));
        }
        assertThrows(StoreException.class,
                () -> store.commitImport(Fixtures.bundle("b6", "wsus", 0, null, List.of(), List.of())));
        assertThrows(StoreException.class,
                () -> store.commitImport(Fixtures.bundle("b6", "wsus", 6, 6L, List.of(), List.of())));
        assertThrows(StoreException.class,
                () -> store.commitImport(Fixtures.bundle(" ", "wsus", 6, null, List.of(), List.of())));
        assertEquals(before, Fixtures.snapshot(store));
    }
}
