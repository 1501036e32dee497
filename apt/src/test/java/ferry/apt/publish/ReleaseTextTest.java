package ferry.apt.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ferry.apt.deb822.ControlFileException;
import ferry.apt.deb822.Paragraph;
import ferry.format.pgp.ClearSigned;
import ferry.format.pgp.KeyGenerator;
import ferry.format.pgp.SigningKey;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The upstream Release read back out of its clearsigned InRelease, and a Release dated and signed again. */
class ReleaseTextTest {
    private static final SigningKey KEY = key();

    private static SigningKey key() {
        try {
            return SigningKey.parse(KeyGenerator.generateEd25519("Test <t@example.invalid>", null).armoredSecretKey(), null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsTheFieldsOfAClearsignedInRelease() throws Exception {
        String release = "Origin: Debian\nLabel: Debian\nSuite: stable\nCodename: bookworm\nVersion: 12.11\n"
                + "Date: Sat, 10 May 2025 09:00:00 UTC\nDescription: the description\nSHA256:\n";
        Paragraph p = ReleaseText.parse(ClearSigned.sign(KEY, release), true);
        assertEquals("12.11", p.get("Version").orElseThrow().strip());
        assertEquals("bookworm", p.get("Codename").orElseThrow().strip());
        assertEquals("the description", p.get("Description").orElseThrow().strip());
        assertEquals("stable", ReleaseText.parse(release, false).get("Suite").orElseThrow().strip());
    }

    @Test
    void removesDashEscapes() throws Exception {
        String escaped = "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nOrigin: x\n- -----not a boundary\n"
                + "-----BEGIN PGP SIGNATURE-----\n\nabc\n-----END PGP SIGNATURE-----\n";
        assertEquals("Origin: x\n-----not a boundary\n", ReleaseText.unwrap(escaped));
    }

    @Test
    void refusesWhatIsNotAClearsignedMessage() {
        ControlFileException e = assertThrows(ControlFileException.class, () -> ReleaseText.parse("Origin: x\n", true));
        assertTrue(e.getMessage().contains("BEGIN PGP SIGNED MESSAGE"), e.getMessage());
        ControlFileException cut = assertThrows(ControlFileException.class, () -> ReleaseText.parse(
                "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nOrigin: x\n", true));
        assertTrue(cut.getMessage().contains("BEGIN PGP SIGNATURE"), cut.getMessage());
    }

    @Test
    void aResignedReleaseKeepsItsIndexesAndGetsTheNewDateAndValidUntil() {
        IndexFiles.IndexFile index = IndexFiles.of("main/binary-amd64/Packages", "Package: a\n".getBytes()).values()
                .iterator().next();
        String old = ReleaseWriter.write(new ReleaseWriter.Suite("o", "l", "stable", "bookworm", List.of("amd64"),
                List.of("main"), "d"), Instant.parse("2026-01-01T00:00:00Z"),
                Optional.of(Instant.parse("2026-01-08T00:00:00Z")), List.of(index));
        List<SnapshotFiles.File> files = Resign.of("stable", old, KEY, Instant.parse("2026-02-01T12:00:00Z"),
                Optional.empty());
        String fresh = new String(files.get(0).bytes());
        assertEquals("stable/Release", files.get(0).path());
        assertTrue(fresh.contains("Date: Sun, 01 Feb 2026 12:00:00 UTC\n") && !fresh.contains("Valid-Until"), fresh);
        assertTrue(fresh.contains(index.sha256()), fresh);
        assertEquals(old.replaceAll("Date: .*\n", "").replaceAll("Valid-Until: .*\n", ""),
                fresh.replaceAll("Date: .*\n", ""));
        assertEquals(List.of("stable/Release", "stable/InRelease", "stable/Release.gpg"),
                files.stream().map(SnapshotFiles.File::path).toList());
    }
}
