package ferry.exporter;

import com.sun.net.httpserver.HttpServer;
import ferry.format.Progress;
import ferry.wsus.client.RetryPolicy;
import ferry.wsus.client.WsusClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Redirects of content downloads (content servers hand out CDN addresses), against the JDK's HTTP server on
 * loopback: a chain of redirects is followed to the file, a loop of them stops with the reason and leaves nothing in
 * the cache.
 */
class DownloadRedirectTest {

    @TempDir
    Path tmp;
    HttpServer server;
    final List<String> requests = new CopyOnWriteArrayList<>();
    final byte[] bytes = "the update's bytes, after two redirects\n".repeat(500).getBytes();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", x -> {
            String path = x.getRequestURI().getPath();
            requests.add(path);
            switch (path) {
                case "/old.cab" -> redirect(x, 301, "/cdn/one.cab");
                case "/cdn/one.cab" -> redirect(x, 302, "http://127.0.0.1:" + server.getAddress().getPort() + "/cdn/f.cab");
                case "/cdn/f.cab" -> {
                    x.sendResponseHeaders(200, bytes.length);
                    x.getResponseBody().write(bytes);
                }
                case "/loop.cab" -> redirect(x, 307, "/loop.cab");
                default -> x.sendResponseHeaders(404, -1);
            }
            x.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static void redirect(com.sun.net.httpserver.HttpExchange x, int status, String to) throws java.io.IOException {
        x.getResponseHeaders().add("Location", to);
        x.sendResponseHeaders(status, -1);
    }

    private Downloader downloader() {
        WsusClientOptions o = WsusClientOptions.defaults().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5))
                .withReadTimeout(Duration.ofSeconds(2));
        return new Downloader(o, new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(30)),
                uri("/"));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private RemoteFile remote(String path) throws Exception {
        return new RemoteFile(path.substring(1), "update test-r1", uri(path), bytes.length,
                HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes)),
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
    }

    @Test
    void aChainOfRedirectsIsFollowedToTheFile() throws Exception {
        FileCache cache = new FileCache(tmp.resolve("cache"), tmp.resolve("state"));
        Downloader.Downloaded d = downloader().download(remote("/old.cab"), cache, Progress.NONE);
        assertArrayEquals(bytes, Files.readAllBytes(d.file()));
        assertEquals(List.of("/old.cab", "/cdn/one.cab", "/cdn/f.cab"), requests);
    }

    @Test
    void aRedirectLoopStopsWithTheReasonAndCachesNothing() throws Exception {
        FileCache cache = new FileCache(tmp.resolve("cache"), tmp.resolve("state"));
        DownloadException e = assertThrows(DownloadException.class,
                () -> downloader().download(remote("/loop.cab"), cache, Progress.NONE));
        assertTrue(e.getMessage().contains("more than 5 redirects"), e.getMessage());
        assertEquals(6, requests.size(), "the first request and five redirects, no retry: " + requests);
        try (var files = Files.walk(tmp.resolve("cache"))) {
            assertTrue(files.filter(Files::isRegularFile).findAny().isEmpty(), "nothing cached");
        }
    }
}
