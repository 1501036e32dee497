package ferry.exporter;

import ferry.format.Progress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static ferry.exporter.TestDocs.*;
import static org.junit.jupiter.api.Assertions.*;

/** Failures leave no bundle and the old state, and say in one line what failed. */
class ExportFailureTest {

    @TempDir
    Path tmp;
    Fixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = Fixture.contoso(tmp);
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    @Test
    void wrongBytesFailTheDownloadAndLeaveNothing() throws Exception {
        ExportJob.run(fx.options("b1").build(), Progress.NONE);
        byte[] state = Files.readAllBytes(tmp.resolve("state/state.json"));
        TestFiles.Generated kb104 = fx.addKb5000104();
        fx.content.serveInstead(kb104, TestFiles.corrupted(kb104));

        DownloadException e = assertThrows(DownloadException.class,
                () -> ExportJob.run(fx.options("b2").build(), Progress.NONE));
        assertEquals("update " + KB5000104 + "-r100", e.owner());
        assertEquals(kb104.fileName(), e.fileName());
        assertTrue(e.url().toString().endsWith("/Content/" + kb104.sha1Hex().substring(38) + "/" + kb104.sha1Hex()
                + ".msu"), e.url().toString());
        assertTrue(e.getMessage().contains("SHA-1 is "), e.getMessage());
        assertTrue(e.getMessage().contains(kb104.fileName()) && e.getMessage().contains(KB5000104), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));

        assertFalse(Files.exists(tmp.resolve("b2")));
        assertNoStaging();
        assertArrayEquals(state, Files.readAllBytes(tmp.resolve("state/state.json")));
        assertFalse(Files.exists(tmp.resolve("state/cache").resolve(kb104.sha1Hex().substring(38))
                .resolve(kb104.sha1Hex())), "nothing unverified enters the cache");
        try (Stream<Path> s = Files.walk(tmp.resolve("state/cache/.partial"))) {
            assertEquals(0, s.filter(Files::isRegularFile).count(), "the partial download is deleted");
        }

        fx.content.put(kb104);
        ExportResult retry = ExportJob.run(fx.options("b2").build(), Progress.NONE);
        assertEquals(2L, retry.sequence(), "the failed run consumed no sequence number");
    }

    @Test
    void fileMissingOnTheUpstreamIsADownloadError() throws Exception {
        TestFiles.Generated kb104 = fx.addKb5000104();
        fx.content.serveInstead(kb104, tmp.resolve("does-not-exist"));
        DownloadException e = assertThrows(DownloadException.class,
                () -> ExportJob.run(fx.options("b1").build(), Progress.NONE));
        assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("b1")));
        assertFalse(Files.exists(tmp.resolve("state/state.json")));
    }

    @Test
    void serverErrorsAreRetriedThenReported() throws Exception {
        fx.content.failures.set(1);
        ExportResult r = ExportJob.run(fx.options("b1").build(), Progress.NONE);
        assertEquals(5, Fixture.wsus(r).files().downloaded(), "one retry got past the failure");

        TestFiles.Generated kb104 = fx.addKb5000104();
        fx.content.failures.set(2);
        DownloadException e = assertThrows(DownloadException.class,
                () -> ExportJob.run(fx.options("b2").build(), Progress.NONE));
        assertTrue(e.getMessage().endsWith("HTTP 500 (after 2 attempts)"), e.getMessage());
        assertEquals(kb104.fileName(), e.fileName());
        assertFalse(Files.exists(tmp.resolve("b2")));
    }

    @Test
    void unwritableOutputLeavesTheStateAlone() throws Exception {
        ExportJob.run(fx.options("b1").build(), Progress.NONE);
        byte[] state = Files.readAllBytes(tmp.resolve("state/state.json"));
        fx.addKb5000104();
        Files.writeString(tmp.resolve("a-file"), "x");
        ExportConfigException e = assertThrows(ExportConfigException.class,
                () -> ExportJob.run(fx.options("a-file/b2").build(), Progress.NONE));
        assertTrue(e.getMessage().startsWith("cannot write bundle "), e.getMessage());
        assertArrayEquals(state, Files.readAllBytes(tmp.resolve("state/state.json")));
        try (Stream<Path> s = Files.list(tmp.resolve("state"))) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith("state.json.tmp")),
                    "the prepared state is removed");
        }
    }

    @Test
    void unreachableUpstreamIsAnUpstreamError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        URI dead = URI.create("http://127.0.0.1:" + port + "/");
        ExportUpstreamException e = assertThrows(ExportUpstreamException.class,
                () -> ExportJob.run(fx.options("b1").upstream(dead).build(), Progress.NONE));
        assertEquals("GetAuthConfig", e.operation());
        assertNull(e.errorCode());
        assertTrue(e.getMessage().startsWith("upstream " + dead + " GetAuthConfig: cannot connect"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertFalse(Files.exists(tmp.resolve("b1")));
    }

    @Test
    void soapFaultKeepsItsErrorCode() {
        fx.catalog.faultOnList = true;
        ExportUpstreamException e = assertThrows(ExportUpstreamException.class,
                () -> ExportJob.run(fx.options("b1").build(), Progress.NONE));
        assertEquals("InvalidParameters", e.errorCode());
        assertEquals("GetRevisionIdList", e.operation());
        assertTrue(e.getMessage().contains("InvalidParameters"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("b1")));
    }

    @Test
    void secondRunWhileTheFirstHoldsTheLockIsRefused() throws Exception {
        fx.catalog.entered = new CountDownLatch(1);
        fx.catalog.gate = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<ExportResult> first = pool.submit(() -> ExportJob.run(fx.options("b1").build(), Progress.NONE));
            assertTrue(fx.catalog.entered.await(20, TimeUnit.SECONDS), "first run reached the upstream");

            ExportLockedException e = assertThrows(ExportLockedException.class,
                    () -> ExportJob.run(fx.options("b2").build(), Progress.NONE));
            assertEquals("another export holds " + tmp.resolve("state/lock").toAbsolutePath(), e.getMessage());

            fx.catalog.gate.countDown();
            assertTrue(first.get(30, TimeUnit.SECONDS).bundleWritten());
            assertFalse(Files.exists(tmp.resolve("b2")));
        } finally {
            fx.catalog.gate.countDown();
            pool.shutdownNow();
        }
        fx.catalog.gate = null;
        assertFalse(ExportJob.run(fx.options("b3").build(), Progress.NONE).bundleWritten(), "the lock was released");
    }

    @Test
    void lockHeldByAnotherProcessIsRefused() throws Exception {
        Path lock = tmp.resolve("state/lock");
        Files.createDirectories(lock.getParent());
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String classes = Path.of(LockHolder.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        Process child = new ProcessBuilder(java.toString(), "-cp", classes, LockHolder.class.getName(), lock.toString())
                .redirectErrorStream(true).start();
        try {
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream())).readLine();
            assertEquals("locked", line);
            ExportLockedException e = assertThrows(ExportLockedException.class,
                    () -> ExportJob.run(fx.options("b1").build(), Progress.NONE));
            assertFalse(Files.exists(tmp.resolve("b1")));
        } finally {
            child.getOutputStream().close();
            if (!child.waitFor(10, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
        assertTrue(ExportJob.run(fx.options("b1").build(), Progress.NONE).bundleWritten(),
                "the lock is free once the holder exits");
    }

    private void assertNoStaging() throws Exception {
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(java.util.Set.of(), s.map(p -> p.getFileName().toString())
                    .filter(n -> n.contains("staging")).collect(Collectors.toSet()));
        }
    }
}
