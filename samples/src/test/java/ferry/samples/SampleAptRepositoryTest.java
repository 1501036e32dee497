package ferry.samples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sample APT repository: its {@code .deb} files are real binary packages (the real {@code dpkg-deb} reads their
 * control fields and contents, when installed), the same bytes on every start; Packages names each with its size and
 * SHA-256; it is served below {@code /debian/} beside the WSUS services, with 404 and 405 for what it does not have.
 * (That apt-get accepts the signed repository and that ferry's export verifies it is shown by the cli's DemoAptTest.)
 */
class SampleAptRepositoryTest {
    @TempDir
    Path tmp;

    @Test
    void debFilesAreRealPackagesNamedInPackagesAndTheSameOnEveryStart() throws Exception {
        SampleAptRepository one = SampleAptRepository.create(tmp.resolve("one"), Instant.now());
        SampleAptRepository two = SampleAptRepository.create(tmp.resolve("two"), Instant.now());
        assertNotEquals(Files.readString(one.keyring()), Files.readString(two.keyring()), "a new upstream key each start");
        String packages = new String(one.files().get("dists/demo/main/binary-amd64/Packages"), StandardCharsets.UTF_8);
        List<String> debs = new ArrayList<>();
        for (Map.Entry<String, byte[]> f : one.files().entrySet()) {
            if (!f.getKey().endsWith(".deb")) {
                continue;
            }
            debs.add(f.getKey());
            assertArrayEquals(f.getValue(), two.files().get(f.getKey()), f.getKey() + " differs between starts");
            assertTrue(packages.contains("Filename: " + f.getKey() + "\nSize: " + f.getValue().length + "\nSHA256: "
                    + SampleAptRepository.sha256(f.getValue()) + "\n"), f.getKey() + " in Packages");
        }
        assertEquals(SampleAptRepository.PACKAGES.size(), debs.size());
        assertTrue(one.files().get("dists/demo/InRelease").length > 0 && one.files().containsKey("dists/demo/Release.gpg"));

        if (!new File("/usr/bin/dpkg-deb").canExecute()) {
            System.out.println("SampleAptRepositoryTest: dpkg-deb missing, the .deb files were not read with it");
            return;
        }
        String agent = "pool/main/c/contoso-agent/contoso-agent_2.1-1_amd64.deb";
        Path deb = tmp.resolve("agent.deb");
        Files.write(deb, one.files().get(agent));
        assertEquals("contoso-agent\n2.1-1\nlibcontoso1 (>= 1.2), contoso-common (= 2.1-1)\n",
                run("/usr/bin/dpkg-deb", "--field", deb.toString(), "Package", "Version", "Depends")
                        .replaceAll("(?m)^[A-Za-z-]+: ", ""));
        String contents = run("/usr/bin/dpkg-deb", "--contents", deb.toString());
        assertTrue(contents.contains("./usr/share/contoso-agent/data") && contents.contains(" 24000 "), contents);
    }

    @Test
    void servedBelowDebianBesideTheWsusServices() throws Exception {
        try (SampleUpstream up = SampleUpstream.start(tmp.resolve("files"), "127.0.0.1", 0)) {
            HttpClient http = HttpClient.newHttpClient();
            URI base = up.aptUri();
            assertEquals(up.uri() + "debian/", base.toString());
            HttpResponse<byte[]> inRelease = http.send(HttpRequest.newBuilder(base.resolve("dists/demo/InRelease"))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, inRelease.statusCode());
            assertArrayEquals(up.apt().files().get("dists/demo/InRelease"), inRelease.body());
            assertEquals(404, http.send(HttpRequest.newBuilder(base.resolve("dists/demo/nothing")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
            assertEquals(405, http.send(HttpRequest.newBuilder(base.resolve("dists/demo/InRelease"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode());
            assertTrue(Files.readString(up.apt().keyring()).contains("BEGIN PGP PUBLIC KEY BLOCK"));
        }
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
