package ferry.exporter.apt;

import ferry.exporter.DownloadException;
import ferry.exporter.ExportJob;
import ferry.exporter.ExportOptions;
import ferry.exporter.ExportResult;
import ferry.exporter.ExportUpstreamException;
import ferry.exporter.SelectionException;
import ferry.format.BundleReader;
import ferry.format.Entry;
import ferry.format.Manifest;
import ferry.format.Progress;
import ferry.format.pgp.KeyGenerator;
import ferry.format.pgp.SigningKey;
import ferry.wsus.client.WsusClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code ferry export --source apt} against a real upstream repository on 127.0.0.1 ({@link TestAptUpstream}:
 * packages built by dpkg-deb, a Release signed by a key the test makes): the bundle's entries as the contract of
 * {@code docs/architecture.md} says, the closure (alternatives, Provides, version relations, arch all), full then
 * delta then nothing new, and each kind of tampering failing with its reason and no bundle.
 */
class AptExportTest {

    static SigningKey bundleKey;

    @TempDir
    Path tmp;
    TestAptUpstream up;
    Instant now;
    Map<String, String> para = new LinkedHashMap<>();

    @BeforeAll
    static void key() throws Exception {
        bundleKey = SigningKey.parse(KeyGenerator.generateEd25519("ferry test <test@example.invalid>", null)
                .armoredSecretKey(), null);
    }

    @BeforeEach
    void upstream() throws Exception {
        assumeTrue(new File("/usr/bin/dpkg-deb").canExecute(), "dpkg-deb missing: the test upstream cannot be built");
        now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        up = new TestAptUpstream(tmp.resolve("upstream"));
        para.put("hello", up.deb("hello", "2.10-3", "amd64",
                "Depends: libc6 (>= 2.34), default-mta | mail-transport-agent, libold (<< 2.0)\nRecommends: hello-doc\n",
                200_000));
        para.put("libc6", up.deb("libc6", "2.36-9", "amd64", "Depends: ferry-base-files\n", 0));
        para.put("libc6-old", up.deb("libc6", "2.31-1", "amd64", "", 0));
        para.put("libold", up.deb("libold", "1.0-1", "amd64", "", 0));
        para.put("libold-new", up.deb("libold", "2.0-1", "amd64", "", 0));
        para.put("postfix-lite", up.deb("postfix-lite", "3.7-1", "amd64", "Provides: mail-transport-agent\n", 0));
        para.put("ferry-base-files", up.deb("ferry-base-files", "12.4", "all", "", 0));
        para.put("hello-doc", up.deb("hello-doc", "2.10-3", "all", "", 0));
        para.put("unrelated", up.deb("unrelated", "1.0", "amd64", "", 0));
        para.put("broken", up.deb("broken", "1.0", "amd64", "Depends: missing-lib (>= 1.0)\n", 0));
        up.publish(now.minusSeconds(60), now.plus(Duration.ofDays(7)));
    }

    @AfterEach
    void stop() {
        if (up != null) {
            up.close();
        }
    }

