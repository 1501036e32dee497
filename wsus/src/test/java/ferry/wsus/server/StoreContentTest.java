package ferry.wsus.server;

import ferry.wsus.ContentUrls;
import ferry.wsus.Fixtures;
import ferry.wsus.catalog.WsusCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /Content/} from a real store served by a real server, with imports committing while it serves: what an
 * import adds is served right after its commit, objects that go are not served, and what {@link StoreContent}
 * remembers is forgotten when the catalog moves on.
 */
class StoreContentTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;
    StoreFixture fixture;
    WsusCatalog catalog;
    StoreContent content;
    WsusServer server;
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @BeforeEach
    void start() throws Exception {
        fixture = new StoreFixture(dir.resolve("store"));
        catalog = new WsusCatalog(fixture.store);
        content = new StoreContent(catalog, nanos::get);
        server = WsusServer.start("127.0.0.1", 0, new StoreCatalog(catalog), content);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        fixture.close();
    }

    /** A real update document (a Defender leaf) made into update {@code updateId} carrying exactly {@code file}. */
    private static String documentCarrying(String updateId, byte[] file) throws Exception {
        String digest = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(file));
        String xml = Fixtures.doc("266f6222-c89d-43f2-9f8a-69340271e677-r200")
                .replace("266f6222-c89d-43f2-9f8a-69340271e677", updateId)
                .replace("h/W9BGlYUAaqXTp30cZi/SiV3c0=", digest).replace("Size=\"11606440\"", "Size=\"" + file.length + "\"")
                .replaceAll("<upd:AdditionalDigest Algorithm=\"SHA256\">[^<]*</upd:AdditionalDigest>", "");
        assertTrue(xml.contains(digest));
        return xml;
    }

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String sha1Hex(byte[] b) throws Exception {
        return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-1").digest(b));
    }

    private HttpResponse<byte[]> get(byte[] file) throws Exception {
        String url = ContentUrls.path(ContentUrls.sha1Base64(sha1Hex(file)), "AM_Delta.exe").substring(1);
        return HTTP.send(HttpRequest.newBuilder(server.uri().resolve(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private Path object(byte[] file) throws Exception {
        return fixture.store.objectPath(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file)));
    }

    @Test
    void whatAnImportAddsIsServedRightAfterItsCommit() throws Exception {
        byte[] a = bytes(300_000, 1);
        byte[] b = bytes(70_000, 2);
        assertEquals(404, get(a).statusCode(), "not imported yet");
        fixture.importBundle(List.of(documentCarrying("11111111-2222-3333-4444-555555555555", a)),
                new StoreFixture.CarriedFile("AM_Delta.exe", a));
        HttpResponse<byte[]> first = get(a);
        assertEquals(200, first.statusCode(), "served at once: a SHA-1 not found is not remembered");
        assertArrayEquals(a, first.body());
        assertEquals("\"" + sha1Hex(a) + "\"", first.headers().firstValue("ETag").orElseThrow());

        assertEquals(404, get(b).statusCode());
        fixture.importBundle(List.of(documentCarrying("22222222-3333-4444-5555-666666666666", b)),
                new StoreFixture.CarriedFile("AM_Delta.exe", b));
        assertArrayEquals(b, get(b).body(), "the second import's file, with no time passing");
        HttpResponse<byte[]> again = get(a);
        assertArrayEquals(a, again.body(), "the first file unchanged");
        assertEquals(first.headers().firstValue("Last-Modified"), again.headers().firstValue("Last-Modified"));
        assertEquals(2, content.remembered());
    }

    @Test
    void anObjectThatGoesIsNotServedAndTheCatalogMovingOnForgetsWhatWasRemembered() throws Exception {
        byte[] a = bytes(200_000, 3);
        fixture.importBundle(List.of(documentCarrying("11111111-2222-3333-4444-555555555555", a)),
                new StoreFixture.CarriedFile("AM_Delta.exe", a));
        assertEquals(200, get(a).statusCode());
        assertEquals(1, content.remembered());

        Path quarantined = dir.resolve("quarantined");
        Files.move(object(a), quarantined);
        assertEquals(404, get(a).statusCode(), "remembered, but its object is gone: 404, at once");
        Files.move(quarantined, object(a));
        assertArrayEquals(a, get(a).body(), "back");

        nanos.addAndGet(StoreContent.RECHECK.toNanos());
        content.resolve(sha1Hex(a));
        assertEquals(1, content.remembered(), "the catalog has not moved: still remembered");

        byte[] b = bytes(1000, 4);
        fixture.importBundle(List.of(documentCarrying("22222222-3333-4444-5555-666666666666", b)),
                new StoreFixture.CarriedFile("AM_Delta.exe", b));
        content.resolve(sha1Hex(a));
        assertEquals(1, content.remembered(), "within the recheck time nothing is forgotten");
        nanos.addAndGet(StoreContent.RECHECK.toNanos());
        content.resolve(sha1Hex(b));
        assertEquals(1, content.remembered(), "the catalog moved on: forgotten, then only b looked up again");
        assertArrayEquals(a, get(a).body());
        assertArrayEquals(b, get(b).body());
    }
}
