package ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ferry.apt.publish.IndexFiles;
import ferry.apt.publish.ReleaseWriter;
import ferry.format.BundleWriter;
import ferry.format.ManifestHeader;
import ferry.format.Producer;
import ferry.format.pgp.ClearSigned;
import ferry.format.pgp.GeneratedKey;
import ferry.format.pgp.KeyGenerator;
import ferry.format.pgp.SigningKey;
import ferry.importer.TestBundles;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * APT test material: {@code .deb} files built by the real dpkg-deb, an upstream's signed InRelease, and bundles
 * written with {@link BundleWriter} following the APT bundle contract (docs/apt.md, "Bundle entries"), signed by
 * {@link TestBundles#ALICE}; and apt-get run in a throwaway root.
 */
final class AptRepositories {
    static final GeneratedKey UPSTREAM = KeyGenerator.generateEd25519("Upstream archive <archive@example.invalid>", null);

    private AptRepositories() {
    }

    static boolean toolsPresent() {
        return new File("/usr/bin/apt-get").canExecute() && new File("/usr/bin/dpkg-deb").canExecute();
    }

    /** A built package: its control stanza (without pool fields), Filename and bytes. */
    record Deb(String name, String version, String control, String filename, byte[] bytes) {
        String sha256() {
            return sha256Hex(bytes);
        }

        String stanza() {
            return control + "Filename: " + filename + "\nSize: " + bytes.length + "\nSHA256: " + sha256() + "\n";
        }
    }

    /** Builds a .deb with the real dpkg-deb. */
    static Deb deb(Path work, String name, String version, String extra) throws Exception {
        Path build = Files.createDirectories(work.resolve("build-" + name + "-" + version));
        Files.createDirectories(build.resolve("DEBIAN"));
        Files.createDirectories(build.resolve("usr/share/doc/" + name));
        Files.writeString(build.resolve("usr/share/doc/" + name + "/README"), name + " " + version + " for a ferry test\n");
        String control = "Package: " + name + "\nVersion: " + version + "\nArchitecture: amd64\n"
                + "Maintainer: ferry tests <tests@example.invalid>\n" + extra + "Description: " + name + " test package\n";
        Files.writeString(build.resolve("DEBIAN/control"), control);
        Path deb = work.resolve(name + "_" + version + "_amd64.deb");
        Process p = new ProcessBuilder("/usr/bin/dpkg-deb", "--root-owner-group", "--build", build.toString(),
                deb.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return new Deb(name, version, control, "pool/main/" + name.charAt(0) + "/" + name + "/" + name + "_" + version
                + "_amd64.deb", Files.readAllBytes(deb));
    }

    /** The upstream's InRelease for suite {@code stable} (codename bookworm) over one Packages index. */
    static String upstreamInRelease(byte[] packages, Instant date) throws Exception {
        Map<String, IndexFiles.IndexFile> indexes = IndexFiles.of("main/binary-amd64/Packages", packages);
        String release = ReleaseWriter.write(new ReleaseWriter.Suite("Upstream", "Upstream", "stable", "bookworm",
                "12.11", List.of("amd64"), List.of("main"), "upstream for a ferry test"), date,
                Optional.of(date.plus(Duration.ofDays(7))), indexes.values());
        return ClearSigned.sign(SigningKey.parse(UPSTREAM.armoredSecretKey(), null), release);
    }

    /** The contract's entries, in order, for one bundle. */
    static final class Bundle {
        final Map<String, Object[]> entries = new LinkedHashMap<>();

        void add(String path, String mediaType, Map<String, String> source, byte[] bytes) {
            entries.put(path, new Object[] {mediaType, source, bytes});
        }
    }

    /**
     * Bundle entries for channel selection {@code selected}, carrying {@code carried} .deb files.
     */
    static Bundle entries(List<Deb> selected, List<Deb> carried, Instant date) throws Exception {
        List<String> stanzas = new ArrayList<>();
        for (Deb d : selected) {
            stanzas.add(d.stanza());
        }
        byte[] packages = String.join("\n", stanzas).getBytes(StandardCharsets.UTF_8);
        Bundle b = new Bundle();
        b.add("apt/dists/stable/InRelease", "text/plain", Map.of("kind", "apt-release", "suite", "stable"),
                upstreamInRelease(packages, date).getBytes(StandardCharsets.UTF_8));
        b.add("apt/dists/stable/main/binary-amd64/Packages", "text/plain", Map.of("kind", "apt-packages",
                "suite", "stable", "component", "main", "architecture", "amd64"), packages);
        for (Deb d : carried) {
            b.add("apt/" + d.filename(), "application/vnd.debian.binary-package", Map.of("kind", "apt-deb",
                    "package", d.name(), "version", d.version(), "architecture", "amd64", "sha256", d.sha256()), d.bytes());
        }
        return b;
    }

    /** Writes {@code b} as a bundle of channel {@code channel}, signed by ALICE. */
    static Path write(Path dir, Bundle b, String channel, long sequence, Long base, Instant created) throws Exception {
        try (BundleWriter w = BundleWriter.create(dir, 1 << 20)) {
            for (Map.Entry<String, Object[]> e : b.entries.entrySet()) {
                byte[] bytes = (byte[]) e.getValue()[2];
                @SuppressWarnings("unchecked")
                Map<String, String> source = (Map<String, String>) e.getValue()[1];
                w.add(e.getKey(), (String) e.getValue()[0], source, new ByteArrayInputStream(bytes), bytes.length);
            }
            w.finish(new ManifestHeader(UUID.randomUUID(), channel, sequence, base, created,
                    created.plus(Duration.ofDays(30)), new Producer("ferry-test", "0"), null),
                    List.of(SigningKey.parse(TestBundles.ALICE.armoredSecretKey(), null)));
        }
        return dir;
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The result of one apt-get run. */
    record Run(int exit, String out) {
    }

    /** A throwaway apt root whose only source is {@code sourcesEntry} (deb822). */
    static Path aptRoot(Path dir, String sourcesEntry) throws Exception {
        for (String d : List.of("etc/apt/trusted.gpg.d", "etc/apt/preferences.d", "etc/apt/apt.conf.d",
                "etc/apt/sources.list.d", "var/lib/apt/lists/partial", "var/cache/apt/archives/partial", "var/lib/dpkg")) {
            Files.createDirectories(dir.resolve(d));
        }
        Files.writeString(dir.resolve("var/lib/dpkg/status"), "");
        Files.writeString(dir.resolve("sources.list"), "");
        Files.writeString(dir.resolve("etc/apt/sources.list.d/ferry.sources"), sourcesEntry);
        return dir;
    }

    static Run aptGet(Path root, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/apt-get", "-q",
                "-o", "Dir=" + root, "-o", "Dir::State=" + root.resolve("var/lib/apt"),
                "-o", "Dir::State::status=" + root.resolve("var/lib/dpkg/status"),
                "-o", "Dir::Cache=" + root.resolve("var/cache/apt"),
                "-o", "Dir::Etc=" + root.resolve("etc/apt"),
                "-o", "Dir::Etc::SourceList=" + root.resolve("sources.list"),
                "-o", "Dir::Etc::SourceParts=" + root.resolve("etc/apt/sources.list.d"),
                "-o", "Dir::Etc::Trusted=" + root.resolve("etc/apt/trusted.gpg"),
                "-o", "Dir::Etc::TrustedParts=" + root.resolve("etc/apt/trusted.gpg.d"),
                "-o", "APT::Architecture=amd64", "-o", "APT::Architectures=amd64",
                "-o", "Acquire::Languages=none", "-o", "Debug::NoLocking=1",
                "-o", "Acquire::http::Proxy=DIRECT", "-o", "Acquire::Retries=0",
                "-o", "APT::Sandbox::User=root"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("http_proxy");
        pb.environment().remove("HTTP_PROXY");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }
}
