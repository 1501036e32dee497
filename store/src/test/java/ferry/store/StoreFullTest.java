package ferry.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 9 of issue 5 (store side): a full disk is a {@link StoreFullException} naming the path, the bytes
 * needed and the bytes free; nothing of the failed write stays, and an aborted import gives its space back.
 */
class StoreFullTest {
    private static final int MiB = 1 << 20;

    @TempDir
    Path dir;

    // ---- injected: a Jimfs file system with a quota ----

    private static FileSystem smallDisk(long bytes) {
        return Jimfs.newFileSystem(Configuration.unix().toBuilder().setBlockSize(8192).setMaxSize(bytes).build());
    }

    @Test
    void anObjectLargerThanTheFreeSpaceIsRefusedBeforeReadingIt() throws Exception {
        try (FileSystem fs = smallDisk(MiB)) {
            ObjectStore objects = new ObjectStore(fs.getPath("/store"));
            objects.prepare();
            InputStream mustNotBeRead = new InputStream() {
                @Override
                public int read() {
                    throw new AssertionError("read although it cannot fit");
                }
            };
            String hex = Fixtures.sha256(Fixtures.bytes("two MiB"));
            StoreFullException e = assertThrows(StoreFullException.class, () -> objects.put(mustNotBeRead, hex, 2 * MiB));
            assertEquals(2 * MiB, e.neededBytes());
            long free = Files.getFileStore(fs.getPath("/store")).getUsableSpace();
            assertEquals(free, e.freeBytes());
            assertEquals("no space left on /store: needed 2097152 bytes, free " + free + " bytes (object " + hex + ")",
                    e.getMessage());
            assertFalse(objects.has(hex));
        }
    }

    @Test
    void runningOutOfSpaceWhileWritingLeavesNothingAndSaysSo() throws Exception {
        try (FileSystem fs = smallDisk(MiB)) {
            Path storeDir = fs.getPath("/store");
            ObjectStore objects = new ObjectStore(storeDir);
            objects.prepare();
            byte[] data = new byte[600 * 1024];
            new Random(9).nextBytes(data);
            String hex = Fixtures.sha256(data);
            Path filler = fs.getPath("/filler");
            // Something else fills the disk while the object is being written.
            InputStream in = new ByteArrayInputStream(data) {
                boolean filled;

                @Override
                public synchronized int read(byte[] b, int off, int len) {
                    if (pos > 100 * 1024 && !filled) {
                        filled = true;
                        try {
                            Files.write(filler, new byte[600 * 1024]);
                        } catch (IOException e) {
                            throw new AssertionError(e);
                        }
                    }
                    return super.read(b, off, len);
                }
            };
            StoreFullException e = assertThrows(StoreFullException.class, () -> objects.put(in, hex, data.length));
            assertEquals(data.length, e.neededBytes());
            assertEquals(Files.getFileStore(storeDir).getUsableSpace(), e.freeBytes(), "measured after clean-up");
            assertTrue(e.getMessage().startsWith("no space left on /store: needed 614400 bytes, free "), e.getMessage());
            assertFalse(objects.has(hex));
            try (var s = Files.list(storeDir.resolve("tmp"))) {
                assertEquals(0, s.count(), "the partial object is gone");
            }
            Files.delete(filler);
            objects.put(new ByteArrayInputStream(data), hex, data.length);
            assertTrue(objects.has(hex), "with the space back, the same object goes in");
        }
    }

    // ---- for real: a 16 MiB tmpfs (needs root and mount; skipped otherwise) ----

