package ferry.cli;

import ferry.cli.ExternalTool.Proc;
import ferry.cli.InProcess.Result;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static ferry.cli.ExternalTool.run;
import static ferry.cli.InProcess.ferry;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Recovery data over media ({@code --recovery} with {@code --media-size}): each medium carries PAR 2.0 files over its
 * own files, so that the transfer station checks and repairs one medium alone, with ferry or with the real
 * {@code par2}, and the isolated side imports from the repaired media.
 */
class MediaRecoveryTest {
    private static final long MEDIA = 2560 * 1024;

    @TempDir
    Path dir;
    private ConnectedSide side;

    @BeforeEach
    void start() throws Exception {
        side = ConnectedSide.start(dir, "a <a@ferry.invalid>");
    }

    @AfterEach
    void stop() throws Exception {
        side.close();
    }

    @Test
    void eachMediumCarriesItsOwnRecoveryDataAndIsRepairedAloneByFerryAndByPar2() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/par2")), "par2 is not installed (.ci/run installs it)");
        Path out = dir.resolve("out");
        Result e = ferry("export", "--upstream", side.upstream().uri().toString(), "--channel", "contoso", "--state",
                dir.resolve("state").toString(), "--key", side.keys().resolve("signer.sec.asc").toString(), "--out",
                out.toString(), "--quiet", "--json", "--product", "Contoso Widget", "--volume-size", "128KiB",
                "--media-size", MEDIA / 1024 + "KiB", "--recovery", "30%");
        assertEquals(0, e.code, e.err);
        JsonNode json = new ObjectMapper().readTree(e.out);
        List<Path> media = new ArrayList<>();
        try (var ds = Files.newDirectoryStream(out)) {
            ds.forEach(media::add);
        }
        media.sort(null);
        assertTrue(media.size() >= 2, "media: " + media);
        assertEquals(media.size(), json.at("/recovery").size(), "one recovery set per medium: " + e.out);
        for (int i = 0; i < media.size(); i++) {
            Path m = media.get(i);
            JsonNode set = json.at("/recovery/" + i);
            assertEquals(m.getFileName().toString(), set.at("/medium").asText());
            assertEquals(30, set.at("/percent").asInt());
            assertTrue(Files.isRegularFile(m.resolve("recovery.par2")), m + " has its own recovery files");
            long bytes = treeBytes(m);
            assertTrue(bytes <= MEDIA - 1024 * 1024, m + " holds " + bytes + " bytes with its recovery data,"
                    + " more than the medium minus the reserve");
            Proc check = run(m, "par2", "verify", "recovery.par2");
            assertEquals(0, check.exit, m + ": " + check.out);
            assertTrue(check.out.contains("All files are correct"), check.out);
        }
        try (Stream<Path> s = Files.list(media.get(0).resolve("volumes"))) {
            assertTrue(s.count() >= 4, "a medium holds several volumes, so losing one is within 30%");
        }

        Result whole = ferry("repair", out.toString(), "--quiet");
        assertEquals(ExitCodes.USAGE, whole.code, whole.err);
        assertTrue(whole.err.contains("repair one medium at a time, e.g. ferry repair " + out.resolve("medium-01")),
                whole.err);

        // medium 1 at the transfer station, alone: one volume lost, another damaged; ferry repairs it
        Path dvd1 = copyTree(media.get(0), dir.resolve("station1/dvd"));
        Map<String, byte[]> original1 = snapshot(dvd1);
        damage(dvd1);
        assertEquals(1, ferry("verify", "--medium", dvd1.toString(), "--trust-store", side.trust().toString(), "--quiet").code);
        Result repaired = ferry("repair", dvd1.toString(), "--json", "--quiet");
        assertEquals(0, repaired.code, repaired.err);
        assertEquals(2, new ObjectMapper().readTree(repaired.out).at("/repaired").size(), repaired.out);
        assertEquals(original1.keySet(), snapshot(dvd1).keySet());
        original1.forEach((name, b) -> assertArrayEquals(b, read(dvd1.resolve(name)), name));
        Result v1 = ferry("verify", "--medium", dvd1.toString(), "--trust-store", side.trust().toString(), "--quiet");
        assertEquals(0, v1.code, v1.out + v1.err);

        // medium 2, alone: the same damage, par2 repairs it
        Path dvd2 = copyTree(media.get(1), dir.resolve("station2/dvd"));
        Map<String, byte[]> original2 = snapshot(dvd2);
        damage(dvd2);
        Proc p = run(dvd2, "par2", "repair", "-p", "recovery.par2");
        assertEquals(0, p.exit, p.out);
        assertEquals(original2.keySet(), snapshot(dvd2).keySet(), "no backups left behind");
        original2.forEach((name, b) -> assertArrayEquals(b, read(dvd2.resolve(name)), name));
        Result v2 = ferry("verify", "--medium", dvd2.toString(), "--trust-store", side.trust().toString(), "--quiet");
        assertEquals(0, v2.code, v2.out + v2.err);

        // the isolated side imports from the repaired media and the others
        List<String> args = new ArrayList<>(List.of("import", "--store", dir.resolve("store").toString(),
                "--trust-store", side.trust().toString(), "--quiet", "--from", dvd1.toString(), "--from", dvd2.toString()));
        for (Path m : media.subList(2, media.size())) {
            args.add("--from");
            args.add(m.toString());
        }
        Result imported = ferry(args.toArray(String[]::new));
        assertEquals(0, imported.code, imported.err);
        assertTrue(imported.out.startsWith("Imported: "), imported.out);
    }

    @Test
    void mediaTooSmallForAVolumeWithItsRecoveryDataAreRefusedWithTheFigures() {
        Result e = ferry("export", "--upstream", side.upstream().uri().toString(), "--channel", "contoso", "--state",
                dir.resolve("state").toString(), "--key", side.keys().resolve("signer.sec.asc").toString(), "--out",
                dir.resolve("out").toString(), "--quiet", "--product", "Contoso Widget", "--volume-size", "64KiB",
                "--media-size", "1190KiB", "--recovery", "100%");
        assertEquals(ExitCodes.USAGE, e.code, e.err);
        assertTrue(e.err.contains("100% recovery data") && e.err.contains("at least "), e.err);
        assertFalse(Files.exists(dir.resolve("out")), "nothing written");
    }

    /** The medium's first volume deleted, 200 bytes in the middle of its second overwritten. */
    private static void damage(Path medium) throws Exception {
        List<Path> vols;
        try (Stream<Path> s = Files.list(medium.resolve("volumes"))) {
            vols = s.sorted().toList();
        }
        Files.delete(vols.get(0));
        try (RandomAccessFile f = new RandomAccessFile(vols.get(1).toFile(), "rw")) {
            f.seek(f.length() / 2);
            f.write(new byte[200]);
        }
    }

    private static long treeBytes(Path d) throws Exception {
        try (Stream<Path> s = Files.walk(d)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static Map<String, byte[]> snapshot(Path b) throws Exception {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(b)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String rel = b.relativize(p).toString();
                if (!rel.endsWith(".par2")) {
                    out.put(rel, Files.readAllBytes(p));
                }
            }
        }
        return out;
    }

    private static Path copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        return to;
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
