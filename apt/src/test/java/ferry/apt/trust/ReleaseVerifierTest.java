package ferry.apt.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Release signatures made by the real {@code gpg} (and, where the machine has them, Debian's own InRelease and
 * archive keyring), judged by this class and by {@code gpgv}: the two must agree.
 */
class ReleaseVerifierTest {
    private static final String RELEASE = "Origin: Test\nSuite: stable\nDate: Sat, 11 Jul 2026 10:16:37 UTC\n"
            + "SHA256:\n " + "a".repeat(64) + " 10 main/binary-amd64/Packages\n- not a header, dash-escaped\n"
            + "Trailing: blanks   \n";
    private static final Instant NOW = Instant.now();

    @TempDir
    static Path dir;
    static Path home;
    static Path keyring;

    @BeforeAll
    static void keys() throws Exception {
        assumeTrue(new File("/usr/bin/gpg").canExecute() && new File("/usr/bin/gpgv").canExecute(), "gpg/gpgv missing");
        home = Files.createDirectories(dir.resolve("gnupg"));
        Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        gpg("--quick-gen-key", "Archive <archive@example.invalid>", "ed25519", "sign", "never");
        gpg("--quick-gen-key", "Old <old@example.invalid>", "rsa2048", "sign", "never");
        keyring = dir.resolve("archive.gpg");
        Files.write(keyring, gpgOut("--export", "archive@example.invalid"));
        Files.write(dir.resolve("archive.asc"), gpgOut("--export", "--armor", "archive@example.invalid"));
        Files.writeString(dir.resolve("Release"), RELEASE);
    }

    @Test
    void aGoodInReleaseAndWhatItSigned() throws Exception {
        Path in = clearsign("archive@example.invalid", "SHA256", "InRelease");
        ReleaseVerifier.Verified v = ReleaseVerifier.verifyInRelease(Files.readAllBytes(in),
                UpstreamKeyring.load(keyring), NOW);
        assertEquals(RELEASE, v.text(), "dash-escaping undone, trailing blanks kept in the text");
        assertEquals(UpstreamKeyring.load(keyring).fingerprints(), v.signerFingerprints());
        assertTrue(gpgv(keyring, in));
        // the armored export is the same keyring
        assertEquals(v.signerFingerprints(), ReleaseVerifier.verifyInRelease(Files.readAllBytes(in),
                UpstreamKeyring.load(dir.resolve("archive.asc")), NOW).signerFingerprints());
    }

    @Test
    void aTamperedInReleaseFailsHereAndInGpgv() throws Exception {
        Path in = clearsign("archive@example.invalid", "SHA256", "InRelease-tampered");
        String text = Files.readString(in).replace("main/binary-amd64/Packages", "main/binary-amd64/Packagez");
        Files.writeString(in, text);
        ReleaseSignatureException e = assertThrows(ReleaseSignatureException.class,
                () -> ReleaseVerifier.verifyInRelease(Files.readAllBytes(in), UpstreamKeyring.load(keyring), NOW));
        assertTrue(e.getMessage().contains("BAD signature"), e.getMessage());
        assertTrue(!gpgv(keyring, in));
    }

    @Test
    void untrustedKeysWeakHashesAndDetachedSignatures() throws Exception {
        Path byOld = clearsign("old@example.invalid", "SHA256", "InRelease-old");
        ReleaseSignatureException e = assertThrows(ReleaseSignatureException.class,
                () -> ReleaseVerifier.verifyInRelease(Files.readAllBytes(byOld), UpstreamKeyring.load(keyring), NOW));
        assertTrue(e.getMessage().contains("no signature by a key of"), e.getMessage());
        assertTrue(!gpgv(keyring, byOld));

        Path oldRing = dir.resolve("old.gpg");
        Files.write(oldRing, gpgOut("--export", "old@example.invalid"));
        Path sha1 = clearsign("old@example.invalid", "SHA1", "InRelease-sha1");
        e = assertThrows(ReleaseSignatureException.class,
                () -> ReleaseVerifier.verifyInRelease(Files.readAllBytes(sha1), UpstreamKeyring.load(oldRing), NOW));
        assertTrue(e.getMessage().contains("too weak"), e.getMessage());

        Path detached = dir.resolve("Release.gpg");
        Files.deleteIfExists(detached);
        gpg("--local-user", "archive@example.invalid", "--detach-sign", "--output", detached.toString(),
                dir.resolve("Release").toString());
        ReleaseVerifier.Verified v = ReleaseVerifier.verifyDetached(Files.readAllBytes(dir.resolve("Release")),
                Files.readAllBytes(detached), UpstreamKeyring.load(keyring), NOW);
        assertEquals(RELEASE, v.text());
        byte[] altered = Files.readAllBytes(dir.resolve("Release"));
        altered[0] ^= 1;
        assertThrows(ReleaseSignatureException.class, () -> ReleaseVerifier.verifyDetached(altered,
                Files.readAllBytes(detached), UpstreamKeyring.load(keyring), NOW));
    }

