package ferry.cli;

import ferry.cli.AptGetRoot.Run;
import ferry.cli.InProcess.Result;
import static ferry.cli.InProcess.ferry;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import ferry.apt.publish.IndexFiles;
import ferry.apt.publish.ReleaseWriter;
import ferry.format.pgp.ClearSigned;
import ferry.format.pgp.GeneratedKey;
import ferry.format.pgp.KeyGenerator;
import ferry.format.pgp.SigningKey;
import ferry.server.StoreServer;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The APT source end to end through the {@code ferry} commands: a test upstream on 127.0.0.1 (packages built by the
 * real dpkg-deb, InRelease signed by an upstream key), {@code ferry export --source apt} of one package with its
 * dependencies, {@code ferry import}, {@code ferry apt export-key}, the store served, and the real apt-get in a
 * throwaway root, trusting only the site key, downloading the package and its dependencies; then an incremental
 * export of a newer version, imported while served, and {@code ferry apt rollback}. Skipped where apt-get or
 * dpkg-deb is missing.
 */
class AptEndToEndTest {
    @TempDir
    Path tmp;

    @Test
    void exportImportServeAptGetThenDeltaAndRollback() throws Exception {
        assumeTrue(new File("/usr/bin/apt-get").canExecute() && new File("/usr/bin/dpkg-deb").canExecute(),
                "apt-get or dpkg-deb missing");
        Upstream up = new Upstream(tmp.resolve("upstream"));
        try (up) {
            byte[] lib = up.deb("ferry-lib", "1.0-1", "amd64", "");
            byte[] doc = up.deb("ferry-doc", "1.0", "all", "");
            byte[] hello = up.deb("ferry-hello", "2.0-1", "amd64", "Depends: ferry-lib (>= 1.0), ferry-doc\n");
            up.deb("ferry-unrelated", "9.9", "amd64", "");
            up.publish();
            Path keyring = tmp.resolve("upstream.asc");
            Files.writeString(keyring, up.key.armoredPublicKey());

            assertEquals(0, ferry("keys", "generate", "--out", tmp.resolve("keys").toString(), "--user-id",
                    "Export <export@example.invalid>").code());
            assertEquals(0, ferry("keys", "trust", tmp.resolve("keys/signer.pub.asc").toString(), "--trust-store",
                    tmp.resolve("trust").toString()).code());
            export(up, keyring, "b1");
            Path store = tmp.resolve("store");
            Result imported = ferry("import", tmp.resolve("b1").toString(), "--store", store.toString(),
                    "--trust-store", tmp.resolve("trust").toString());
            assertEquals(0, imported.code(), imported.err());
            Path siteKey = tmp.resolve("ferry-archive-keyring.asc");
            assertEquals(0, ferry("apt", "export-key", "--store", store.toString(), "--out", siteKey.toString()).code());

            try (StoreServer server = StoreServer.start(store, "127.0.0.1", 0)) {
                Path root = AptGetRoot.prepare(tmp.resolve("root"), "Types: deb\nURIs: " + server.uri() + "apt/debian/\n"
                        + "Suites: stable\nComponents: main\nSigned-By: " + siteKey + "\n");
                Run update = AptGetRoot.aptGet(root, "update");
                assertEquals(0, update.exit(), update.out());
                assertFalse(update.out().contains("W:") || update.out().contains("E:"), update.out());
                Run install = AptGetRoot.aptGet(root, "install", "--download-only", "-y", "ferry-hello");
                assertEquals(0, install.exit(), install.out());
                Path archives = root.resolve("var/cache/apt/archives");
                assertArrayEquals(hello, Files.readAllBytes(archives.resolve("ferry-hello_2.0-1_amd64.deb")));
                assertArrayEquals(lib, Files.readAllBytes(archives.resolve("ferry-lib_1.0-1_amd64.deb")));
                assertArrayEquals(doc, Files.readAllBytes(archives.resolve("ferry-doc_1.0_all.deb")));
                Run unrelated = AptGetRoot.aptGet(root, "install", "--simulate", "-y", "ferry-unrelated");
                assertTrue(unrelated.exit() != 0, "only the selection is published: " + unrelated.out());

                // a newer version upstream: an incremental export carries only it, imported while served
                byte[] hello2 = up.deb("ferry-hello", "2.1-1", "amd64", "Depends: ferry-lib (>= 1.0), ferry-doc\n");
                up.publish();
                export(up, keyring, "b2");
                Result second = ferry("import", tmp.resolve("b2").toString(), "--store", store.toString(),
                        "--trust-store", tmp.resolve("trust").toString());
                assertEquals(0, second.code(), second.err());
                assertEquals(0, AptGetRoot.aptGet(root, "update").exit());
                Run install2 = AptGetRoot.aptGet(root, "install", "--download-only", "-y", "ferry-hello");
                assertEquals(0, install2.exit(), install2.out());
                assertArrayEquals(hello2, Files.readAllBytes(archives.resolve("ferry-hello_2.1-1_amd64.deb")));

                Result rollback = ferry("apt", "rollback", "--store", store.toString(), "--channel", "debian");
                assertEquals(0, rollback.code(), rollback.err());
                assertTrue(rollback.out().contains("now serves snapshot 3: the content of snapshot 1"), rollback.out());
                Result listed = ferry("apt", "snapshots", "--store", store.toString(), "--channel", "debian");
                assertTrue(listed.out().contains("* 3") && listed.out().contains("(content of 1)"), listed.out());
                Run update3 = AptGetRoot.aptGet(root, "update");
                assertEquals(0, update3.exit(), update3.out());
                Run simulate = AptGetRoot.aptGet(root, "install", "--simulate", "-y", "ferry-hello");
                assertTrue(simulate.out().contains("Inst ferry-hello (2.0-1"), simulate.out());
                Result noSuch = ferry("apt", "rollback", "--store", store.toString(), "--channel", "debian", "--to", "7");
                assertEquals(ExitCodes.USAGE, noSuch.code(), noSuch.err());
                assertTrue(noSuch.err().contains("keeps no snapshot 7"), noSuch.err());
            }
        }
    }

