package ferry.server;

import static ferry.server.AptRepositories.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ferry.apt.catalog.AptCatalog;
import ferry.apt.publish.SiteKey;
import ferry.format.Progress;
import ferry.format.trust.TrustStore;
import ferry.importer.BundleInvalidException;
import ferry.importer.Importer;
import ferry.importer.StoreSnapshot;
import ferry.importer.TestBundles;
import ferry.store.Store;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The APT source end to end on the isolated side: bundles written to the APT bundle contract are imported (each
 * publishing a snapshot signed with the site's key), {@code ferry serve} serves them at {@code /apt/<channel>/}, and
 * the real apt-get, in a throwaway root trusting only the site key ({@code Signed-By} in a deb822 {@code .sources}
 * entry), updates and downloads a package with its dependency. Skipped where apt-get or dpkg-deb is missing.
 */
class AptServeTest {
    private static final Pattern XZ = Pattern.compile(" ([0-9a-f]{64}) +[0-9]+ main/binary-amd64/Packages\\.xz\\n");

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aptGetDownloadsFromServedChannelAcrossSnapshotSwitchAndRollback() throws Exception {
        assumeTrue(toolsPresent(), "apt-get or dpkg-deb missing");
        Path work = Files.createDirectories(tmp.resolve("work"));
        Deb lib = deb(work, "ferry-lib", "1.0-1", "");
        Deb hello = deb(work, "ferry-hello", "2.0-1", "Depends: ferry-lib (>= 1.0)\n");
        Deb hello2 = deb(work, "ferry-hello", "2.1-1", "Depends: ferry-lib (>= 1.0)\n");
        TrustStore trust = TestBundles.trust(tmp.resolve("trust"), 1, TestBundles.ALICE);
        Path store = tmp.resolve("store");
        Instant created = Instant.now().minusSeconds(60);

        Importer.importBundle(write(tmp.resolve("b1"), entries(List.of(lib, hello), List.of(lib, hello), created),
                "debian", 1, null, created), store, trust, Instant.now(), Progress.NONE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.resolve(SiteKey.SECRET))),
                "the first APT import made the site key, readable by its owner only");
        Path key = tmp.resolve("ferry-archive-keyring.asc");
        Files.writeString(key, SiteKey.publicKey(store));

        Path accessLog = tmp.resolve("access.log");
        try (StoreServer server = StoreServer.start(store, Listeners.http("127.0.0.1", 0), ServerLimits.defaults(),
                AccessLog.toFile(accessLog))) {
            String base = server.uri() + "apt/debian/";
            Path root = aptRoot(tmp.resolve("root"), "Types: deb\nURIs: " + base + "\nSuites: stable\n"
                    + "Components: main\nSigned-By: " + key + "\n");
            Run update = aptGet(root, "update");
            assertEquals(0, update.exit(), update.out());
            assertFalse(update.out().contains("W:") || update.out().contains("E:"), update.out());
            Run install = aptGet(root, "install", "--download-only", "-y", "ferry-hello");
            assertEquals(0, install.exit(), install.out());
            assertArrayEquals(hello.bytes(), Files.readAllBytes(archive(root, hello)), "the package itself");
            assertArrayEquals(lib.bytes(), Files.readAllBytes(archive(root, lib)), "and its dependency");

            // A client mid-update: it has read snapshot 1's InRelease when an import switches the channel to
            // snapshot 2; the indexes that InRelease names are still served by hash, byte for byte.
            String oldInRelease = get(base + "dists/stable/InRelease").body();
            HttpResponse<byte[]> head = http.send(HttpRequest.newBuilder(URI.create(base + "dists/stable/InRelease"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, head.statusCode());
            assertEquals(oldInRelease.getBytes(StandardCharsets.UTF_8).length,
                    head.headers().firstValueAsLong("Content-Length").orElseThrow(), "HEAD: GET's length");
            assertEquals(0, head.body().length, "HEAD: no body");
            String oldXz = xz(oldInRelease);
            Importer.importBundle(write(tmp.resolve("b2"), entries(List.of(lib, hello2), List.of(hello2), created),
                    "debian", 2, 1L, created), store, trust, Instant.now(), Progress.NONE);
            String newInRelease = get(base + "dists/stable/InRelease").body();
            assertNotEquals(oldXz, xz(newInRelease), "snapshot 2 is served");
            HttpResponse<byte[]> old = http.send(HttpRequest.newBuilder(URI.create(base
                    + "dists/stable/main/binary-amd64/by-hash/SHA256/" + oldXz)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, old.statusCode());
            assertEquals(oldXz, sha256Hex(old.body()), "snapshot 1's index, unchanged");
            assertEquals(404, get(base + "dists/stable/main/binary-amd64/by-hash/SHA256/" + "0".repeat(64)).statusCode());

            Run update2 = aptGet(root, "update");
            assertEquals(0, update2.exit(), update2.out());
            String requests = Files.readString(accessLog);
            assertTrue(requests.contains("/apt/debian/dists/stable/main/binary-amd64/by-hash/SHA256/"),
                    "apt fetched the indexes by hash, as the Release offers: " + requests);
            Run install2 = aptGet(root, "install", "--download-only", "-y", "ferry-hello");
            assertEquals(0, install2.exit(), install2.out());
            assertArrayEquals(hello2.bytes(), Files.readAllBytes(archive(root, hello2)),
                    "the newer version, carried by the delta bundle; its dependency came from the store");

            // the pool: the store's object, with ranges and a strong ETag
            HttpResponse<byte[]> range = http.send(HttpRequest.newBuilder(URI.create(base + hello2.filename()))
                    .header("Range", "bytes=8-27").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(206, range.statusCode());
            assertArrayEquals(java.util.Arrays.copyOfRange(hello2.bytes(), 8, 28), range.body());
            assertEquals("\"" + hello2.sha256() + "\"", range.headers().firstValue("ETag").orElseThrow());

            // rollback: snapshot 1's content again, signed afresh, while served; apt takes it
            AptCatalog.Snapshot back;
            try (Store s = Store.openForImport(store, Importer.catalogs())) {
                back = AptCatalog.rollback(s, "debian", Optional.empty(), Instant.now());
            }
            assertEquals(3, back.number());
            assertEquals(1L, back.contentOf());
            assertEquals(oldXz, xz(get(base + "dists/stable/InRelease").body()), "snapshot 1's indexes");
            Run update3 = aptGet(root, "update");
            assertEquals(0, update3.exit(), update3.out());
            assertFalse(update3.out().contains("W:") || update3.out().contains("E:"), update3.out());
            Run simulate = aptGet(root, "install", "--simulate", "-y", "ferry-hello");
            assertTrue(simulate.out().contains("Inst ferry-hello (2.0-1"), simulate.out());
        }
    }

    @Test
    void aBundleNamingADebNeitherCarriedNorStoredOrATamperedDebIsRefusedAndChangesNothing() throws Exception {
        assumeTrue(toolsPresent(), "dpkg-deb missing");
        Path work = Files.createDirectories(tmp.resolve("work"));
        Deb lib = deb(work, "ferry-lib", "1.0-1", "");
        Deb hello = deb(work, "ferry-hello", "2.0-1", "Depends: ferry-lib (>= 1.0)\n");
        Deb hello2 = deb(work, "ferry-hello", "2.1-1", "Depends: ferry-lib (>= 1.0)\n");
        TrustStore trust = TestBundles.trust(tmp.resolve("trust"), 1, TestBundles.ALICE);
        Path store = tmp.resolve("store");
        Instant created = Instant.now().minusSeconds(60);
        Importer.importBundle(write(tmp.resolve("b1"), entries(List.of(lib, hello), List.of(lib, hello), created),
                "debian", 1, null, created), store, trust, Instant.now(), Progress.NONE);
        StoreSnapshot before = StoreSnapshot.of(store);
        List<AptCatalog.Snapshot> snapshotsBefore = snapshots(store);

        Path missing = write(tmp.resolve("missing"), entries(List.of(lib, hello2), List.of(), created), "debian", 2, 1L, created);
        BundleInvalidException e = assertThrows(BundleInvalidException.class,
                () -> Importer.importBundle(missing, store, trust, Instant.now(), Progress.NONE));
        assertTrue(e.getMessage().contains("package ferry-hello 2.1-1 (amd64)")
                && e.getMessage().contains("neither in the bundle nor in the store"), e.getMessage());
        assertEquals(before, StoreSnapshot.of(store));
        assertEquals(snapshotsBefore, snapshots(store));

        Path tampered = write(tmp.resolve("tampered"), entries(List.of(lib, hello2), List.of(hello2), created),
                "debian", 2, 1L, created);
        flipByteOf(tampered, hello2.bytes());
        BundleInvalidException t = assertThrows(BundleInvalidException.class,
                () -> Importer.importBundle(tampered, store, trust, Instant.now(), Progress.NONE));
        assertTrue(t.getMessage().contains(hello2.filename()), t.getMessage());
        assertEquals(before, StoreSnapshot.of(store));
        assertEquals(snapshotsBefore, snapshots(store));
    }

    @Test
    void onlyGetAndHeadAreAnsweredBelowApt() throws Exception {
        Path store = tmp.resolve("store");
        Store.open(store, Importer.catalogs()).close();
        try (StoreServer server = StoreServer.start(store, "127.0.0.1", 0)) {
            for (String path : List.of("apt/debian/dists/stable/InRelease", "apt/debian/pool/main/f/x.deb", "apt/")) {
                for (String method : List.of("POST", "PUT", "DELETE")) {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.uri() + path))
                            .method(method, HttpRequest.BodyPublishers.ofString("x")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertEquals(405, r.statusCode(), method + " " + path);
                    assertEquals("GET, HEAD", r.headers().firstValue("Allow").orElse(null), method + " " + path);
                }
            }
            assertEquals(404, get(server.uri() + "apt/debian/dists/stable/InRelease").statusCode(),
                    "GET of a channel the store does not publish");
        }
    }

    private static List<AptCatalog.Snapshot> snapshots(Path store) {
        try (Store s = StoreSnapshot.open(store)) {
            return new AptCatalog(s).snapshots("debian");
        }
    }

    /** Changes one byte of {@code content} where a volume of the bundle holds it. */
    private static void flipByteOf(Path bundle, byte[] content) throws Exception {
        try (Stream<Path> files = Files.walk(bundle)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(f);
                int at = indexOf(bytes, content);
                if (at >= 0) {
                    bytes[at + content.length / 2] ^= 0x01;
                    Files.write(f, bytes);
                    return;
                }
            }
        }
        throw new AssertionError("no volume holds the .deb");
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static Path archive(Path root, Deb d) {
        return root.resolve("var/cache/apt/archives/" + d.name() + "_" + d.version() + "_amd64.deb");
    }

    private static String xz(String inRelease) {
        Matcher m = XZ.matcher(inRelease);
        assertTrue(m.find(), inRelease);
        return m.group(1);
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
