package ferry.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
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
}
