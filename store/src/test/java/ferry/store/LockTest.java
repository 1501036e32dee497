package ferry.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondOpenInTheSameProcessIsRefused() {
        try (Store first = Fixtures.open(dir)) {
            StoreLockedException e = assertThrows(StoreLockedException.class, () -> Fixtures.open(dir));
            assertTrue(e.getMessage().contains("already open in this process"), e.getMessage());
            assertEquals(0, first.counts().bundles(), "the first store still works");
        }
        Fixtures.open(dir).close();
    }

    @Test
    void anotherProcessCannotOpenAnOpenStore() throws Exception {
        try (Store held = Fixtures.open(dir)) {
            assertEquals(dir, held.directory());
            StoreChild.Result r = StoreChild.run("open", dir);
            assertEquals(StoreChild.LOCKED, r.exitCode(), r.output());
            assertTrue(r.output().contains("in use by another ferry run (process " + ProcessHandle.current().pid()),
                    r.output());
            // The refused attempt in the other process did not take our lock away.
            assertEquals(StoreChild.LOCKED, StoreChild.run("open", dir).exitCode());
        }
        StoreChild.Result after = StoreChild.run("open", dir);
        assertEquals(StoreChild.OPENED, after.exitCode(), after.output());
    }

    @Test
    void aStoreHeldByAnotherProcessCannotBeOpenedHere() throws Exception {
        Path ready = dir.resolve("ready");
        Path storeDir = dir.resolve("store");
        Process child = StoreChild.start("hold", storeDir.toString(), ready.toString());
        try {
            for (int i = 0; i < 600 && !Files.exists(ready); i++) {
                assertTrue(child.isAlive(), "the child holding the store died");
                Thread.sleep(50);
            }
            StoreLockedException e = assertThrows(StoreLockedException.class, () -> Fixtures.open(storeDir));
            assertTrue(e.getMessage().contains("process " + child.pid()), e.getMessage());
        } finally {
            child.getOutputStream().close();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        }
        Fixtures.open(storeDir).close();
    }

    @Test
    void aStoreIsServedAndImportedIntoAtOnce_butByOneImportAndOneServerOnly() {
        try (Store serving = Store.openForServing(dir, List.of(ProbeSource.INSTANCE));
             Store importing = Store.openForImport(dir, List.of(ProbeSource.INSTANCE))) {
            StoreLockedException second = assertThrows(StoreLockedException.class,
                    () -> Store.openForImport(dir, List.of(ProbeSource.INSTANCE)));
            assertTrue(second.getMessage().contains("store.lock"), second.getMessage());
            StoreLockedException server = assertThrows(StoreLockedException.class,
                    () -> Store.openForServing(dir, List.of(ProbeSource.INSTANCE)));
            assertTrue(server.getMessage().contains("serve.lock"), server.getMessage());
            assertThrows(StoreLockedException.class, () -> Fixtures.open(dir), "an exclusive open waits for both");

            StoreException readOnly = assertThrows(StoreException.class, serving::beginImport);
            assertTrue(readOnly.getMessage().contains("open for serving"), readOnly.getMessage());
            assertThrows(StoreException.class, serving::collectGarbage);
            assertThrows(StoreException.class, () -> serving.check(false, CheckProgress.NONE));

            assertEquals(0, serving.imports());
            try (PendingImport imp = importing.beginImport()) {
                imp.commit(StoreChild.sampleBundle(imp::putObject, "b1", 1));
            }
            assertEquals(1, serving.imports(), "the server sees the commit at once");
            assertEquals(List.of("b1"), serving.bundles().stream().map(BundleInfo::bundleId).toList());
        }
    }

    @Test
    void anImportInAnotherProcessCommitsIntoAStoreServedHere() throws Exception {
        Fixtures.open(dir).close();
        try (Store serving = Store.openForServing(dir, List.of(ProbeSource.INSTANCE))) {
            StoreChild.Result r = StoreChild.run("import", dir, "b1", "1");
            assertEquals(StoreChild.OPENED, r.exitCode(), r.output());
            assertEquals(1, serving.imports(), "committed through this process's catalog");
            assertEquals(1, serving.counts().bundles());
            StoreChild.Result exclusive = StoreChild.run("open", dir);
            assertEquals(StoreChild.LOCKED, exclusive.exitCode(), exclusive.output());
            assertTrue(exclusive.output().contains("which serves it"), exclusive.output());
            StoreChild.Result again = StoreChild.run("import", dir, "b2", "2");
            assertEquals(StoreChild.OPENED, again.exitCode(), again.output());
            assertEquals(2, serving.imports());
        }
        try (Store after = Fixtures.open(dir)) {
            assertEquals(2, after.counts().bundles(), "both imports are in the catalog file");
        }
    }

    @Test
    void aCopyOfAnOpenStoreIsNeverLedToTheOriginalsCatalog() throws Exception {
        Path original = dir.resolve("original");
        Path copy = dir.resolve("copy");
        try (Store open = Fixtures.open(original)) {
            assertTrue(Files.exists(original.resolve("catalog.lock.db")), "H2 shares the open catalog");
            try (var walk = Files.walk(original)) {
                for (Path p : walk.sorted().toList()) {
                    Path t = copy.resolve(original.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(t);
                    } else if (!p.getFileName().toString().endsWith(".lock")) {
                        Files.copy(p, t);
                    }
                }
            }
            StoreException e = assertThrows(StoreException.class, () -> Fixtures.open(copy));
            assertTrue(e.getMessage().contains("of another running process"), e.getMessage());
            assertEquals(0, open.counts().bundles(), "the original is untouched and still works");
        }
    }
}
