package ferry.exporter.apt;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import ferry.apt.publish.IndexFiles;
import ferry.apt.publish.ReleaseWriter;
import ferry.format.pgp.ClearSigned;
import ferry.format.pgp.DetachedSignatures;
import ferry.format.pgp.GeneratedKey;
import ferry.format.pgp.KeyGenerator;
import ferry.format.pgp.SigningKey;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An upstream APT repository for tests: {@code .deb} files built by the real {@code dpkg-deb}, Packages indexes
 * (plain, .gz, .xz and by-hash), a Release signed (InRelease and Release.gpg) by a key the test makes, served over
 * real HTTP on 127.0.0.1 with range requests; a download can be cut short once to exercise resumption.
 */
final class TestAptUpstream implements AutoCloseable {

    static final String SUITE = "stable";

    final Path root;
    final GeneratedKey key = KeyGenerator.generateEd25519("Upstream <upstream@example.invalid>", null);
    final SigningKey signing;
    /** Paragraphs by component and architecture index ({@code main/binary-amd64}), in index order. */
    final Map<String, List<String>> paragraphs = new LinkedHashMap<>();
    /** Every request: path, and the Range header or {@code -}. */
    final List<String> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> cutOnce = new ConcurrentHashMap<>();
    private final HttpServer server;

    TestAptUpstream(Path root) throws Exception {
        this.root = Files.createDirectories(root);
        this.signing = SigningKey.parse(key.armoredSecretKey(), null);
        paragraphs.put("main/binary-amd64", new ArrayList<>());
        paragraphs.put("main/binary-all", new ArrayList<>());
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/debian/");
    }

    /** The upstream's public key, armored, as the operator's {@code --upstream-keyring}. */
    Path keyring() throws IOException {
        Path p = root.getParent().resolve("upstream-keyring.asc");
        Files.writeString(p, key.armoredPublicKey());
        return p;
    }

    /**
     * Builds a package with dpkg-deb and lists it in its architecture's index (and, for {@code all}, in
     * {@code binary-amd64} too, as Debian does).
     *
     * @param payload bytes of incompressible data inside it (to make it large)
     * @return its Packages paragraph
     */
    String deb(String name, String version, String arch, String extra, int payload) throws Exception {
        Path build = Files.createTempDirectory(root.getParent(), "build-" + name);
        Files.createDirectories(build.resolve("DEBIAN"));
        Path doc = Files.createDirectories(build.resolve("usr/share/doc/" + name));
        Files.writeString(doc.resolve("README"), name + " " + version + " for a ferry test\n");
        if (payload > 0) {
            byte[] data = new byte[payload];
            new SplittableRandom(name.hashCode() * 31L + version.hashCode()).nextBytes(data);
            Files.write(doc.resolve("data.bin"), data);
        }
        String control = "Package: " + name + "\nVersion: " + version + "\nArchitecture: " + arch + "\n"
                + "Maintainer: ferry tests <tests@example.invalid>\n" + extra
                + "Description: " + name + " test package\n a longer description\n .\n with an empty line\n";
        Files.writeString(build.resolve("DEBIAN/control"), control);
        String filename = "pool/main/" + name.charAt(0) + "/" + name + "/" + name + "_" + version + "_" + arch + ".deb";
        Path deb = root.resolve(filename);
        Files.createDirectories(deb.getParent());
        Process p = new ProcessBuilder("/usr/bin/dpkg-deb", "-Zgzip", "--root-owner-group", "--build",
                build.toString(), deb.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        byte[] bytes = Files.readAllBytes(deb);
        String paragraph = control + "Section: misc\nFilename: " + filename + "\nSize: " + bytes.length
                + "\nSHA256: " + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes)) + "\n";
        paragraphs.get("main/binary-" + arch).add(paragraph);
        if (arch.equals("all")) {
            paragraphs.get("main/binary-amd64").add(paragraph);
        }
        return paragraph;
    }

    /** Writes the indexes, the Release, InRelease and Release.gpg, signed by the upstream key. */
    void publish(Instant date, Instant validUntil) throws IOException {
        publish(date, validUntil, signing);
    }

    void publish(Instant date, Instant validUntil, SigningKey signer) throws IOException {
        List<IndexFiles.IndexFile> all = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : paragraphs.entrySet()) {
            byte[] plain = String.join("\n", e.getValue()).getBytes(StandardCharsets.UTF_8);
            Collection<IndexFiles.IndexFile> files = IndexFiles.of(e.getKey() + "/Packages", plain).values();
            for (IndexFiles.IndexFile f : files) {
                write(dists(f.path()), f.bytes());
                write(dists(e.getKey() + "/by-hash/SHA256/" + f.sha256()), f.bytes());
            }
            all.addAll(files);
        }
        String release = ReleaseWriter.write(new ReleaseWriter.Suite("Test", "Test", SUITE, SUITE,
                List.of("amd64", "all"), List.of("main"), "a ferry test upstream"), date, Optional.of(validUntil), all);
        write(dists("Release"), release.getBytes(StandardCharsets.UTF_8));
        write(dists("InRelease"), ClearSigned.sign(signer, release).getBytes(StandardCharsets.UTF_8));
        write(dists("Release.gpg"), DetachedSignatures.sign(signer, release.getBytes(StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.US_ASCII));
    }

    /** A path below {@code dists/stable/} as a file. */
    Path dists(String path) {
        return root.resolve("dists/" + SUITE + "/" + path);
    }

    /** The next request for {@code path} (below the repository root) is cut after {@code bytes} bytes. */
    void cutOnce(String path, int bytes) {
        cutOnce.put(path, bytes);
    }

    static void write(Path p, byte[] bytes) throws IOException {
        Files.createDirectories(p.getParent());
        Files.write(p, bytes);
    }

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String full = x.getRequestURI().getRawPath();
            String range = x.getRequestHeaders().getFirst("Range");
            requests.add(full + " " + (range == null ? "-" : range));
            String prefix = "/debian/";
            Path file = full.startsWith(prefix) ? root.resolve(java.net.URLDecoder.decode(full.substring(prefix.length()),
                    StandardCharsets.UTF_8)).normalize() : null;
            if (file == null || !file.startsWith(root) || !Files.isRegularFile(file)) {
                x.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = Files.readAllBytes(file);
            int from = 0;
            Matcher m = range == null ? null : RANGE.matcher(range);
            if (m != null && m.matches()) {
                from = Integer.parseInt(m.group(1));
                x.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
                x.sendResponseHeaders(206, body.length - from);
            } else {
                x.getResponseHeaders().add("ETag", "\"" + body.length + "\"");
                x.sendResponseHeaders(200, body.length);
            }
            Integer cut = cutOnce.remove(root.relativize(file).toString().replace('\\', '/'));
            OutputStream o = x.getResponseBody();
            if (cut != null) {
                o.write(body, from, cut);
                o.flush();
                // announce the whole length, send part of it and drop the connection
                throw new IOException("cut on purpose");
            }
            o.write(body, from, body.length - from);
            o.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