    @Test
    void aFullTmpfsIsReportedAndAnAbortedImportGivesTheSpaceBack() throws Exception {
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mnt.toString()),
                "cannot mount a tmpfs here (needs root); the Jimfs tests above cover the same paths");
        try {
            Path storeDir = mnt.resolve("store");
            try (Store store = Fixtures.open(storeDir)) {
                store.commitImport(StoreChild.sampleBundle(store, "b1", 1));
                long freeAtStart = store.usableSpace();
                assertEquals(Files.getFileStore(mnt).getUsableSpace(), freeAtStart);
                Random random = new Random(16);
                PendingImport imp = store.beginImport();
                for (int i = 0; i < 3; i++) {
                    put(imp, random, 4 * MiB);
                }
                assertEquals(12 * MiB, imp.bytesWritten());

                // Pre-flight: another 4 MiB cannot fit.
                StoreFullException pre = assertThrows(StoreFullException.class, () -> put(imp, random, 4 * MiB));
                assertEquals(4 * MiB, pre.neededBytes());
                assertTrue(pre.freeBytes() < 4 * MiB && pre.freeBytes() >= 0, pre.getMessage());
                assertTrue(pre.getMessage().startsWith("no space left on " + storeDir + ": needed 4194304 bytes, free "),
                        pre.getMessage());

                // The kernel's ENOSPC mid-write: fits at the start, not once something else took the space.
                long free = store.usableSpace();
                Path filler = mnt.resolve("filler");
                byte[] data = new byte[(int) (free - 256 * 1024)];
                random.nextBytes(data);
                InputStream in = new ByteArrayInputStream(data) {
                    boolean filled;

                    @Override
                    public synchronized int read(byte[] b, int off, int len) {
                        if (pos > 64 * 1024 && !filled) {
                            filled = true;
                            try {
                                Files.write(filler, new byte[(int) (free / 2)]);
                            } catch (IOException e) {
                                throw new AssertionError(e);
                            }
                        }
                        return super.read(b, off, len);
                    }
                };
                String hex = Fixtures.sha256(data);
                StoreFullException mid = assertThrows(StoreFullException.class, () -> imp.putObject(in, hex, data.length));
                assertTrue(mid.getMessage().startsWith("no space left on " + storeDir + ": needed " + data.length
                        + " bytes, free "), mid.getMessage());
                assertFalse(store.hasObject(hex));
                try (var s = Files.list(storeDir.resolve("tmp"))) {
                    assertEquals(0, s.count(), "the partial object is gone");
                }
                Files.delete(filler);

                assertEquals(3, imp.abort());
                assertTrue(store.usableSpace() >= freeAtStart - 512 * 1024,
                        "space given back: " + store.usableSpace() + " of " + freeAtStart);
                assertTrue(store.check(true, CheckProgress.NONE).consistent());
            }
        } finally {
            assertTrue(run("umount", mnt.toString()), "umount " + mnt);
        }
    }

    @Test
    void aCommitOnAFullTmpfsIsRefusedAndTheCatalogSurvives() throws Exception {
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mnt.toString()),
                "cannot mount a tmpfs here (needs root)");
        try {
            Path storeDir = mnt.resolve("store");
            Path filler = mnt.resolve("filler");
            try (Store store = Fixtures.open(storeDir)) {
                store.commitImport(StoreChild.sampleBundle(store, "b1", 1));
                PendingImport imp = store.beginImport();
                ImportRecord<ProbeWrite.Result> big = bigBundle(imp, "b2", 2);
                fill(filler);
                StoreException e = assertThrows(StoreException.class, () -> imp.commit(big));
                assertTrue(e instanceof StoreFullException, e.toString());
                assertTrue(e.getMessage().startsWith("no space left on " + storeDir + ": free "), e.getMessage());
                Files.delete(filler);
                try {
                    imp.abort();
                } catch (StoreException ignored) {
                    // H2 may have closed the database after the failed write; the next open cleans up.
                }
            }
            try (Store store = Fixtures.open(storeDir)) {
                store.collectGarbage();
                assertTrue(store.isImported("b1"));
                assertFalse(store.isImported("b2"));
                assertEquals(List.of(new ChannelState(StoreChild.CHANNEL, 1, "b1")), store.channels());
                CheckReport check = store.check(true, CheckProgress.NONE);
                assertTrue(check.consistent() && check.unfinished().isEmpty(), "what the failed import wrote is given back");
                store.commitImport(StoreChild.sampleBundle(store, "b3", 3));
            }
        } finally {
            run("umount", mnt.toString());
        }
    }

    // Enough items that the commit must grow the catalog file.
    private static ImportRecord<ProbeWrite.Result> bigBundle(PendingImport imp, String id, int seq) {
        List<ProbeWrite.Item> items = new java.util.ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            items.add(Fixtures.item(imp::putObject, String.format("%s-%06d", id, i), "content " + id + "/" + i,
                    "tag of an item that makes the row longer " + i));
        }
        return Fixtures.bundle(id, StoreChild.CHANNEL, seq, null, items);
    }

    private static void fill(Path filler) throws IOException {
        try (var out = Files.newOutputStream(filler)) {
            byte[] buf = new byte[64 * 1024];
            while (true) {
                out.write(buf);
            }
        } catch (IOException full) {
            // The disk is full now.
        }
    }

    private static void put(PendingImport imp, Random random, int size) {
        byte[] data = new byte[size];
        random.nextBytes(data);
        imp.putObject(new ByteArrayInputStream(data), Fixtures.sha256(data), size);
    }

    private static boolean run(String... cmd) throws Exception {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
