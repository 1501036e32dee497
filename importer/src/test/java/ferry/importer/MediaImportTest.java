package ferry.importer;

import ferry.format.BundleLayout;
import ferry.format.BundleSource;
import ferry.format.MediaSplit;
import ferry.format.Limits;
import ferry.format.MediumLabel;
import ferry.format.Progress;
import ferry.format.trust.TrustStore;
import ferry.verifier.BundleVerifier;
import ferry.verifier.MediumReport;
import ferry.verifier.Problem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static ferry.importer.TestBundles.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A bundle split over three media: each medium verifies alone, naming what it holds and what is elsewhere; an import
 * given two of the three names the missing medium and changes nothing; an import from the three, read in place from
 * read-only directories, imports exactly what the same bundle imports from one directory.
 */
class MediaImportTest {
    @TempDir
    Path tmp;
    private final List<Path> readOnly = new ArrayList<>();

    /** Room for exactly one full 64 KiB volume per medium, with the manifest copy and the label. */
    static final long MEDIA = MediaSplit.minimumMediaSize(Limits.MIN_VOLUME_SIZE);

    @AfterEach
    void writable() throws IOException {
        for (Path p : readOnly) {
            try (var walk = Files.walk(p)) {
                for (Path f : (Iterable<Path>) walk::iterator) {
                    Files.setPosixFilePermissions(f, EnumSet.of(PosixFilePermission.OWNER_READ,
                            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
                }
            }
        }
    }

    @Test
    void aBundleOverThreeMediaVerifiesPerMediumAndImportsFromTheThree() throws Exception {
        TrustStore trust = TestBundles.trust(tmp.resolve("trust"), 1, ALICE);
        Spec spec = bundle().real(CATEGORIES.toArray(String[]::new)).update(defenderUpdate(200)).update(securityUpdate());
        Path out = spec.media(MEDIA).write(tmp.resolve("out"));
        List<Path> media = new ArrayList<>();
        try (var ds = Files.newDirectoryStream(out)) {
            ds.forEach(media::add);
        }
        media.sort(null);
        assertEquals(List.of("medium-01", "medium-02", "medium-03"),
                media.stream().map(p -> p.getFileName().toString()).toList());

        BundleVerifier gate = new BundleVerifier(trust);
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path m = media.get(i);
            assertTrue(Files.exists(m.resolve(BundleLayout.MANIFEST)) && Files.exists(m.resolve(BundleLayout.MEDIUM_LABEL)));
            MediumReport r = gate.verifyMedium(m, NOW, Progress.NONE);
            assertTrue(r.ok(), r.toText());
            assertEquals(i + 1, r.label().medium());
            assertEquals(3, r.label().media());
            assertFalse(r.held().isEmpty());
            r.heldVolumes().values().forEach(org.junit.jupiter.api.Assertions::assertTrue);
            for (var e : r.elsewhere().entrySet()) {
                assertNotEquals(i + 1, e.getValue());
                assertTrue(e.getValue() >= 1 && e.getValue() <= 3, e.toString());
            }
            assertTrue(r.toText().contains("medium " + (i + 1) + " of 3"), r.toText());
            all.addAll(r.held());
        }
        for (int i = 0; i < all.size(); i++) {
            assertEquals(BundleLayout.volumeName(i + 1), all.get(i), "media hold the volumes in order, each once");
        }

        // a damaged volume on one medium is named by that medium's check
        Path copy = tmp.resolve("damaged");
        copyTree(media.get(1), copy);
        Path vol = copy.resolve("volumes").resolve(MediumLabel.read(copy).volumes().get(0));
        byte[] b = Files.readAllBytes(vol);
        b[700] ^= 1;
        Files.write(vol, b);
        MediumReport damaged = gate.verifyMedium(copy, NOW, Progress.NONE);
        assertFalse(damaged.ok());
        assertTrue(damaged.report().has(Problem.Code.VOLUME_DIGEST_MISMATCH), damaged.toText());
        assertFalse(damaged.heldVolumes().get(vol.getFileName().toString()));

        // read-only media, read in place: nothing is written to them
        for (Path m : media) {
            makeReadOnly(m);
        }
        Map<String, String> before = tree(out);
        Path storeDir = tmp.resolve("store");

        // two of three: the missing medium is named, in one line, and nothing is created
        VolumesMissingException missing = assertThrows(VolumesMissingException.class, () -> Importer.importBundle(
                request(List.of(media.get(0), media.get(2)), storeDir, trust), Progress.NONE));
        String medium2 = MediumLabel.read(media.get(1)).volumes().toString().replaceAll("[\\[\\]]", "");
        assertTrue(missing.getMessage().contains("insert medium 2 of 3 (" + medium2 + ")"), missing.getMessage());
        assertFalse(missing.getMessage().contains("\n"));
        assertEquals(MediumLabel.read(media.get(1)).volumes(), missing.volumes());
        assertFalse(Files.exists(storeDir));

        // the whole set verifies from the three directories, given in any order
        assertTrue(gate.verify(BundleSource.of(List.of(media.get(2), media.get(0), media.get(1))), NOW, Progress.NONE).ok());

        ImportResult r = Importer.importBundle(request(List.of(media.get(2), media.get(0), media.get(1)), storeDir, trust),
                Progress.NONE);
        assertFalse(r.alreadyImported());
        assertEquals(before, tree(out), "the media were changed by the import");

        // the same content from one directory imports to the same store contents
        Path single = bundle().real(CATEGORIES.toArray(String[]::new)).update(defenderUpdate(200)).update(securityUpdate()).write(tmp.resolve("single"));
        Path other = tmp.resolve("store-single");
        Importer.importBundle(single, other, trust, NOW, Progress.NONE);
        assertEquals(StoreSnapshot.of(other).counts(), StoreSnapshot.of(storeDir).counts());
        assertEquals(contents(other.resolve("objects")), contents(storeDir.resolve("objects")));

        // the output directory itself may be given: its medium-NN directories are the media
        assertTrue(Importer.importBundle(request(List.of(out), storeDir, trust), Progress.NONE).alreadyImported());
    }

    private ImportRequest request(List<Path> dirs, Path storeDir, TrustStore trust) throws IOException {
        return new ImportRequest(BundleSource.of(dirs), storeDir, trust, null, false, NOW);
    }

    private void makeReadOnly(Path dir) throws IOException {
        readOnly.add(dir);
        try (var walk = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(walk.toList());
            java.util.Collections.reverse(all);
            for (Path f : all) {
                Files.setPosixFilePermissions(f, Files.isDirectory(f)
                        ? EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_EXECUTE)
                        : EnumSet.of(PosixFilePermission.OWNER_READ));
            }
        }
    }

    /** Every file under {@code dir}: relative path to size, modification time and SHA-256. */
    static Map<String, String> tree(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (var walk = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) walk::iterator) {
                if (Files.isRegularFile(f)) {
                    out.put(dir.relativize(f).toString(), Files.size(f) + " " + Files.getLastModifiedTime(f) + " "
                            + sha256Hex(Files.readAllBytes(f)));
                } else {
                    out.put(dir.relativize(f) + "/", "");
                }
            }
        }
        return out;
    }

    /** Every file under {@code dir}: relative path to SHA-256. */
    static Map<String, String> contents(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        tree(dir).forEach((k, v) -> out.put(k, v.isEmpty() ? "" : v.substring(v.lastIndexOf(' ') + 1)));
        return out;
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path f : (Iterable<Path>) walk::iterator) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t);
                }
            }
        }
    }
}
