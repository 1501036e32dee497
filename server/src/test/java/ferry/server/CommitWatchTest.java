package ferry.server;

import ferry.format.Progress;
import ferry.format.trust.TrustStore;
import ferry.importer.Importer;
import ferry.importer.TestBundles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static ferry.importer.TestBundles.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The refresh hook: a commit by an import that opened the served store itself reaches the server's listeners. */
class CommitWatchTest {
    @TempDir
    Path tmp;

    @Test
    void anImportIntoAServedStoreReachesTheCommitListeners() throws Exception {
        Path storeDir = tmp.resolve("store");
        TrustStore trust = TestBundles.trust(tmp.resolve("trust"), 1, ALICE);
        Importer.importBundle(bundle().update(defenderUpdate(200)).write(tmp.resolve("b1")), storeDir, trust, NOW,
                Progress.NONE);
        try (StoreServer server = StoreServer.start(storeDir, "127.0.0.1", 0)) {
            assertEquals(1, server.commits().imports());
            CountDownLatch seen = new CountDownLatch(1);
            AtomicInteger calls = new AtomicInteger();
            server.commits().onCommit(() -> {
                throw new IllegalStateException("a failing listener does not stop the others");
            });
            server.commits().onCommit(() -> {
                calls.incrementAndGet();
                seen.countDown();
            });
            Thread.sleep(3 * CommitWatch.INTERVAL.toMillis());
            assertEquals(0, calls.get(), "no commit, no call");

            // The import opens the store itself, as `ferry import` in another process does, while it is served.
            Importer.importBundle(bundle().sequence(2).update(securityUpdate()).write(tmp.resolve("b2")), storeDir,
                    trust, NOW, Progress.NONE);
            assertTrue(seen.await(10, TimeUnit.SECONDS), "the commit was noticed");
            assertEquals(2, server.commits().imports());
            Thread.sleep(3 * CommitWatch.INTERVAL.toMillis());
            assertEquals(1, calls.get(), "once per commit");
        }
    }

    @Test
    void anApprovalMadeWhileServingReachesTheCommitListeners() throws Exception {
        Path storeDir = tmp.resolve("store");
        TrustStore trust = TestBundles.trust(tmp.resolve("trust"), 1, ALICE);
        Importer.importBundle(bundle().update(defenderUpdate(200)).write(tmp.resolve("b1")), storeDir, trust, NOW,
                Progress.NONE);
        try (StoreServer server = StoreServer.start(storeDir, "127.0.0.1", 0)) {
            long before = server.commits().changes();
            CountDownLatch seen = new CountDownLatch(1);
            server.commits().onCommit(seen::countDown);
            // As `ferry approve` does: the store's writer, opened beside the server.
            try (ferry.store.Store writer = ferry.store.Store.openForImport(storeDir, Importer.catalogs())) {
                new ferry.wsus.catalog.WsusAdministration(writer).addGroup("Ring 1", null);
            }
            assertTrue(seen.await(10, TimeUnit.SECONDS), "the change was noticed");
            assertEquals(before + 1, server.commits().changes());
            assertEquals(1, server.commits().imports(), "no bundle was imported");
        }
    }
}
