package ferry.exporter;

import ferry.format.Progress;
import ferry.wsus.client.RetryPolicy;
import ferry.wsus.client.WsusClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Downloads against a content server on raw loopback sockets that drops connections, ignores Range, sends wrong
 * bytes or is busy: a resumed download yields exactly the right bytes, and nothing that does not match the
 * metadata's size, SHA-1 and SHA-256 ever enters the cache.
 */
class DownloadResumeTest {

    private static final int SIZE = 300_000;

    @TempDir
    Path tmp;
    RawContentServer server;
    FileCache cache;
    byte[] bytes;
    RemoteFile file;

    @BeforeEach
    void start() throws Exception {
        server = new RawContentServer();
        bytes = random(SIZE, 7);
        server.put("/f.cab", bytes);
        file = remote("/f.cab", bytes);
        cache = new FileCache(tmp.resolve("cache"), tmp.resolve("state"));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private Downloader downloader(int attempts) {
        WsusClientOptions o = WsusClientOptions.defaults().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5))
                .withReadTimeout(Duration.ofSeconds(2));
        return new Downloader(o, new RetryPolicy(attempts, Duration.ofMillis(10), Duration.ofMillis(50),
                Duration.ofSeconds(30)), server.uri("/"));
    }

    @Test
    void droppedConnectionResumesWithARangeRequestAndYieldsTheRightBytes() throws Exception {
        server.plan((n, p) -> n == 1 ? RawContentServer.Act.cutAfter(100_000)
                : n == 2 ? RawContentServer.Act.cutAfter(50_000) : RawContentServer.Act.serve());
        Downloader.Downloaded d = downloader(4).download(file, cache, Progress.NONE);
        assertArrayEquals(bytes, Files.readAllBytes(d.file()));
        assertEquals(SIZE, d.bytes(), "every byte fetched once");
        // the client resumes from what reached it, which may be a little less than what the server wrote
        assertEquals(3, server.requests.size(), server.requests.toString());
        assertEquals("/f.cab -", server.requests.get(0));
        long second = rangeStart(1);
        long third = rangeStart(2);
        assertTrue(second > 0 && second <= 100_000 && third > second && third <= second + 50_000, server.requests.toString());
        assertNoPartials();
    }

    @Test
    void serverIgnoringRangeStartsOverCleanly() throws Exception {
        server.plan((n, p) -> n == 1 ? RawContentServer.Act.cutAfter(120_000) : RawContentServer.Act.ignoreRange());
        Downloader.Downloaded d = downloader(3).download(file, cache, Progress.NONE);
        assertArrayEquals(bytes, Files.readAllBytes(d.file()), "the 200 replaced what was there, not appended to it");
        assertEquals(2, server.requests.size(), server.requests.toString());
        long resumedAt = rangeStart(1);
        assertTrue(resumedAt > 0 && resumedAt <= 120_000, server.requests.toString());
        assertEquals(resumedAt + SIZE, d.bytes(), "the part before the range request, then the whole file");
    }

    @Test
    void corruptedTruncatedOrWronglyResumedBytesNeverEnterTheCache() throws Exception {
        byte[] corrupt = bytes.clone();
        corrupt[SIZE - 10] ^= 1;
        server.put("/f.cab", corrupt);
        DownloadException e = assertThrows(DownloadException.class, () -> downloader(3).download(file, cache, Progress.NONE));
        assertTrue(e.getMessage().contains("SHA-1 is"), e.getMessage());
        assertEquals(1, server.requests.size(), "a digest mismatch is not retried: the upstream would send the same bytes");
        assertNotCached();

        server.requests.clear();
        server.put("/f.cab", java.util.Arrays.copyOf(bytes, SIZE - 1000));
        e = assertThrows(DownloadException.class, () -> downloader(3).download(file, cache, Progress.NONE));
        assertTrue(e.getMessage().contains("size is " + (SIZE - 1000) + " bytes, the metadata says " + SIZE), e.getMessage());
        assertNotCached();

        // the first part arrives intact, the resumed part is from other bytes: the whole is checked, not the parts
        server.put("/f.cab", bytes);
        server.plan((n, p) -> {
            if (n == 1) {
                return RawContentServer.Act.cutAfter(100_000);
            }
            server.put("/f.cab", corrupt);
            return RawContentServer.Act.serve();
        });
        e = assertThrows(DownloadException.class, () -> downloader(3).download(file, cache, Progress.NONE));
        assertTrue(e.getMessage().contains("SHA-1 is"), e.getMessage());
        assertEquals(2, server.requests.size(), server.requests.toString());
        assertTrue(rangeStart(1) > 0, "the second part was a range request: " + server.requests);
        assertNotCached();
    }

    @Test
    void busyContentServerIsRetriedAfterItsRetryAfter() throws Exception {
        server.plan((n, p) -> n == 1 ? RawContentServer.Act.status(503, "1") : RawContentServer.Act.serve());
        long t0 = System.nanoTime();
        downloader(3).download(file, cache, Progress.NONE);
        assertTrue((System.nanoTime() - t0) / 1_000_000 >= 1000, "waited the second the server asked for");

        server.requests.clear();
        server.plan((n, p) -> RawContentServer.Act.status(503, "86400"));
        RemoteFile other = remote("/g.cab", random(1000, 8));
        server.put("/g.cab", random(1000, 8));
        DownloadException e = assertThrows(DownloadException.class, () -> downloader(3).download(other, cache, Progress.NONE));
        assertTrue(e.getMessage().contains("HTTP 503"), e.getMessage());
        assertEquals(1, server.requests.size(), "a day's Retry-After exceeds the budget: no waiting, no retry");
    }

    @Test
    void filesDownloadInParallelAndArriveInOrder() throws Exception {
        List<RemoteFile> files = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            byte[] b = random(20_000 + i, 100 + i);
            server.put("/p" + i + ".cab", b);
            files.add(remote("/p" + i + ".cab", b));
        }
        server.plan((n, p) -> RawContentServer.Act.slow(300));
        FileStage stage = new FileStage(cache, downloader(2), Progress.NONE, 4);
        Map<RemoteFile, Path> got = stage.fetchAll(files);
        assertEquals(files, new ArrayList<>(got.keySet()));
        for (RemoteFile f : files) {
            assertEquals(f.sha1Hex(), sha1Hex(Files.readAllBytes(got.get(f))));
        }
        assertEquals(4, server.maxInFlight.get(), "four at once");
        assertEquals(8, stage.counts(files).downloaded());

        // one file fails: the run fails, and no partial file of the others is left behind
        RemoteFile bad = remote("/p3.cab", random(20_003, 999));
        List<RemoteFile> withBad = new ArrayList<>(files);
        withBad.set(3, bad);
        FileCache fresh = new FileCache(tmp.resolve("cache2"), tmp.resolve("state"));
        assertThrows(DownloadException.class, () -> new FileStage(fresh, downloader(1), Progress.NONE, 4).fetchAll(withBad));
        try (Stream<Path> s = Files.walk(tmp.resolve("cache2/.partial"))) {
            assertEquals(List.of(), s.filter(Files::isRegularFile).toList());
        }
        assertFalse(Files.exists(fresh.path(bad)));
    }

    /** The first byte asked for by request {@code i} (from 0), which must be a range request. */
    private long rangeStart(int i) {
        String r = server.requests.get(i);
        assertTrue(r.startsWith("/f.cab bytes=") && r.endsWith("-"), r);
        return Long.parseLong(r.substring("/f.cab bytes=".length(), r.length() - 1));
    }

    private void assertNotCached() throws Exception {
        assertFalse(Files.exists(cache.path(file)), "never in the cache");
        assertNoPartials();
    }

    private void assertNoPartials() throws Exception {
        try (Stream<Path> s = Files.walk(tmp.resolve("cache/.partial"))) {
            assertEquals(List.of(), s.filter(Files::isRegularFile).toList(), "partial files left");
        }
    }

    private RemoteFile remote(String path, byte[] b) throws Exception {
        return new RemoteFile(path.substring(1), "update test-r1", server.uri(path), b.length, sha1Hex(b),
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b)));
    }

    private static String sha1Hex(byte[] b) throws Exception {
        return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-1").digest(b));
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }
}
