package ferry.exporter.apt;

import ferry.exporter.ExportJob;
import ferry.exporter.ExportOptions;
import ferry.exporter.ExportResult;
import ferry.format.Progress;
import ferry.format.pgp.KeyGenerator;
import ferry.format.pgp.SigningKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Exports {@code hello} and its dependencies for amd64 from a real Debian mirror, end to end: the mirror's InRelease
 * verified against the Debian archive keyring, the Packages index against the Release, every {@code .deb} against
 * its paragraph. Runs only when {@code FERRY_TEST_APT_MIRROR} names the mirror's root (the directory holding
 * {@code dists/}); {@code FERRY_TEST_APT_SUITE} (default {@code stable}) and {@code FERRY_TEST_APT_KEYRING}
 * (default {@code /usr/share/keyrings/debian-archive-keyring.gpg}) may say more. Skipped with a message otherwise,
 * as tests never reach the internet unless asked.
 */
class AptLiveExportTest {

    @TempDir
    Path tmp;

    @Test
    void helloAndItsDependenciesFromARealMirror() throws Exception {
        String mirror = System.getenv("FERRY_TEST_APT_MIRROR");
        assumeTrue(mirror != null && !mirror.isBlank(),
                "FERRY_TEST_APT_MIRROR is not set: the live export from a Debian mirror is skipped");
        String suite = System.getenv().getOrDefault("FERRY_TEST_APT_SUITE", "stable");
        Path keyring = Path.of(System.getenv().getOrDefault("FERRY_TEST_APT_KEYRING",
                "/usr/share/keyrings/debian-archive-keyring.gpg"));
        assumeTrue(Files.isReadable(keyring), keyring + " is missing: install debian-archive-keyring");
        SigningKey key = SigningKey.parse(KeyGenerator.generateEd25519("ferry live test <t@example.invalid>", null)
                .armoredSecretKey(), null);
        ExportResult r = ExportJob.run(ExportOptions.builder().source("apt").upstream(URI.create(mirror))
                .apt(new AptOptions(suite, List.of("main"), List.of("amd64"), List.of("hello"), false, false, keyring))
                .outputDir(tmp.resolve("bundle")).stateDir(tmp.resolve("state")).signingKey(key).build(),
                Progress.NONE);
        assertTrue(r.bundleWritten());
        AptFigures f = (AptFigures) r.figures();
        assertTrue(f.selected() >= 2, "hello and at least libc6: " + f.selected());
        assertEquals(f.selected(), f.files().count());
        AptExportTest.Bundle b = AptExportTest.Bundle.read(tmp.resolve("bundle"));
        assertTrue(b.paths("apt/dists/").contains("apt/dists/" + suite + "/InRelease"), b.paths("apt/dists/").toString());
        Set<String> debs = b.paths("apt/pool/");
        assertTrue(debs.stream().anyMatch(p -> p.matches("apt/pool/main/h/hello/hello_.*_amd64\\.deb")), debs.toString());
        assertTrue(debs.stream().anyMatch(p -> p.matches("apt/pool/main/g/glibc/libc6_.*_amd64\\.deb")), debs.toString());
        String packages = b.text("apt/dists/" + suite + "/main/binary-amd64/Packages");
        assertTrue(packages.contains("\nPackage: libc6\n") && packages.startsWith("Package: "), packages);
    }
}
