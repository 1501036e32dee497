package ferry.cli;

import ferry.cli.InProcess.Result;
import ferry.importer.Importer;
import ferry.store.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static ferry.cli.InProcess.ferry;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code ferry import --watch} as a service manager runs it: a real child process stopped with SIGTERM. Idle, it stops
 * at once; in the middle of a look at the drop directory, the import in progress finishes first and the bundle moves
 * to {@code .ferry-imported}, so nothing is ever left half imported. The exit code is 143 (128 + SIGTERM, how the JVM
 * ends on a signal; systemd units say {@code SuccessExitStatus=143}).
 */
class WatchStopTest {
    /** What the JVM exits with when SIGTERM ends it (after its shutdown hooks ran). */
    static final int SIGTERM_EXIT = 143;

    @TempDir
    Path dir;
    private ConnectedSide side;

    @BeforeEach
    void start() throws Exception {
        side = ConnectedSide.start(dir, "w <w@ferry.invalid>");
    }

    @AfterEach
    void stop() throws Exception {
        side.close();
    }

    @Test
    void sigtermStopsAnIdleWatcherCleanly() throws Exception {
        Path drop = Files.createDirectories(dir.resolve("drop"));
        Child w = Child.watch(dir.resolve("w1"), drop, dir.resolve("store"), side.trust());
        w.awaitErr("watching ");
        w.process.destroy();                                    // SIGTERM
        assertEquals(SIGTERM_EXIT, w.await(), w.output());
        assertTrue(w.err().contains("stopped watching "), w.output());
        assertFalse(w.err().contains("Exception"), w.output());
        assertFalse(Files.exists(dir.resolve("store")), "an idle watcher created no store");
    }

    @Test
    void sigtermDuringAnImportLetsItFinishAndLeavesNoHalfImportedBundle() throws Exception {
        Path bundle = dir.resolve("bundle");
        Result e = ferry("export", "--upstream", side.upstream().uri().toString(), "--channel", "contoso", "--state",
                dir.resolve("state").toString(), "--key", side.keys().resolve("signer.sec.asc").toString(), "--out",
                bundle.toString(), "--quiet", "--product", "Contoso Widget", "--volume-size", "64KiB");
        assertEquals(0, e.code, e.err);
        Path drop = Files.createDirectories(dir.resolve("drop"));
        Path store = dir.resolve("store");
        Child w = Child.watch(dir.resolve("w2"), drop, store, side.trust());
        w.awaitErr("watching ");
        copyTree(bundle, drop.resolve(".arriving"));            // dot names are never looked at
        Files.move(drop.resolve(".arriving"), drop.resolve("b1"), StandardCopyOption.ATOMIC_MOVE);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(store)) {                          // the look that imports has begun
            assertTrue(w.process.isAlive(), w.output());
            assertTrue(System.nanoTime() < deadline, "the watcher never began importing: " + w.output());
            Thread.sleep(5);
        }
        w.process.destroy();                                    // SIGTERM in the middle of the import
        assertEquals(SIGTERM_EXIT, w.await(), w.output());
        assertTrue(w.err().contains("stopped watching "), w.output());
        assertTrue(w.out().contains("b1: imported:"), "the import in progress finished: " + w.output());
        assertFalse(Files.exists(drop.resolve("b1")));
        assertTrue(Files.isDirectory(drop.resolve(".ferry-imported/b1")));
        Result check = ferry("store", "check", "--store", store.toString());
        assertEquals(0, check.code, check.out + check.err);
        try (Store s = Store.openExisting(store, Importer.catalogs())) {
            assertEquals(1, s.channel("contoso").orElseThrow().lastSequence());
            assertEquals(1, s.bundles().size());
        }
        // a watcher started again finds nothing left to do
        Result again = ferry("import", "--watch", drop.toString(), "--once", "--store", store.toString(),
                "--trust-store", side.trust().toString(), "--quiet");
        assertEquals(0, again.code, again.err);
        assertTrue(again.out.contains("no bundle directories"), again.out);
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    /** {@code ferry import --watch} in a child JVM, standard input closed, output to files. */
    private static final class Child {
        final Process process;
        final Path out;
        final Path err;

        private Child(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        static Child watch(Path logs, Path drop, Path store, Path trust) throws Exception {
            Files.createDirectories(logs);
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    Main.class.getName(), "import", "--watch", drop.toString(), "--store", store.toString(),
                    "--trust-store", trust.toString(), "--poll", "1s", "--settle", "1h", "--quiet"));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(logs.resolve("stdout").toFile())
                    .redirectError(logs.resolve("stderr").toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("FERRY_"));
            Process p = pb.start();
            p.getOutputStream().close();
            return new Child(p, logs.resolve("stdout"), logs.resolve("stderr"));
        }

        void awaitErr(String text) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!err().contains(text)) {
                assertTrue(process.isAlive(), "the watcher ended: " + output());
                assertTrue(System.nanoTime() < deadline, "the watcher never printed " + text + ": " + output());
                Thread.sleep(20);
            }
        }

        int await() throws Exception {
            if (!process.waitFor(150, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("the watcher did not stop: " + output());
            }
            return process.exitValue();
        }

        String out() throws Exception {
            return Files.readString(out, StandardCharsets.UTF_8);
        }

        String err() throws Exception {
            return Files.readString(err, StandardCharsets.UTF_8);
        }

        String output() throws Exception {
            return "stdout: " + out() + "\nstderr: " + err();
        }
    }
}
