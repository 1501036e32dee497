package ferry.format.pgp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clearsigned messages judged by gpgv: good as made, bad once a byte of the text changes. */
class ClearSignedTest {
    @TempDir
    Path tmp;

    @Test
    void gpgvAcceptsOursAndRejectsAChangedText() throws Exception {
        Gpg.assumeInstalled("gpgv");
        GeneratedKey key = KeyGenerator.generateEd25519("Repo <repo@example.org>", null);
        String text = "Origin: ferry\nSuite: stable\nTrailing: blanks \t\n-----BEGIN looks like armor\n\nSHA256:\n x\n";
        String signed = ClearSigned.sign(SigningKey.parse(key.armoredSecretKey(), null), text);
        assertTrue(signed.startsWith("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nOrigin: ferry\n"), signed);
        assertTrue(signed.contains("\n- -----BEGIN looks like armor\n"), "dash-escaped");
        try (Gpg g = new Gpg(Files.createDirectory(tmp.resolve("g")))) {
            Files.writeString(g.home.resolve("repo.asc"), key.armoredPublicKey());
            assertEquals(0, g.gpg(null, "--dearmor", "--output", "repo.gpg", "repo.asc").exit());
            Files.writeString(g.home.resolve("InRelease"), signed);
            Gpg.Result r = g.run(null, "gpgv", "--keyring", "./repo.gpg", "--output", "out.txt", "InRelease");
            assertEquals(0, r.exit(), r.err());
            // gpgv gives back the signed form of the text: lines without their trailing blanks
            assertEquals(text.replace(" \t\n", "\n"), Files.readString(g.home.resolve("out.txt")));
            Files.writeString(g.home.resolve("InRelease"), signed.replace("Suite: stable", "Suite: stablE"));
            assertNotEquals(0, g.run(null, "gpgv", "--keyring", "./repo.gpg", "InRelease").exit());
        }
        assertThrows(IllegalArgumentException.class,
                () -> ClearSigned.sign(SigningKey.parse(key.armoredSecretKey(), null), "a\r\nb\n"));
    }
}
