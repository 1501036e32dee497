package ferry.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Serving reads the store while an import runs: readers see each bundle entirely or not at all. */
class ConcurrencyTest {
    static final int BUNDLES = 15;
    static final int PER_BUNDLE = 4;

    @TempDir
    Path dir;

    @Test
    void queriesFromSeveralThreadsWhileImporting() throws Exception {
        try (Store store = Store.open(dir)) {
            List<ImportRecord> records = new ArrayList<>();
            for (int b = 1; b <= BUNDLES; b++) {
                List<RevisionRecord> revs = new ArrayList<>();
                List<FileRecord> files = new ArrayList<>();
                for (int i = 0; i < PER_BUNDLE; i++) {
                    FileRecord f = Fixtures.file(store, "file " + b + "/" + i, "f" + b + "_" + i + ".cab");
                    files.add(f);
                    String id = String.format("%08d-0000-0000-0000-%012d", b, i);
                    revs.add(Fixtures.revision(store, id, 1, "Software", null, List.of(Fixtures.WINDOWS_11),
                            List.of(f.sha1Hex())));
                }
                records.add(Fixtures.bundle("b" + b, "wsus", b, null, revs, files));
            }

            AtomicBoolean done = new AtomicBoolean();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            AtomicInteger reads = new AtomicInteger();
            CountDownLatch started = new CountDownLatch(4);
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Thread reader = new Thread(() -> {
                    started.countDown();
                    try {
                        while (!done.get()) {
                            long anchor = store.currentChangeNumber();
                            List<RevisionRef> refs = store.latestRevisions(false, Set.of(Fixtures.WINDOWS_11), Set.of(), 0);
                            assertTrue(refs.size() >= anchor, "an anchor never runs ahead of what is served");
                            assertEquals(0, refs.size() % PER_BUNDLE, "a bundle is seen whole or not at all");
                            StoreCounts counts = store.counts();
                            assertEquals(counts.revisions(), counts.files());
                            assertEquals(counts.bundles() * PER_BUNDLE, counts.revisions());
                            for (RevisionRef ref : refs) {
                                FileRecord f = store.files(ref.updateId(), ref.revisionNumber()).get(0);
                                try (InputStream in = store.openObject(f.sha256())) {
                                    assertEquals(f.size(), in.readAllBytes().length);
                                }
                                assertTrue(store.fileBySha1(f.sha1Hex()).isPresent());
                            }
                            reads.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                reader.start();
                readers.add(reader);
            }
            started.await();
            for (ImportRecord rec : records) {
                store.commitImport(rec);
            }
            done.set(true);
            for (Thread r : readers) {
                r.join(60_000);
            }
            if (!failures.isEmpty()) {
                throw new AssertionError("a reader failed", failures.peek());
            }
            assertTrue(reads.get() > 0);
            assertEquals(BUNDLES * PER_BUNDLE, store.counts().revisions());
            assertEquals(BUNDLES * PER_BUNDLE, store.currentChangeNumber());
        }
    }

    @Test
    void concurrentImportsOfTheSameSequenceAcceptExactlyOne() throws Exception {
        try (Store store = Store.open(dir)) {
            List<ImportRecord> rivals = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                rivals.add(Fixtures.bundle("rival-" + i, "wsus", 1, null, List.of(Fixtures.revision(store,
                        String.format("aaaaaaaa-0000-0000-0000-%012d", i), 1, "Software", null, List.of(), List.of())),
                        List.of()));
            }
            AtomicInteger accepted = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (ImportRecord rec : rivals) {
                Thread t = new Thread(() -> {
                    try {
                        store.commitImport(rec);
                        accepted.incrementAndGet();
                    } catch (ImportRefusedException e) {
                        refused.incrementAndGet();
                    }
                });
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                t.join(60_000);
            }
            assertEquals(1, accepted.get());
            assertEquals(3, refused.get());
            assertEquals(1, store.counts().revisions());
        }
    }
}