    /** What ferry's publisher will sign (mirror-format's ClearSigned, a key of ferry's own) passes here too. */
    @Test
    void ferrysOwnClearsignedRelease() throws Exception {
        ferry.format.pgp.GeneratedKey key = ferry.format.pgp.KeyGenerator.generateEd25519("Site <site@example.invalid>", null);
        String signed = ferry.format.pgp.ClearSigned.sign(ferry.format.pgp.SigningKey.parse(key.armoredSecretKey(), null),
                RELEASE);
        UpstreamKeyring site = UpstreamKeyring.parse(key.armoredPublicKey().getBytes(StandardCharsets.US_ASCII), "site");
        ReleaseVerifier.Verified v = ReleaseVerifier.verifyInRelease(signed.getBytes(StandardCharsets.UTF_8), site, NOW);
        assertEquals(RELEASE, v.text(), "the shown text keeps its trailing blanks; only the signature ignores them");
        assertEquals(List.of(key.fingerprint()), v.signerFingerprints());
    }

    @Test
    void malformedInput() {
        assertThrows(ReleaseSignatureException.class, () -> ReleaseVerifier.verifyInRelease(
                RELEASE.getBytes(StandardCharsets.UTF_8), UpstreamKeyring.load(keyring), NOW));
        assertThrows(ReleaseSignatureException.class, () -> ReleaseVerifier.verifyInRelease(
                ("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\ntext\n-----BEGIN PGP SIGNATURE-----\n\nAAAA\n"
                        + "-----END PGP SIGNATURE-----\n").getBytes(StandardCharsets.UTF_8), UpstreamKeyring.load(keyring), NOW));
        assertThrows(ReleaseSignatureException.class, () -> UpstreamKeyring.parse("not a key".getBytes(), "x"));
    }

    /** Debian's own InRelease as this machine's apt fetched it, with Debian's archive keyring: gpgv and we agree. */
    @Test
    void debiansOwnInRelease() throws Exception {
        Path debianKeyring = Path.of("/usr/share/keyrings/debian-archive-keyring.gpg");
        Path lists = Path.of("/var/lib/apt/lists");
        assumeTrue(Files.isReadable(debianKeyring) && Files.isDirectory(lists), "no Debian keyring or apt lists");
        List<Path> inReleases = new ArrayList<>();
        try (Stream<Path> s = Files.list(lists)) {
            s.filter(p -> p.getFileName().toString().endsWith("_InRelease")).sorted().forEach(inReleases::add);
        }
        assumeTrue(!inReleases.isEmpty(), "apt has fetched no InRelease");
        UpstreamKeyring debian = UpstreamKeyring.load(debianKeyring);
        int checked = 0;
        for (Path in : inReleases) {
            if (!Files.readString(in).contains("\nOrigin: Debian\n")) {
                continue;
            }
            ReleaseVerifier.Verified v = ReleaseVerifier.verifyInRelease(Files.readAllBytes(in), debian, NOW);
            assertTrue(v.signerFingerprints().size() >= 1);
            assertTrue(v.text().contains("\nSHA256:\n"));
            assertTrue(gpgv(debianKeyring, in));
            checked++;
        }
        assumeTrue(checked > 0, "no Debian InRelease");
    }

    private static Path clearsign(String user, String digest, String name) throws Exception {
        Path out = dir.resolve(name);
        Files.deleteIfExists(out);
        gpg("--local-user", user, "--digest-algo", digest, "--clearsign", "--output", out.toString(),
                dir.resolve("Release").toString());
        return out;
    }

    private static boolean gpgv(Path ring, Path file) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/gpgv", "--keyring", ring.toString(), file.toString())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    private static void gpg(String... args) throws Exception {
        gpgOut(args);
    }

    private static byte[] gpgOut(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/gpg", "--homedir", home.toString(), "--batch",
                "--pinentry-mode", "loopback", "--passphrase", "", "--quiet", "--allow-weak-digest-algos"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        int rc = p.waitFor();
        if (rc != 0) {
            throw new AssertionError("gpg " + String.join(" ", args) + " failed: " + rc);
        }
        return out;
    }
}
