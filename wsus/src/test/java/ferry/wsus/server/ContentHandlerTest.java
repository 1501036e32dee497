package ferry.wsus.server;

import ferry.wsus.ContentUrls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContentHandlerTest {

    @TempDir
    static Path dir;
    static byte[] data;
    static String hex;
    static WsusServer server;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        data = new byte[3 * 1024 * 1024 + 17];
        new Random(1).nextBytes(data);
        hex = HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-1").digest(data));
        Path file = dir.resolve("blob.bin");
        Files.write(file, data);
        Files.writeString(dir.resolve("secret.txt"), "SECRET");
        Map<String, Path> files = Map.of(hex, file);
        server = WsusServer.start("127.0.0.1", 0, new TestCatalog(), sha1 -> Optional.ofNullable(files.get(sha1)));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static String path(String ext) {
        return "Content/" + hex.substring(38) + "/" + hex + ext;
    }

    @Test
    void fullGetStreamsTheFileWithHashEtagAndType() throws Exception {
        HttpResponse<byte[]> r = get(path(".exe"), null);
        assertEquals(200, r.statusCode());
        assertArrayEquals(data, r.body());
        assertEquals("\"" + hex + "\"", r.headers().firstValue("ETag").orElseThrow());
        assertEquals("application/octet-stream", r.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("bytes", r.headers().firstValue("Accept-Ranges").orElseThrow());
        assertEquals(String.valueOf(data.length), r.headers().firstValue("Content-Length").orElseThrow());
        assertEquals("application/x-ms-wim", get(path(".wim"), null).headers().firstValue("Content-Type").orElseThrow());
        assertEquals("application/vnd.ms-cab-compressed", get(path(".cab"), null).headers().firstValue("Content-Type").orElseThrow());
        assertEquals(200, get(path("").toLowerCase().replace("content/", "Content/"), null).statusCode(), "hex case-insensitive");
    }

    @Test
    void headGivesHeadersOnly() throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(server.uri().resolve(path(".msu")))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertEquals(0, r.body().length);
        assertEquals(String.valueOf(data.length), r.headers().firstValue("Content-Length").orElseThrow());
        assertEquals("\"" + hex + "\"", r.headers().firstValue("ETag").orElseThrow());
    }

    @Test
    void singleAndMultipleRanges() throws Exception {
        HttpResponse<byte[]> r = get(path(".psf"), "bytes=1048576-2097151");
        assertEquals(206, r.statusCode());
        assertEquals("bytes 1048576-2097151/" + data.length, r.headers().firstValue("Content-Range").orElseThrow());
        assertArrayEquals(Arrays.copyOfRange(data, 1048576, 2097152), r.body());

        HttpResponse<byte[]> tail = get(path(".psf"), "bytes=-10");
        assertEquals(206, tail.statusCode());
        assertArrayEquals(Arrays.copyOfRange(data, data.length - 10, data.length), tail.body());

        HttpResponse<byte[]> multi = get(path(".psf"), "bytes=0-9,100-109");
        assertEquals(206, multi.statusCode());
        assertTrue(multi.headers().firstValue("Content-Type").orElseThrow().startsWith("multipart/byteranges"));

        HttpResponse<byte[]> unsatisfiable = get(path(".psf"), "bytes=" + data.length + "-");
        assertEquals(416, unsatisfiable.statusCode());
        assertEquals("bytes */" + data.length, unsatisfiable.headers().firstValue("Content-Range").orElseThrow());
    }

    @Test
    void pathsMatchAsIisMatchesThem() throws Exception {
        String folder = hex.substring(38);
        for (String path : new String[] {"//Content/" + folder + "/" + hex + ".exe",
            "/content/" + folder.toLowerCase() + "/" + hex.toLowerCase() + ".EXE",
            "/CONTENT//" + folder + "///" + hex + ".cab", "///Content/" + folder + "/" + hex}) {
            String head = rawHead(path);
            assertTrue(head.startsWith("HTTP/1.1 200 "), path + " -> " + head);
            assertTrue(head.contains("\r\nContent-Length: " + data.length + "\r\n"), head);
            assertTrue(head.contains("\r\nETag: \"" + hex + "\"\r\n"), head);
        }
        assertTrue(rawHead("//Other/" + folder + "/" + hex + ".exe").startsWith("HTTP/1.1 404 "));
    }

    @Test
    void nothingIsCompressedAndTheValidatorsAreStable() throws Exception {
        HttpResponse<byte[]> a = http.send(HttpRequest.newBuilder(server.uri().resolve(path(".cab")))
                .header("Accept-Encoding", "gzip, deflate, br").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, a.statusCode());
        assertTrue(a.headers().firstValue("Content-Encoding").isEmpty(), "no Content-Encoding");
        assertArrayEquals(data, a.body());
        String lastModified = a.headers().firstValue("Last-Modified").orElseThrow();
        HttpResponse<byte[]> b = get(path(".exe"), "bytes=0-0");
        assertEquals(lastModified, b.headers().firstValue("Last-Modified").orElseThrow());
        assertEquals("\"" + hex + "\"", b.headers().firstValue("ETag").orElseThrow());
        HttpResponse<byte[]> notModified = http.send(HttpRequest.newBuilder(server.uri().resolve(path(".exe")))
                .header("If-Modified-Since", lastModified).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(304, notModified.statusCode());
        HttpResponse<byte[]> ifRange = http.send(HttpRequest.newBuilder(server.uri().resolve(path(".exe")))
                .header("Range", "bytes=10-19").header("If-Range", "\"" + hex + "\"").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, ifRange.statusCode());
        assertArrayEquals(Arrays.copyOfRange(data, 10, 20), ifRange.body());
    }

    @Test
    void multipleRangesCarryEachPartsBytesAndRange() throws Exception {
        HttpResponse<byte[]> multi = get(path(".psf"), "bytes=0-9,2097150-2097160");
        assertEquals(206, multi.statusCode());
        String body = new String(multi.body(), StandardCharsets.ISO_8859_1);
        assertTrue(body.contains("Content-Range: bytes 0-9/" + data.length), body.substring(0, 200));
        assertTrue(body.contains("Content-Range: bytes 2097150-2097160/" + data.length));
        assertTrue(body.contains(new String(Arrays.copyOfRange(data, 0, 10), StandardCharsets.ISO_8859_1)));
        assertTrue(body.contains(new String(Arrays.copyOfRange(data, 2097150, 2097161), StandardCharsets.ISO_8859_1)));
    }

    @Test
    void conditionalGet() throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(server.uri().resolve(path(".exe")))
                .header("If-None-Match", "\"" + hex + "\"").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(304, r.statusCode());
    }

    @Test
    void unknownAndMalformedPathsAre404AndTraversalNeverReachesTheDisk() throws Exception {
        String other = "0000000000000000000000000000000000000000";
        assertEquals(404, get("Content/00/" + other + ".exe", null).statusCode());
        assertEquals(404, get("Content/AB/" + hex + ".exe", null).statusCode(), "wrong folder");
        assertEquals(404, get("Content/" + hex.substring(38) + "/" + hex + ".e-x", null).statusCode());
        for (String evil : new String[] {
            "/Content/../secret.txt", "/Content/%2e%2e/secret.txt", "/Content/" + hex.substring(38) + "/..%2f..%2fsecret.txt",
            "/Content/" + hex.substring(38) + "/" + hex + ".exe/../../secret.txt", "/Content//etc/passwd",
            "/Content/" + hex.substring(38) + "/" + hex + "%00.exe", "/Content/" + hex.substring(38) + "%2f" + hex + ".exe"}) {
            int status = rawStatus(evil);
            assertTrue(status == 404 || status == 400, evil + " -> " + status);
        }
        HttpResponse<byte[]> post = http.send(HttpRequest.newBuilder(server.uri().resolve(path(".exe")))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(405, post.statusCode());
        assertEquals(404, get("Other/thing", null).statusCode());
    }

    @Test
    void contentUrlsRoundTrip() {
        assertEquals("/Content/CD/87F5BD0469585006AA5D3A77D1C662FD2895DDCD.exe",
                ContentUrls.path("h/W9BGlYUAaqXTp30cZi/SiV3c0=", "AM_Delta.exe"));
        assertEquals("CD/87F5BD0469585006AA5D3A77D1C662FD2895DDCD", ContentUrls.relativePath("h/W9BGlYUAaqXTp30cZi/SiV3c0=", "noext"));
        assertEquals(new ContentUrls.ContentPath("87F5BD0469585006AA5D3A77D1C662FD2895DDCD", "exe"),
                ContentUrls.parse("/Content/cd/87f5bd0469585006aa5d3a77d1c662fd2895ddcd.exe").orElseThrow());
        assertEquals("h/W9BGlYUAaqXTp30cZi/SiV3c0=", ContentUrls.sha1Base64("87F5BD0469585006AA5D3A77D1C662FD2895DDCD"));
        assertTrue(ContentUrls.parse("/Content/CD/87F5BD0469585006AA5D3A77D1C662FD2895DDCD.exe/..").isEmpty());
        assertTrue(ContentUrls.parse("/Content/CD/../87F5BD0469585006AA5D3A77D1C662FD2895DDCD.exe").isEmpty());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ContentUrls.path("h/W9BGlYUAaqXTp30cZi/SiV3c0=", "evil.e$x"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> ContentUrls.sha1Hex("AAAA"));
    }

    private static HttpResponse<byte[]> get(String relative, String range) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve(relative));
        if (range != null) {
            b.header("Range", range);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** HEAD of the path sent byte for byte: the status line and headers. */
    private static String rawHead(String rawPath) throws Exception {
        URI u = server.uri();
        try (Socket s = new Socket(u.getHost(), u.getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(("HEAD " + rawPath + " HTTP/1.1\r\nHost: " + u.getHost() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** Sends the path byte for byte (java.net.http would normalise it). */
    private static int rawStatus(String rawPath) throws Exception {
        URI u = server.uri();
        try (Socket s = new Socket(u.getHost(), u.getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + rawPath + " HTTP/1.1\r\nHost: " + u.getHost() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String head = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
            String rest = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(!rest.contains("SECRET"), rawPath);
            return Integer.parseInt(head.substring(9, 12));
        }
    }
}
