package ferry.apt.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import ferry.apt.index.PackageEntry;
import ferry.apt.publish.IndexFiles;
import ferry.apt.publish.ReleaseWriter;
import ferry.apt.trust.UpstreamKeyring;
import ferry.format.pgp.ClearSigned;
import ferry.format.pgp.DetachedSignatures;
import ferry.format.pgp.GeneratedKey;
import ferry.format.pgp.KeyGenerator;
import ferry.format.pgp.SigningKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An upstream suite served over real HTTP on 127.0.0.1, read by SuiteReader, intact and damaged. */
class SuiteReaderTest {
    private static final Instant NOW = Instant.parse("2026-11-29T07:00:00Z");
    private static final String PACKAGES = para("ferry-lib", "1.0-1", "") + "\n"
            + para("ferry-hello", "2.0-1", "Depends: ferry-lib (>= 1.0)\n");

    @TempDir
    Path repo;
    HttpServer server;
    final List<String> requested = new CopyOnWriteArrayList<>();
    GeneratedKey site;
    Map<String, IndexFiles.IndexFile> indexes;

    @BeforeEach
    void serve() throws Exception {
        site = KeyGenerator.generateEd25519("Upstream <up@example.invalid>", null);
        indexes = IndexFiles.of("main/binary-amd64/Packages", PACKAGES.getBytes(StandardCharsets.UTF_8));
        for (IndexFiles.IndexFile f : indexes.values()) {
            write("dists/stable/" + f.path(), f.bytes());
            write("dists/stable/main/binary-amd64/by-hash/SHA256/" + f.sha256(), f.bytes());
        }
        publish(SigningKey.parse(site.armoredSecretKey(), null), NOW.plus(Duration.ofDays(7)));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath().substring(1);
            requested.add(path);
            Path file = repo.resolve(path).normalize();
            if (!file.startsWith(repo) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                byte[] body = Files.readAllBytes(file);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream o = exchange.getResponseBody()) {
                    o.write(body);
                }
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aSuiteReadAsAptReadsIt() throws Exception {
        SuiteReader.Suite s = read();
        assertEquals(List.of(fingerprint()), s.signerFingerprints());
        assertEquals(1, s.indexes().size());
        SuiteReader.Index index = s.indexes().get(0);
        assertEquals("main/binary-amd64/Packages.xz", index.file().path(), "the best compression listed");
        assertEquals(List.of("ferry-lib", "ferry-hello"), index.entries().stream().map(PackageEntry::name).toList());
        assertTrue(requested.contains("dists/stable/main/binary-amd64/by-hash/SHA256/"
                + indexes.get("main/binary-amd64/Packages.xz").sha256()), requested.toString());
    }

    @Test
    void aDamagedIndexIsRefusedBeforeParsing() throws Exception {
        IndexFiles.IndexFile xz = indexes.get("main/binary-amd64/Packages.xz");
        byte[] damaged = xz.bytes().clone();
        damaged[damaged.length / 2] ^= 1;
        write("dists/stable/main/binary-amd64/by-hash/SHA256/" + xz.sha256(), damaged);
        assertTrue(fail().contains("SHA-256"), fail());
        byte[] longer = new byte[xz.bytes().length + 10];
        System.arraycopy(xz.bytes(), 0, longer, 0, xz.bytes().length);
        write("dists/stable/main/binary-amd64/by-hash/SHA256/" + xz.sha256(), longer);
        assertTrue(fail().contains("longer than the " + xz.size() + " bytes the Release lists"), fail());
    }

    @Test
    void staleUntrustedOrMissingReleasesAreRefused() throws Exception {
        publish(SigningKey.parse(site.armoredSecretKey(), null), NOW.minusSeconds(1));
        assertTrue(fail().contains("expired"), fail());
        SigningKey stranger = SigningKey.parse(KeyGenerator.generateEd25519("X <x@example.invalid>", null)
                .armoredSecretKey(), null);
        publish(stranger, NOW.plus(Duration.ofDays(1)));
        assertTrue(fail().contains("no signature by a key of"), fail());
        Files.delete(repo.resolve("dists/stable/InRelease"));
        Files.delete(repo.resolve("dists/stable/Release.gpg"));
        assertTrue(fail().contains("no InRelease, and no Release with Release.gpg"), fail());
        assertThrows(FetchException.class, () -> SuiteReader.read(transport(), "../../etc", List.of("main"),
                List.of("amd64"), keyring(), NOW));
    }

    @Test
    void aMissingByHashCopyIsReadByNameAndStillChecked() throws Exception {
        IndexFiles.IndexFile xz = indexes.get("main/binary-amd64/Packages.xz");
        Files.delete(repo.resolve("dists/stable/main/binary-amd64/by-hash/SHA256/" + xz.sha256()));
        assertEquals(2, read().indexes().get(0).entries().size());
        assertTrue(requested.contains("dists/stable/main/binary-amd64/Packages.xz"), requested.toString());
        byte[] damaged = xz.bytes().clone();
        damaged[damaged.length / 2] ^= 1;
        write("dists/stable/main/binary-amd64/Packages.xz", damaged);
        assertTrue(fail().contains("dists/stable/main/binary-amd64/Packages.xz: SHA-256 "), fail());
        Files.delete(repo.resolve("dists/stable/main/binary-amd64/Packages.xz"));
        assertTrue(fail().contains("dists/stable/main/binary-amd64/Packages.xz: not found"), fail());
    }

    @Test
    void releaseWithDetachedSignatureWhenThereIsNoInRelease() throws Exception {
        Files.delete(repo.resolve("dists/stable/InRelease"));
        assertEquals(2, read().indexes().get(0).entries().size());
        assertTrue(requested.contains("dists/stable/Release.gpg"));
    }

    private void publish(SigningKey key, Instant validUntil) throws IOException {
        String release = ReleaseWriter.write(new ReleaseWriter.Suite("Up", "Up", "stable", "stable", List.of("amd64"),
                List.of("main"), "test"), NOW.minusSeconds(60), Optional.of(validUntil), indexes.values());
        write("dists/stable/Release", release.getBytes(StandardCharsets.UTF_8));
        write("dists/stable/InRelease", ClearSigned.sign(key, release).getBytes(StandardCharsets.UTF_8));
        write("dists/stable/Release.gpg", DetachedSignatures.sign(key, release.getBytes(StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.US_ASCII));
    }

    private SuiteReader.Suite read() throws Exception {
        return SuiteReader.read(transport(), "stable", List.of("main"), List.of("amd64"), keyring(), NOW);
    }

    private String fail() {
        return assertThrows(FetchException.class, this::read).getMessage();
    }

    private UpstreamKeyring keyring() throws Exception {
        return UpstreamKeyring.parse(site.armoredPublicKey().getBytes(StandardCharsets.US_ASCII), "upstream.asc");
    }

    private String fingerprint() {
        return site.fingerprint();
    }

    private RepositoryTransport transport() {
        HttpClient client = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        return (path, maxBytes) -> {
            try {
                HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() == 404) {
                    return null;
                }
                if (r.statusCode() != 200) {
                    throw new IOException("HTTP " + r.statusCode());
                }
                return new ByteArrayInputStream(r.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        };
    }

    private void write(String path, byte[] bytes) throws IOException {
        Path p = repo.resolve(path);
        Files.createDirectories(p.getParent());
        Files.write(p, bytes);
    }

    private static String para(String name, String version, String extra) {
        return "Package: " + name + "\nVersion: " + version + "\nArchitecture: amd64\n" + extra
                + "Filename: pool/main/f/" + name + "/" + name + "_" + version + "_amd64.deb\nSize: 1000\nSHA256: "
                + "e".repeat(64) + "\n";
    }
}
