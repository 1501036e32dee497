package ferry.cli;

import ferry.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code ferry serve}'s exit codes when it cannot serve (the server module's typed exceptions, mapped here). */
class ServeCommandTest {

    @TempDir
    Path tmp;

    @Test
    void aStoreHeldByAnotherRunIsExitCode5() throws Exception {
        Path storeDir = tmp.resolve("store");
        try (Store held = Store.open(storeDir, ferry.importer.Importer.catalogs())) {
            assertEquals(ExitCodes.LOCKED, Main.run("serve", "--store", storeDir.toString(), "--bind", "127.0.0.1",
                    "--port", "0"));
        }
    }

    @Test
    void aPortInUseIsExitCode2() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertEquals(ExitCodes.USAGE, Main.run("serve", "--store", tmp.resolve("store").toString(),
                    "--bind", "127.0.0.1", "--port", String.valueOf(taken.getLocalPort())));
        }
    }
}