    ExportOptions.Builder options(String out, boolean recommends, String... packages) throws Exception {
        return ExportOptions.builder().source("apt").upstream(up.uri())
                .apt(new AptOptions(TestAptUpstream.SUITE, List.of("main"), List.of("amd64"), List.of(packages),
                        recommends, false, up.keyring()))
                .outputDir(tmp.resolve(out)).volumeSize(1 << 20).stateDir(tmp.resolve("state")).signingKey(bundleKey)
                .clock(Clock.fixed(now, ZoneOffset.UTC)).producerVersion("test")
                .clientOptions(WsusClientOptions.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30))
                        .withReadTimeout(Duration.ofSeconds(5)))
                .downloadAttempts(3).retryBackoff(Duration.ZERO);
    }

    @Test
    void fullThenDeltaThenNothingNew() throws Exception {
        ExportResult r = ExportJob.run(options("b1", false, "hello").build(), Progress.NONE);
        assertTrue(r.bundleWritten());
        assertEquals("apt", r.source());
        AptFigures f = (AptFigures) r.figures();
        assertEquals(List.of(up.key.fingerprint()), f.upstreamSigners());
        assertEquals(5, f.selected());
        assertEquals(5, f.files().count());
        assertEquals(5, f.files().downloaded());

        Bundle b = Bundle.read(tmp.resolve("b1"));
        assertTrue(b.manifest.isFull());
        // the upstream's signed InRelease, byte for byte
        assertArrayEquals(Files.readAllBytes(up.dists("InRelease")), b.bytes("apt/dists/stable/InRelease"));
        assertEquals(Map.of("kind", "apt-release", "suite", "stable"), b.entry("apt/dists/stable/InRelease").source());
        assertEquals("text/plain", b.entry("apt/dists/stable/InRelease").mediaType());
        // the closure: an alternative met through Provides, a version relation choosing the older libold, arch
        // all through a dependency, the highest libc6; not Recommends, not what nothing needs
        String packages = b.text("apt/dists/stable/main/binary-amd64/Packages");
        assertEquals(Map.of("kind", "apt-packages", "suite", "stable", "component", "main", "architecture", "amd64"),
                b.entry("apt/dists/stable/main/binary-amd64/Packages").source());
        assertEquals(String.join("\n", para.get("ferry-base-files"), para.get("hello"), para.get("libc6"),
                para.get("libold"), para.get("postfix-lite")), packages, "the upstream's paragraphs, sorted by name");
        Set<String> debs = b.paths("apt/pool/");
        assertEquals(Set.of(deb("ferry-base-files", "12.4", "all"), deb("hello", "2.10-3", "amd64"),
                deb("libc6", "2.36-9", "amd64"), deb("libold", "1.0-1", "amd64"),
                deb("postfix-lite", "3.7-1", "amd64")), debs);
        String hello = deb("hello", "2.10-3", "amd64");
        assertArrayEquals(Files.readAllBytes(up.root.resolve(hello.substring(4))), b.bytes(hello));
        Entry he = b.entry(hello);
        assertEquals("application/vnd.debian.binary-package", he.mediaType());
        assertEquals(Map.of("kind", "apt-deb", "package", "hello", "version", "2.10-3", "architecture", "amd64",
                "sha256", he.sha256()), he.source());
        assertTrue(para.get("hello").contains("SHA256: " + he.sha256()));
        assertEquals("stable", b.manifest.selection().get("suite").asText());
        assertEquals("[\"hello\"]", b.manifest.selection().get("packages").toString());
        assertEquals("[\"amd64\"]", b.manifest.selection().get("architectures").toString());
        assertEquals(5, b.manifest.selection().get("counts").get("debs").asLong());

        // upstream: a new hello; the delta carries its .deb alone, and the whole selection's Packages
        up.paragraphs.get("main/binary-amd64").remove(para.get("hello"));
        String hello4 = up.deb("hello", "2.10-4", "amd64", "Depends: libc6 (>= 2.34), mail-transport-agent\n", 1000);
        up.publish(now.minusSeconds(30), now.plus(Duration.ofDays(7)));
        ExportResult r2 = ExportJob.run(options("b2", false, "hello").build(), Progress.NONE);
        assertEquals(1L, r2.baseSequence());
        Bundle b2 = Bundle.read(tmp.resolve("b2"));
        assertEquals(Set.of(deb("hello", "2.10-4", "amd64")), b2.paths("apt/pool/"));
        assertEquals(String.join("\n", para.get("ferry-base-files"), hello4, para.get("libc6"),
                para.get("postfix-lite")), b2.text("apt/dists/stable/main/binary-amd64/Packages"),
                "libold is no longer needed; the Packages hold the whole selection");
        assertArrayEquals(Files.readAllBytes(up.dists("InRelease")), b2.bytes("apt/dists/stable/InRelease"));
        assertEquals(4, ((AptFigures) r2.figures()).selected());

        // nothing changed upstream: no bundle
        ExportResult r3 = ExportJob.run(options("b3", false, "hello").build(), Progress.NONE);
        assertFalse(r3.bundleWritten());
        assertFalse(Files.exists(tmp.resolve("b3")));

        // the selection shrinks: a bundle with new Packages but no .deb file
        ExportResult r4 = ExportJob.run(options("b4", false, "libc6").build(), Progress.NONE);
        assertTrue(r4.bundleWritten());
        Bundle b4 = Bundle.read(tmp.resolve("b4"));
        assertEquals(Set.of(), b4.paths("apt/pool/"));
        assertEquals(String.join("\n", para.get("ferry-base-files"), para.get("libc6")),
                b4.text("apt/dists/stable/main/binary-amd64/Packages"));

        // a full export carries everything again, from the cache
        ExportResult r5 = ExportJob.run(options("b5", false, "hello").full(true).build(), Progress.NONE);
        AptFigures f5 = (AptFigures) r5.figures();
        assertEquals(4, f5.files().count());
        assertEquals(0, f5.files().downloaded());
        assertEquals(4, f5.files().fromCache());
    }

    @Test
    void recommendsAndPatterns() throws Exception {
        ExportJob.run(options("b1", true, "hell?").build(), Progress.NONE);
        Bundle b = Bundle.read(tmp.resolve("b1"));
        assertTrue(b.paths("apt/pool/").contains(deb("hello-doc", "2.10-3", "all")), b.paths("apt/pool/").toString());
        assertTrue(b.text("apt/dists/stable/main/binary-amd64/Packages").contains(para.get("hello-doc")));
    }

    @Test
    void aDependencyNothingMeetsIsNamedAndNoBundleIsWritten() throws Exception {
        SelectionException e = assertThrows(SelectionException.class,
                () -> ExportJob.run(options("b1", false, "hello", "broken").build(), Progress.NONE));
        assertTrue(e.getMessage().contains("broken Depends: missing-lib (>= 1.0) [amd64]"), e.getMessage());
        assertEquals("broken", e.requested());
        assertNothingWritten();
        SelectionException none = assertThrows(SelectionException.class,
                () -> ExportJob.run(options("b1", false, "no-such-package").build(), Progress.NONE));
        assertTrue(none.getMessage().contains("no-such-package selection: no package of architecture amd64 or all"),
                none.getMessage());
    }

    @Test
    void aReleaseSignedByAnotherKeyIsRefused() throws Exception {
        SigningKey stranger = SigningKey.parse(KeyGenerator.generateEd25519("Stranger <x@example.invalid>", null)
                .armoredSecretKey(), null);
        up.publish(now.minusSeconds(60), now.plus(Duration.ofDays(7)), stranger);
        assertRefused("dists/stable/InRelease: no signature by a key of " + up.keyring());
    }

    @Test
    void anAlteredInReleaseIsRefused() throws Exception {
        Path in = up.dists("InRelease");
        Files.writeString(in, Files.readString(in).replace("Label: Test", "Label: Evil"));
        assertRefused("BAD signature (the Release was altered)");
    }

    @Test
    void anExpiredReleaseIsRefused() throws Exception {
        up.publish(now.minus(Duration.ofDays(8)), now.minusSeconds(5));
        assertRefused("dists/stable/Release: expired at " + now.minusSeconds(5) + " (Valid-Until)");
    }

    @Test
    void anIndexThatDiffersFromTheReleaseIsRefused() throws Exception {
        String release = Files.readString(up.dists("Release"));
        String line = release.lines().filter(l -> l.endsWith(" main/binary-amd64/Packages.xz")).findFirst().orElseThrow();
        String sha = line.strip().split("\\s+")[0];
        Path byHash = up.dists("main/binary-amd64/by-hash/SHA256/" + sha);
        byte[] b = Files.readAllBytes(byHash);
        b[b.length / 2] ^= 0x20;
        Files.write(byHash, b);
        assertRefused("dists/stable/main/binary-amd64/by-hash/SHA256/" + sha + ": SHA-256 ");
        assertRefused("differs from the Release's " + sha);
    }

    @Test
    void aDebThatDiffersFromItsPackagesParagraphIsRefused() throws Exception {
        Path deb = up.root.resolve(deb("libold", "1.0-1", "amd64").substring(4));
        byte[] b = Files.readAllBytes(deb);
        b[b.length - 3] ^= 1;
        Files.write(deb, b);
        DownloadException e = assertThrows(DownloadException.class,
                () -> ExportJob.run(options("b1", false, "hello").build(), Progress.NONE));
        assertTrue(e.getMessage().contains("libold_1.0-1_amd64.deb (package libold 1.0-1 (amd64))")
                && e.getMessage().contains("SHA-256 is ") && e.getMessage().contains(", the metadata says "),
                e.getMessage());
        assertNothingWritten();
        try (var s = Files.walk(tmp.resolve("state/cache"))) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().equals(
                    para.get("libold").lines().filter(l -> l.startsWith("SHA256: ")).findFirst().orElseThrow()
                            .substring(8))), "never in the cache");
        }
    }

    @Test
    void anInterruptedDebDownloadResumes() throws Exception {
        String hello = deb("hello", "2.10-3", "amd64").substring(4);
        up.cutOnce(hello, 120_000);
        ExportJob.run(options("b1", false, "hello").downloadThreads(1).build(), Progress.NONE);
        List<String> asked = up.requests.stream().filter(r -> r.startsWith("/debian/" + hello + " ")).toList();
        assertEquals(2, asked.size(), up.requests.toString());
        assertTrue(asked.get(0).endsWith(" -") && asked.get(1).matches(".* bytes=\\d+-"), asked.toString());
        long from = Long.parseLong(asked.get(1).replaceAll(".* bytes=(\\d+)-", "$1"));
        assertTrue(from > 0 && from <= 120_000, asked.toString());
        assertArrayEquals(Files.readAllBytes(up.root.resolve(hello)), Bundle.read(tmp.resolve("b1")).bytes("apt/" + hello));
    }

    @Test
    void releaseWithDetachedSignatureIsCarriedAsRelease() throws Exception {
        Files.delete(up.dists("InRelease"));
        ExportJob.run(options("b1", false, "libold").build(), Progress.NONE);
        Bundle b = Bundle.read(tmp.resolve("b1"));
        assertArrayEquals(Files.readAllBytes(up.dists("Release")), b.bytes("apt/dists/stable/Release"));
        assertEquals(Map.of("kind", "apt-release", "suite", "stable"), b.entry("apt/dists/stable/Release").source());
        assertFalse(b.paths("apt/dists/").contains("apt/dists/stable/InRelease"));
    }

    private void assertRefused(String expected) throws Exception {
        ExportUpstreamException e = assertThrows(ExportUpstreamException.class,
                () -> ExportJob.run(options("b1", false, "hello").build(), Progress.NONE));
        assertFalse(e instanceof DownloadException, e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertNothingWritten();
    }

    private void assertNothingWritten() {
        assertFalse(Files.exists(tmp.resolve("b1")), "no bundle");
        assertFalse(Files.exists(tmp.resolve("state/state.json")), "no state recorded");
    }

    static String deb(String name, String version, String arch) {
        return "apt/pool/main/" + name.charAt(0) + "/" + name + "/" + name + "_" + version + "_" + arch + ".deb";
    }

    /** A bundle's manifest and entries, read through BundleReader (which checks every digest). */
    record Bundle(Manifest manifest, Map<String, Entry> entries, Map<String, byte[]> content) {
        static Bundle read(Path dir) throws Exception {
            BundleReader r = BundleReader.open(dir);
            Map<String, Entry> entries = new LinkedHashMap<>();
            Map<String, byte[]> content = new LinkedHashMap<>();
            for (Entry e : r.manifest().entries()) {
                entries.put(e.path(), e);
                try (InputStream in = r.openEntry(e)) {
                    content.put(e.path(), in.readAllBytes());
                }
            }
            return new Bundle(r.manifest(), entries, content);
        }

        Entry entry(String path) {
            Entry e = entries.get(path);
            assertTrue(e != null, path + " not in " + entries.keySet());
            return e;
        }

        byte[] bytes(String path) {
            entry(path);
            return content.get(path);
        }

        String text(String path) {
            return new String(bytes(path), StandardCharsets.UTF_8);
        }

        Set<String> paths(String prefix) {
            Set<String> out = new TreeSet<>();
            entries.keySet().stream().filter(p -> p.startsWith(prefix)).forEach(out::add);
            return out;
        }
    }
}
