package ferry.apt.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ferry.format.pgp.ClearSigned;
import ferry.format.pgp.DetachedSignatures;
import ferry.format.pgp.GeneratedKey;
import ferry.format.pgp.KeyGenerator;
import ferry.format.pgp.SigningKey;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real apt-get judges a repository laid out and signed by ferry's publishing half: {@code .deb} files built by
 * the real dpkg-deb, Packages in three forms, Release, InRelease and Release.gpg, by-hash copies; apt-get, in a
 * throwaway root and trusting only the site key ({@code signed-by}), updates from it and resolves a package with
 * its dependency. Skipped where apt-get or dpkg-deb is missing.
 */
class PublishedRepositoryAptGetTest {
    @TempDir
    Path tmp;

    @Test
    void aptGetUpdatesFromItAndResolvesDependencies() throws Exception {
        assumeTrue(new File("/usr/bin/apt-get").canExecute() && new File("/usr/bin/dpkg-deb").canExecute(),
                "apt-get or dpkg-deb missing");
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        List<String> paragraphs = new ArrayList<>();
        paragraphs.add(deb(repo, "ferry-lib", "1.0-1", ""));
        paragraphs.add(deb(repo, "ferry-hello", "2.0-1", "Depends: ferry-lib (>= 1.0)\n"));
        byte[] packages = String.join("\n", paragraphs).getBytes(StandardCharsets.UTF_8);

        Path dists = Files.createDirectories(repo.resolve("dists/stable"));
        Map<String, IndexFiles.IndexFile> indexes = IndexFiles.of("main/binary-amd64/Packages", packages);
        for (IndexFiles.IndexFile f : indexes.values()) {
            Path p = dists.resolve(f.path());
            Files.createDirectories(p.getParent());
            Files.write(p, f.bytes());
            Path byHash = Files.createDirectories(p.getParent().resolve("by-hash/SHA256"));
            Files.write(byHash.resolve(f.sha256()), f.bytes());
        }
        Instant now = Instant.now();
        String release = ReleaseWriter.write(new ReleaseWriter.Suite("ferry", "ferry", "stable", "stable",
                List.of("amd64"), List.of("main"), "published by a ferry test"), now,
                Optional.of(now.plus(Duration.ofDays(7))), indexes.values());
        GeneratedKey key = KeyGenerator.generateEd25519("Site <site@example.invalid>", null);
        SigningKey signing = SigningKey.parse(key.armoredSecretKey(), null);
        Files.writeString(dists.resolve("Release"), release);
        Files.writeString(dists.resolve("InRelease"), ClearSigned.sign(signing, release));
        Files.writeString(dists.resolve("Release.gpg"), DetachedSignatures.sign(signing, release.getBytes(StandardCharsets.UTF_8)));
        Path siteKey = tmp.resolve("site.asc");
        Files.writeString(siteKey, key.armoredPublicKey());

        Path root = Files.createDirectories(tmp.resolve("aptroot"));
        Files.createDirectories(root.resolve("etc/apt/trusted.gpg.d"));
        Files.createDirectories(root.resolve("etc/apt/preferences.d"));
        Files.createDirectories(root.resolve("etc/apt/apt.conf.d"));
        Files.createDirectories(root.resolve("var/lib/apt/lists/partial"));
        Files.createDirectories(root.resolve("var/cache/apt/archives/partial"));
        Files.createDirectories(root.resolve("var/lib/dpkg"));
        Files.writeString(root.resolve("var/lib/dpkg/status"), "");
        Files.writeString(root.resolve("sources.list"), "deb [signed-by=" + siteKey + "] file:" + repo + " stable main\n");

        Result update = apt(root, "update");
        assertEquals(0, update.exit, update.out);
        assertTrue(!update.out.contains("W:") && !update.out.contains("E:"), update.out);
        Result simulate = apt(root, "install", "--simulate", "-y", "ferry-hello");
        assertEquals(0, simulate.exit, simulate.out);
        assertTrue(simulate.out.contains("Inst ferry-lib (1.0-1") && simulate.out.contains("Inst ferry-hello (2.0-1"),
                simulate.out);

        // a changed index no longer matches the signed Release: apt-get refuses it
        Files.write(dists.resolve("main/binary-amd64/Packages.xz"), new byte[] {1, 2, 3});
        Files.write(dists.resolve("main/binary-amd64/Packages.gz"), new byte[] {1, 2, 3});
        Files.write(dists.resolve("main/binary-amd64/Packages"), "Package: evil\n".getBytes(StandardCharsets.UTF_8));
        for (IndexFiles.IndexFile f : indexes.values()) {
            Files.write(dists.resolve(f.path()).getParent().resolve("by-hash/SHA256").resolve(f.sha256()), new byte[] {9});
        }
        deleteLists(root);
        Result tampered = apt(root, "update");
        assertTrue(tampered.out.contains("Hash Sum mismatch") && tampered.exit != 0, tampered.out);
        assertTrue(tampered.out.contains("/by-hash/SHA256/"), "fetched by hash, as the Release offers: " + tampered.out);

        // a Release signed by a key the client does not trust: apt-get refuses the repository
        SigningKey stranger = SigningKey.parse(KeyGenerator.generateEd25519("Stranger <x@example.invalid>", null)
                .armoredSecretKey(), null);
        Files.writeString(dists.resolve("InRelease"), ClearSigned.sign(stranger, release));
        Files.writeString(dists.resolve("Release.gpg"), DetachedSignatures.sign(stranger, release.getBytes(StandardCharsets.UTF_8)));
        deleteLists(root);
        Result unsigned = apt(root, "update");
        assertTrue(unsigned.exit != 0 && unsigned.out.contains("NO_PUBKEY"), unsigned.out);
    }

    private record Result(int exit, String out) {
    }

    private static void deleteLists(Path root) throws Exception {
        try (var s = Files.list(root.resolve("var/lib/apt/lists"))) {
            for (Path p : s.toList()) {
                if (Files.isRegularFile(p)) {
                    Files.delete(p);
                }
            }
        }
    }

    private static Result apt(Path root, String... args) throws Exception {
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
                "-o", "APT::Sandbox::User=root"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out);
    }

    /** Builds a .deb with the real dpkg-deb and returns its Packages paragraph. */
    private static String deb(Path repo, String name, String version, String extra) throws Exception {
        Path build = Files.createDirectories(repo.getParent().resolve("build-" + name));
        Files.createDirectories(build.resolve("DEBIAN"));
        Files.createDirectories(build.resolve("usr/share/doc/" + name));
        Files.writeString(build.resolve("usr/share/doc/" + name + "/README"), name + " for a ferry test\n");
        String control = "Package: " + name + "\nVersion: " + version + "\nArchitecture: amd64\n"
                + "Maintainer: ferry tests <tests@example.invalid>\n" + extra + "Description: " + name + " test package\n";
        Files.writeString(build.resolve("DEBIAN/control"), control);
        String filename = "pool/main/f/" + name + "/" + name + "_" + version + "_amd64.deb";
        Path deb = repo.resolve(filename);
        Files.createDirectories(deb.getParent());
        Process p = new ProcessBuilder("/usr/bin/dpkg-deb", "--root-owner-group", "--build", build.toString(), deb.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        byte[] bytes = Files.readAllBytes(deb);
        return control + "Filename: " + filename + "\nSize: " + bytes.length + "\nSHA256: " + IndexFiles.sha256(bytes) + "\n";
    }
}