    private void export(Upstream up, Path keyring, String bundle) {
        Result r = ferry("export", "--source", "apt", "--upstream", up.uri(), "--suite", "stable", "--component",
                "main", "--arch", "amd64", "--package", "ferry-hello", "--upstream-keyring", keyring.toString(),
                "--out", tmp.resolve(bundle).toString(), "--key", tmp.resolve("keys/signer.sec.asc").toString(),
                "--channel", "debian", "--state", tmp.resolve("state").toString());
        assertEquals(0, r.code(), r.err());
    }

    /** A static APT repository on 127.0.0.1: one suite, {@code stable}, component {@code main}, amd64. */
    private static final class Upstream implements AutoCloseable {
        final GeneratedKey key = KeyGenerator.generateEd25519("Upstream <upstream@example.invalid>", null);
        final Path root;
        final Map<String, String> paragraphs = new TreeMap<>();
        final HttpServer server;

        Upstream(Path root) throws IOException {
            this.root = Files.createDirectories(root);
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", this::handle);
            server.start();
        }

        String uri() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        }

        byte[] deb(String name, String version, String arch, String extra) throws Exception {
            Path build = Files.createDirectories(root.getParent().resolve("build-" + name + "-" + version));
            Files.createDirectories(build.resolve("DEBIAN"));
            Files.createDirectories(build.resolve("usr/share/doc/" + name));
            Files.writeString(build.resolve("usr/share/doc/" + name + "/README"), name + " " + version + "\n");
            String control = "Package: " + name + "\nVersion: " + version + "\nArchitecture: " + arch + "\n"
                    + "Maintainer: ferry tests <tests@example.invalid>\n" + extra + "Description: " + name + "\n";
            Files.writeString(build.resolve("DEBIAN/control"), control);
            String filename = "pool/main/" + name.charAt(0) + "/" + name + "/" + name + "_" + version + "_" + arch + ".deb";
            Path deb = Files.createDirectories(root.resolve(filename).getParent()).resolve(root.resolve(filename).getFileName());
            Process p = new ProcessBuilder("/usr/bin/dpkg-deb", "--root-owner-group", "--build", build.toString(),
                    deb.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), out);
            byte[] bytes = Files.readAllBytes(deb);
            paragraphs.put(name + " " + version, control + "Filename: " + filename + "\nSize: " + bytes.length
                    + "\nSHA256: " + IndexFiles.of("x", bytes).get("x").sha256() + "\n");
            return bytes;
        }

        void publish() throws Exception {
            byte[] packages = String.join("\n", paragraphs.values()).getBytes(StandardCharsets.UTF_8);
            Map<String, IndexFiles.IndexFile> indexes = IndexFiles.of("main/binary-amd64/Packages", packages);
            Path dists = Files.createDirectories(root.resolve("dists/stable/main/binary-amd64"));
            for (IndexFiles.IndexFile f : indexes.values()) {
                Files.write(root.resolve("dists/stable/" + f.path()), f.bytes());
                // the Release says Acquire-By-Hash: yes
                Files.createDirectories(dists.resolve("by-hash/SHA256"));
                Files.write(dists.resolve("by-hash/SHA256/" + f.sha256()), f.bytes());
            }
            Instant now = Instant.now().minusSeconds(5);
            String release = ReleaseWriter.write(new ReleaseWriter.Suite("Upstream", "Upstream", "stable", "bookworm",
                    List.of("amd64"), List.of("main"), "an upstream for a ferry test"), now,
                    Optional.of(now.plus(Duration.ofDays(7))), indexes.values());
            Files.writeString(dists.getParent().getParent().resolve("InRelease"),
                    ClearSigned.sign(SigningKey.parse(key.armoredSecretKey(), null), release));
        }

        private void handle(HttpExchange x) throws IOException {
            try (x) {
                Path file = root.resolve(x.getRequestURI().getPath().substring(1)).normalize();
                if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                    x.sendResponseHeaders(404, -1);
                    return;
                }
                byte[] body = Files.readAllBytes(file);
                x.sendResponseHeaders(200, body.length);
                x.getResponseBody().write(body);
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
