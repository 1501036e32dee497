package ferry.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        try (Store store = Fixtures.open(dir)) {
            List<ImportRecord<ProbeWrite.Result>> records = new ArrayList<>();
            for (int b = 1; b <= BUNDLES; b++) {
                List<ProbeWrite.Item> items = new ArrayList<>();
                for (int i = 0; i < PER_BUNDLE; i++) {
                    items.add(Fixtures.item(store, "b" + b + "-" + i, "content " + b + "/" + i, "t" + i));
                }
                records.add(Fixtures.bundle("b" + b, "main", b, null, items));
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
                            StoreCounts counts = store.counts();
                            long items = counts.source(ProbeSource.NAME).orElseThrow().get("items");
                            assertEquals(counts.bundles() * PER_BUNDLE, items, "a bundle is seen whole or not at all");
                            assertEquals(items, counts.source(ProbeSource.NAME).orElseThrow().get("tags"));
                            assertEquals(counts.bundles() == 0 ? 0 : 1, counts.channels());
                            List<ProbeWrite.Item> seen = ProbeSource.items(store);
                            assertEquals(0, seen.size() % PER_BUNDLE, "a bundle is seen whole or not at all");
                            assertTrue(seen.size() >= items, "a later read never sees less");
                            for (ProbeWrite.Item item : seen) {
                                assertEquals(1, item.tags().size(), "an item is seen with its tags");
                                try (InputStream in = store.openObject(item.sha256())) {
                                    assertEquals(item.size(), in.readAllBytes().length);
                                }
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
            for (ImportRecord<ProbeWrite.Result> rec : records) {
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
            assertEquals(BUNDLES * PER_BUNDLE, ProbeSource.counts(store).get("items"));
            assertEquals(BUNDLES, store.counts().bundles());
        }
    }

    @Test
    void concurrentImportsOfTheSameSequenceAcceptExactlyOne() throws Exception {
        try (Store store = Fixtures.open(dir)) {
            List<ImportRecord<ProbeWrite.Result>> rivals = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                rivals.add(Fixtures.bundle("rival-" + i, "main", 1, null,
                        List.of(Fixtures.item(store, "rival-item-" + i, "rival " + i))));
            }
            AtomicInteger accepted = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (ImportRecord<ProbeWrite.Result> rec : rivals) {
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
            assertEquals(1, ProbeSource.counts(store).get("items"));
            assertEquals(1, store.counts().bundles());
        }
    }
}
