package ferry.format.pgp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ferry's keys and signatures against the real GnuPG (gpg, gpgv). */
class GpgInteropTest {
    @TempDir
    Path tmp;

    @Test
    void generatedKeysImportIntoGpg() throws Exception {
        Gpg.assumeInstalled("gpg");
        GeneratedKey plain = KeyGenerator.generateEd25519("Plain <plain@example.org>", null);
        GeneratedKey locked = KeyGenerator.generateEd25519("Locked <locked@example.org>", "s3cret".toCharArray());
        try (Gpg g = new Gpg(Files.createDirectory(tmp.resolve("g")))) {
            Gpg.Result r = g.gpg(plain.armoredSecretKey().getBytes(StandardCharsets.US_ASCII), "--import");
            assertEquals(0, r.exit(), r.err());
            r = g.gpg(locked.armoredSecretKey().getBytes(StandardCharsets.US_ASCII),
                    "--pinentry-mode", "loopback", "--passphrase", "s3cret", "--import");
            assertEquals(0, r.exit(), r.err());
            r = g.gpg(plain.armoredPublicKey().getBytes(StandardCharsets.US_ASCII), "--import");
            assertEquals(0, r.exit(), r.err());
            r = g.gpg(null, "--with-colons", "--list-secret-keys");
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().contains("fpr:::::::::" + plain.fingerprint() + ":"), r.out());
            assertTrue(r.out().contains("fpr:::::::::" + locked.fingerprint() + ":"), r.out());
            assertTrue(r.out().contains("Locked <locked@example.org>"), r.out());
            // gpg sees the algorithm as ed25519 and the usage as sign+certify
            r = g.gpg(null, "--with-colons", "--list-keys", plain.fingerprint());
            assertTrue(r.out().contains(":ed25519:") && r.out().lines().anyMatch(l -> l.startsWith("pub:") && l.contains(":scSC:")),
                    r.out());
        }
    }

    @Test
    void gpgvVerifiesOurSignatureAndRejectsChangedData() throws Exception {
        Gpg.assumeInstalled("gpgv");
        GeneratedKey key = KeyGenerator.generateEd25519("Signer <s@example.org>", null);
        byte[] data = "{\"formatVersion\":1}".getBytes(StandardCharsets.UTF_8);
        String sig = DetachedSignatures.sign(SigningKey.parse(key.armoredSecretKey(), null), data);
        try (Gpg g = new Gpg(Files.createDirectory(tmp.resolve("g")))) {
            Files.writeString(g.home.resolve("signer.pub.asc"), key.armoredPublicKey());
            Files.writeString(g.home.resolve("s.asc"), sig);
            Files.write(g.home.resolve("m.json"), data);
            Gpg.Result r = g.gpg(null, "--dearmor", "--output", "signer.gpg", "signer.pub.asc");
            assertEquals(0, r.exit(), r.err());
            r = g.run(null, "gpgv", "--keyring", "./signer.gpg", "s.asc", "m.json");
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.err().contains("Good signature"), r.err());
            Files.write(g.home.resolve("m.json"), "{\"formatVersion\":2}".getBytes(StandardCharsets.UTF_8));
            r = g.run(null, "gpgv", "--keyring", "./signer.gpg", "s.asc", "m.json");
            assertNotEquals(0, r.exit(), r.err());
        }
    }

    @Test
    void keysMadeByGpgSignAndVerify() throws Exception {
        Gpg.assumeInstalled("gpg");
        try (Gpg g = new Gpg(Files.createDirectory(tmp.resolve("g")))) {
            for (String pass : List.of("", "horse battery")) {
                String uid = "Gpg Made " + pass.length() + " <gpg@example.org>";
                Gpg.Result r = g.gpg(null, "--pinentry-mode", "loopback", "--passphrase", pass,
                        "--quick-gen-key", uid, "ed25519", "sign", "never");
                assertEquals(0, r.exit(), r.err());
                r = g.gpg(null, "--pinentry-mode", "loopback", "--passphrase", pass, "--armor",
                        "--export-secret-keys", "=" + uid);
                assertEquals(0, r.exit(), r.err());
                Path secretFile = g.home.resolve("secret" + pass.length() + ".asc");
                Files.writeString(secretFile, r.out(), StandardCharsets.US_ASCII);
                r = g.gpg(null, "--armor", "--export", "=" + uid);
                assertEquals(0, r.exit(), r.err());
                PublicKey pub = PublicKeys.parse(r.out());
                assertEquals(uid, pub.userId());

                SigningKey key = SigningKey.load(secretFile, pass.isEmpty() ? null : pass.toCharArray());
                assertEquals(pub.fingerprint(), key.fingerprint());
                byte[] data = ("manifest bytes " + pass).getBytes(StandardCharsets.UTF_8);
                List<SignatureCheck> checks = DetachedSignatures.verify(DetachedSignatures.sign(key, data), data, List.of(pub));
                assertEquals(SignatureCheck.Status.VALID, checks.get(0).status(), checks.toString());
                assertEquals(pub.fingerprint(), checks.get(0).fingerprint());

                // and gpg agrees with the signature we made with its key
                Files.writeString(g.home.resolve("d.sig.asc"), DetachedSignatures.sign(key, data));
                Files.write(g.home.resolve("d.bin"), data);
                r = g.gpg(null, "--verify", "d.sig.asc", "d.bin");
                assertEquals(0, r.exit(), r.err());
                Files.delete(g.home.resolve("d.sig.asc"));

                // and a signature made by gpg itself is accepted as a ferry signature
                r = g.gpg(null, "--pinentry-mode", "loopback", "--passphrase", pass, "--local-user", "=" + uid,
                        "--armor", "--detach-sign", "--output", "d.sig.asc", "d.bin");
                assertEquals(0, r.exit(), r.err());
                checks = DetachedSignatures.verify(Files.readString(g.home.resolve("d.sig.asc")), data, List.of(pub));
                assertEquals(SignatureCheck.Status.VALID, checks.get(0).status(), checks.toString());
                Files.delete(g.home.resolve("d.sig.asc"));
            }
        }
    }
}
