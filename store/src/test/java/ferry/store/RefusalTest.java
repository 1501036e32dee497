package ferry.store;

import ferry.verifier.ChannelPolicy;
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
    @TempDir
    Path dir;
    Store store;

    @BeforeEach
    void open() {
        store = Fixtures.open(dir);
        for (int seq = 1; seq <= 5; seq++) {
            store.commitImport(Fixtures.bundle("b" + seq, "wsus", seq, null,
                    List.of(Fixtures.item(store, "item" + seq, "content of b" + seq, "tag"))));
        }
    }

    @AfterEach
    void close() {
        store.close();
    }

    private ImportRecord<ProbeWrite.Result> newBundle(String id, long seq, Long base) {
        return Fixtures.bundle(id, "wsus", seq, base, List.of(Fixtures.item(store, "item-" + id, "content of " + id)));
    }

    private ImportRefusedException refused(ImportRecord<ProbeWrite.Result> rec) {
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
        ImportRefusedException e = refused(Fixtures.bundle("b5", "wsus", 5, null, List.of()));
        assertEquals(ChannelPolicy.Verdict.ALREADY_IMPORTED, e.verdict());
        assertEquals("bundle b5 (channel wsus, sequence 5) was already imported; nothing to do", e.getMessage());
        // Even under a new sequence number and another channel: a bundle id is imported once.
        assertEquals(ChannelPolicy.Verdict.ALREADY_IMPORTED,
                refused(Fixtures.bundle("b5", "other", 9, null, List.of())).verdict());
    }

    @Test
    void aDeltaOnABaseNeverImportedIsRefused() {
        ImportRefusedException e = refused(newBundle("delta", 8, 6L));
        assertEquals(ChannelPolicy.Verdict.MISSING_BASE, e.verdict());
        assertEquals("missing base: bundle delta (channel wsus, sequence 8) is a delta on sequence 6, but the channel's"
                + " last imported is 5; import the bundles in between first", e.getMessage());
        ImportRefusedException fresh = refused(Fixtures.bundle("d", "new-channel", 2, 1L, List.of()));
        assertEquals(ChannelPolicy.Verdict.MISSING_BASE, fresh.verdict());
        assertTrue(fresh.getMessage().contains("nothing was imported on channel new-channel"), fresh.getMessage());
    }

    @Test
    void aDeltaOnAnImportedBaseIsAccepted() {
        assertEquals(1, store.commitImport(newBundle("delta-on-3", 6, 3L)).newRecords());
        assertEquals(1, store.commitImport(newBundle("delta-on-6", 7, 6L)).newRecords());
        assertTrue(store.isImported("delta-on-6"));
    }

    @Test
    void aMissingObjectIsNamedAndNothingIsRecorded() {
        String absent = Fixtures.sha256(Fixtures.bytes("content that was never copied"));
        ProbeWrite.Item item = new ProbeWrite.Item("never-copied", absent, 29, "x.bin", List.of());
        TreeMap<String, List<String>> before = Fixtures.snapshot(store);
        StoreException e = assertThrows(StoreException.class,
                () -> store.commitImport(Fixtures.bundle("b6", "wsus", 6, null, List.of(item))));
        assertFalse(e instanceof ImportRefusedException);
        assertEquals("bundle b6: object " + absent + " is not in the store", e.getMessage());
        assertEquals(before, Fixtures.snapshot(store));
        assertFalse(store.isImported("b6"));
    }

    @Test
    void aSourceWriteThatContradictsTheStoreRollsTheWholeImportBack() {
        ProbeWrite.Item forged = Fixtures.item(store, "item3", "other content under a stored item's id");
        TreeMap<String, List<String>> before = Fixtures.snapshot(store);
        // Another item first, so the source's write has added rows before it refuses.
        ImportRecord<ProbeWrite.Result> rec = Fixtures.bundle("b6", "wsus", 6, null,
                List.of(Fixtures.item(store, "fresh", "fresh content", "t"), forged));
        StoreException e = assertThrows(StoreException.class, () -> store.commitImport(rec));
        assertFalse(e instanceof ImportRefusedException);
        assertTrue(e.getMessage().startsWith("bundle b6: item item3 has SHA-256 " + forged.sha256()
                + ", but the store has it with "), e.getMessage());
        assertEquals(before, Fixtures.snapshot(store), "bundle row, item rows and channel all rolled back");
        assertEquals(List.of(new ChannelState("wsus", 5, "b5")), store.channels());
    }

    @Test
    void malformedBundleFieldsAreRefusedBeforeAnyWrite() {
        TreeMap<String, List<String>> before = Fixtures.snapshot(store);
        StoreException seq = assertThrows(StoreException.class,
                () -> store.commitImport(Fixtures.bundle("b6", "wsus", 0, null, List.of())));
        assertEquals("bundle b6: sequence number 0 is not at least 1", seq.getMessage());
        StoreException base = assertThrows(StoreException.class,
                () -> store.commitImport(Fixtures.bundle("b6", "wsus", 6, 6L, List.of())));
        assertTrue(base.getMessage().startsWith("bundle b6: base sequence 6 is not between 1"), base.getMessage());
        assertThrows(StoreException.class, () -> store.commitImport(Fixtures.bundle(" ", "wsus", 6, null, List.of())));
        assertThrows(StoreException.class,
                () -> store.commitImport(Fixtures.bundle("b6", "bad\nchannel", 6, null, List.of())));
        StoreException dup = assertThrows(StoreException.class, () -> Fixtures.bundle("b6", "wsus", 6, null,
                List.of(Fixtures.item(store, "twice", "x"), Fixtures.item(store, "twice", "y"))));
        assertEquals("bundle b6: item twice is listed twice", dup.getMessage());
        assertEquals(before, Fixtures.snapshot(store));
    }
}
