package ferry.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Store#check}: catalog and objects agree; a damaged object is reported and no longer served. */
class StoreCheckTest {
    @TempDir
    Path dir;
    Store store;
    ImportRecord<ProbeWrite.Result> rec;

    @BeforeEach
    void open() {
        store = Fixtures.open(dir);
        rec = StoreChild.sampleBundle(store, "b1", 1);
        store.commitImport(rec);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aConsistentStoreIsReportedSo() {
        AtomicLong total = new AtomicLong(-1);
        AtomicLong read = new AtomicLong();
        CheckReport r = store.check(true, new CheckProgress() {
            @Override
            public void begin(long totalBytes) {
                total.set(totalBytes);
            }

            @Override
            public void advance(long bytes) {
                read.addAndGet(bytes);
            }
        });
        assertTrue(r.consistent(), r.toString());
        assertEquals(4, r.objects());
        assertEquals(4, r.referenced());
        assertTrue(r.rehashed());
        assertEquals(r.objectBytes(), r.bytesHashed());
        assertEquals(r.objectBytes(), total.get());
        assertEquals(r.objectBytes(), read.get());
        assertEquals(0, store.check(false, CheckProgress.NONE).bytesHashed());
    }

    @Test
    void aDeletedObjectIsReportedMissingWithWhatUsesIt() throws Exception {
        String first = item(0).sha256();
        Files.delete(store.objectPath(first));
        String third = item(2).sha256();
        Files.delete(store.objectPath(third));
        CheckReport r = store.check(false, CheckProgress.NONE);
        assertFalse(r.consistent());
        assertEquals(List.of(first, third).stream().sorted().toList(),
                r.missing().stream().map(CheckReport.Problem::sha256).toList());
        assertEquals("absent; probe item b1-item1 (b1-item1.bin)", detail(r.missing(), first),
                "described by the source type that references it");
        assertEquals("absent; probe item b1-item3 (b1-item3.bin)", detail(r.missing(), third));
        assertEquals(List.of(), r.damaged());
    }

    @Test
    void aDamagedObjectIsFoundByRehashingQuarantinedAndNoLongerServed() throws Exception {
        String md = item(0).sha256();
        Path p = store.objectPath(md);
        byte[] bytes = Files.readAllBytes(p);
        bytes[3] ^= 1;
        Files.write(p, bytes);
        assertTrue(store.check(false, CheckProgress.NONE).consistent(), "same size: only a rehash can tell");

        CheckReport r = store.check(true, CheckProgress.NONE);
        assertFalse(r.consistent());
        assertEquals(1, r.damaged().size());
        String detail = r.damaged().get(0).detail();
        assertEquals("content has SHA-256 " + Fixtures.sha256(bytes) + "; probe item b1-item1 (b1-item1.bin);"
                + " moved to quarantine/", detail);
        assertEquals(List.of(md), r.missing().stream().map(CheckReport.Problem::sha256).toList());

        assertFalse(store.hasObject(md), "no longer served");
        StoreException e = assertThrows(StoreException.class, () -> store.openObject(md));
        assertTrue(e.getMessage().contains("not in the store"), e.getMessage());
        assertTrue(Files.exists(dir.resolve("quarantine").resolve(md)), "kept for inspection");

        CheckReport again = store.check(true, CheckProgress.NONE);
        assertEquals(List.of(), again.damaged());
        assertTrue(detail(again.missing(), md).startsWith("damaged, in quarantine/; probe item b1-item1"),
                again.toString());

        // Recovery: the genuine bytes, from anywhere, go back in under their name.
        bytes[3] ^= 1;
        Fixtures.put(store, bytes);
        assertTrue(store.check(true, CheckProgress.NONE).consistent());
        try (InputStream in = store.openObject(md)) {
            assertEquals(bytes.length, in.readAllBytes().length);
        }
    }

    @Test
    void aTruncatedFileIsFoundWithoutRehashing() throws Exception {
        ProbeWrite.Item f = item(1);
        Files.write(store.objectPath(f.sha256()), new byte[3]);
        CheckReport r = store.check(false, CheckProgress.NONE);
        assertEquals(List.of(f.sha256()), r.damaged().stream().map(CheckReport.Problem::sha256).toList());
        assertTrue(r.damaged().get(0).detail().startsWith("is 3 bytes, the catalog says " + f.size()),
                r.damaged().get(0).detail());
        assertFalse(store.hasObject(f.sha256()));
    }

    @Test
    void unreferencedObjectsAndStraysAreReportedAndKept() throws Exception {
        // Put there by hand: no journal says ferry wrote it.
        byte[] data = Fixtures.bytes("nobody references me");
        String orphan = Fixtures.sha256(data);
        Files.createDirectories(store.objectPath(orphan).getParent());
        Files.write(store.objectPath(orphan), data);
        String journaled = Fixtures.put(store, Fixtures.bytes("written by this store, not committed yet"));
        Path stray = Files.writeString(dir.resolve("objects/sha256/README.txt"), "not an object");
        Path misplaced = dir.resolve("objects/sha256/00").resolve(orphan.replace(orphan.charAt(0), 'f'));
        Files.createDirectories(misplaced.getParent());
        Files.writeString(misplaced, "wrong directory");
        CheckReport r = store.check(true, CheckProgress.NONE);
        assertFalse(r.consistent());
        assertEquals(List.of(orphan), r.unreferenced());
        assertEquals(List.of(journaled), r.unfinished(), "accounted for by the journal: not a problem");
        assertEquals(List.of(dir.relativize(misplaced).toString(), dir.relativize(stray).toString()).stream()
                .sorted().toList(), r.strays());
        assertEquals(List.of(), r.missing());
        assertEquals(List.of(), r.damaged());
        assertTrue(store.hasObject(orphan), "kept: ferry never deletes what it cannot account for");
        assertTrue(Files.exists(stray) && Files.exists(misplaced));
        assertEquals(0, store.collectGarbage());
        assertTrue(store.hasObject(orphan));
    }

    private ProbeWrite.Item item(int index) {
        List<ProbeWrite.Item> items = ProbeSource.items(store);
        assertEquals(StoreChild.ITEMS, items.size());
        return items.get(index);
    }

    private static String detail(List<CheckReport.Problem> problems, String sha256) {
        return problems.stream().filter(p -> p.sha256().equals(sha256)).findFirst().orElseThrow().detail();
    }
}
