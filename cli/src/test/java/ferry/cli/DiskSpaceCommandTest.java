package ferry.cli;

import ferry.cli.InProcess.Result;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ferry.importer.Importer;
import ferry.store.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static ferry.cli.InProcess.ferry;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The disk space pre-flights and {@code ferry import --dry-run} through the real commands (issue 9, "Media"): an
 * export or import that cannot fit stops at once with exit code 6 and one line naming the directory, the bytes
 * needed and the bytes free, having written nothing; a dry run changes nothing and says whether the import fits.
 * The small disks are real tmpfs mounts (root only; skipped otherwise).
 */
class DiskSpaceCommandTest {
    private static final Pattern NO_SPACE = Pattern.compile("no space left on (\\S+): needed (\\d+) bytes, free (\\d+) bytes");

    @TempDir
    Path dir;
    private ConnectedSide side;
    private Path keys;
    private Path trust;
    private final List<Path> mounts = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        side = ConnectedSide.start(dir, "a <a@ferry.invalid>");
        keys = side.keys();
        trust = side.trust();
    }

    @AfterEach
    void stop() throws Exception {
        side.close();
        for (Path m : mounts) {
            new ProcessBuilder("umount", "-l", m.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void anExportThatCannotFitStopsAtOnceNamingNeededAndFreeBytesAndWritesNothing() throws Exception {
        Path small = tmpfs("small", "256k");
        Path state = dir.resolve("state");
        Result e = export(small.resolve("out"), state);
        assertEquals(ExitCodes.NO_SPACE, e.code, e.out + e.err);
        Matcher m = NO_SPACE.matcher(e.err);
        assertTrue(m.find(), e.err);
        assertEquals(small.toString(), m.group(1));
        assertTrue(Long.parseLong(m.group(2)) > Long.parseLong(m.group(3)), e.err);
        assertEquals(1, e.err.strip().lines().count(), "one line: " + e.err);
        try (Stream<Path> s = Files.list(small)) {
            assertEquals(List.of(), s.toList(), "nothing written on the small disk");
        }
        assertFalse(Files.exists(state.resolve("state.json")), "no state recorded");
        assertFalse(Files.exists(state.resolve("pending.json")), "no sequence number reserved");
        // the same export on a disk with room is sequence 1: the refused run used up nothing
        Result ok = export(dir.resolve("out"), state, "--json");
        assertEquals(0, ok.code, ok.err);
        assertEquals(1, new ObjectMapper().readTree(ok.out).at("/sequence").asLong());
    }

    @Test
    void aDryRunChangesNothingAndReportsWhatTheImportWouldCopyAndTheFreeSpace() throws Exception {
        Path b1 = dir.resolve("b1");
        assertEquals(0, export(b1, dir.resolve("state"), "--metadata-only").code);
        Path b2 = dir.resolve("b2");
        assertEquals(0, export(b2, dir.resolve("state-2"), "--channel", "contoso2").code);

        // against a store that does not exist: none is created
        Path none = dir.resolve("no-store");
        Result first = ferry("import", b1.toString(), "--store", none.toString(), "--trust-store", trust.toString(),
                "--dry-run", "--json", "--quiet");
        assertEquals(0, first.code, first.err);
        assertFalse(Files.exists(none), "a dry run created the store");

        Path store = dir.resolve("store");
        assertEquals(0, ferry("import", b1.toString(), "--store", store.toString(), "--trust-store", trust.toString(),
                "--quiet").code);
        Map<String, byte[]> before = snapshot(store);
        Result dry = ferry("import", b2.toString(), "--store", store.toString(), "--trust-store", trust.toString(),
                "--dry-run", "--quiet");
        assertEquals(0, dry.code, dry.err);
        assertTrue(dry.out.startsWith("Dry run (nothing changed): bundle "), dry.out);
        assertTrue(dry.out.contains("bytes needed, ") && dry.out.contains(" bytes free on " + store), dry.out);
        Result json = ferry("import", b2.toString(), "--store", store.toString(), "--trust-store", trust.toString(),
                "--dry-run", "--json", "--quiet");
        assertEquals(0, json.code, json.err);
        JsonNode j = new ObjectMapper().readTree(json.out);
        assertTrue(j.at("/bytesAdded").asLong() > 0, json.out);
        assertEquals(j.at("/bytesAdded").asLong(), j.at("/neededBytes").asLong());
        assertTrue(j.at("/freeBytes").asLong() > j.at("/neededBytes").asLong(), json.out);
        assertTrue(j.at("/fits").asBoolean());
        assertEquals(store.toString(), j.at("/disk").asText());
        assertSame(before, snapshot(store));
    }

    @Test
    void anImportThatCannotFitIsForetoldByTheDryRunAndStopsBeforeCopying() throws Exception {
        Path b1 = dir.resolve("b1");
        assertEquals(0, export(b1, dir.resolve("state"), "--metadata-only").code);
        Path b2 = dir.resolve("b2");
        assertEquals(0, export(b2, dir.resolve("state-2"), "--channel", "contoso2").code);
        Path small = tmpfs("small", "16m");
        Path store = small.resolve("store");
        assertEquals(0, ferry("import", b1.toString(), "--store", store.toString(), "--trust-store", trust.toString(),
                "--quiet").code);
        Result fits = ferry("import", b2.toString(), "--store", store.toString(), "--trust-store", trust.toString(),
                "--dry-run", "--json", "--quiet");
        assertEquals(0, fits.code, fits.err);
        long needed = new ObjectMapper().readTree(fits.out).at("/neededBytes").asLong();
        assertTrue(needed > 100_000, fits.out);
        // fill the disk until about half of what the import needs is free
        long free = Files.getFileStore(small).getUsableSpace();
        try (var f = new java.io.RandomAccessFile(small.resolve("filler").toFile(), "rw")) {
            byte[] chunk = new byte[64 * 1024];
            for (long n = free - needed / 2; n > 0; n -= chunk.length) {
                f.write(chunk, 0, (int) Math.min(chunk.length, n));
            }
        }
        Map<String, byte[]> before = snapshot(store);

        Result dry = ferry("import", b2.toString(), "--store", store.toString(), "--trust-store", trust.toString(),
                "--dry-run", "--quiet");
        assertEquals(ExitCodes.NO_SPACE, dry.code, dry.out + dry.err);
        Matcher m = NO_SPACE.matcher(dry.err);
        assertTrue(m.find(), dry.err);
        assertEquals(store.toString(), m.group(1));
        assertEquals(needed, Long.parseLong(m.group(2)), dry.err);
        assertTrue(needed > Long.parseLong(m.group(3)), dry.err);
        assertTrue(dry.err.contains("nothing changed"), dry.err);
        assertTrue(dry.out.startsWith("Dry run (nothing changed)"), "the dry run's figures are printed: " + dry.out);
        assertSame(before, snapshot(store));

        Result real = ferry("import", b2.toString(), "--store", store.toString(), "--trust-store", trust.toString(),
                "--quiet");
        assertEquals(ExitCodes.NO_SPACE, real.code, real.out + real.err);
        Matcher r = NO_SPACE.matcher(real.err);
        assertTrue(r.find(), real.err);
        assertEquals(needed, Long.parseLong(r.group(2)), "the dry run announced the bytes the import needs: " + real.err);
        Map<String, byte[]> after = snapshot(store);
        assertEquals(objects(before), objects(after), "nothing copied");
        try (Store s = Store.openExisting(store, Importer.catalogs())) {
            assertTrue(s.channel("contoso2").isEmpty(), "no channel recorded");
            assertEquals(1, s.bundles().size());
        }
    }

    @Test
    void aNewStoreOnADiskTooSmallForItsCatalogIsNoSpaceAndLeavesNothingHalfMade() throws Exception {
        Path b1 = dir.resolve("b1");
        assertEquals(0, export(b1, dir.resolve("state"), "--metadata-only").code);
        // 640 KiB: room to start the catalog, not to migrate it (H2 appends a chunk per migration step)
        Path small = tmpfs("small", "640k");
        Path store = small.resolve("store");
        for (int attempt = 1; attempt <= 2; attempt++) {
            Result r = ferry("import", b1.toString(), "--store", store.toString(), "--trust-store", trust.toString(),
                    "--quiet");
            assertEquals(ExitCodes.NO_SPACE, r.code, "attempt " + attempt + ": " + r.out + r.err);
            Matcher m = Pattern.compile("no space left on (\\S+): free (\\d+) bytes").matcher(r.err);
            assertTrue(m.find(), r.err);
            assertEquals(store.toString(), m.group(1));
            assertEquals(1, r.err.strip().lines().count(), "one line: " + r.err);
            // a half-made catalog would make the next run see "a store whose catalog is unusable" (exit 2)
            assertFalse(Files.exists(store.resolve("catalog.mv.db")), "a half-migrated catalog was left behind");
            assertFalse(Files.exists(store.resolve("store.id")), "a store marker without its catalog was left behind");
        }
        // once there is room, the same import creates the store
        Process grow = new ProcessBuilder("mount", "-o", "remount,size=16m", small.toString()).inheritIO().start();
        assertTrue(grow.waitFor(30, TimeUnit.SECONDS) && grow.exitValue() == 0, "cannot grow the tmpfs");
        Result ok = ferry("import", b1.toString(), "--store", store.toString(), "--trust-store", trust.toString(),
                "--quiet");
        assertEquals(0, ok.code, ok.out + ok.err);
        try (Store s = Store.openExisting(store, Importer.catalogs())) {
            assertEquals(1, s.bundles().size());
        }
    }

    private static java.util.Set<String> objects(Map<String, byte[]> files) {
        return files.keySet().stream().filter(k -> k.startsWith("objects")).collect(java.util.stream.Collectors.toSet());
    }

    private static void assertSame(Map<String, byte[]> before, Map<String, byte[]> after) {
        assertEquals(before.keySet(), after.keySet());
        before.forEach((k, v) -> assertArrayEquals(v, after.get(k), k + " changed"));
    }

    private Path tmpfs(String name, String size) throws Exception {
        Path m = Files.createDirectories(dir.resolve(name));
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to mount a small tmpfs");
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", m.toString())
                .redirectErrorStream(true).start();
        assumeTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "cannot mount a tmpfs here");
        mounts.add(m);
        return m;
    }

    private Result export(Path out, Path state, String... more) {
        List<String> more2 = new ArrayList<>(List.of(more));
        String channel = "contoso";
        int c = more2.indexOf("--channel");
        if (c >= 0) {
            channel = more2.remove(c + 1);
            more2.remove(c);
        }
        List<String> args = new ArrayList<>(List.of("export", "--upstream", side.upstream().uri().toString(), "--channel",
                channel, "--state", state.toString(), "--key", keys.resolve("signer.sec.asc").toString(), "--out",
                out.toString(), "--quiet", "--product", "Contoso Widget", "--volume-size", "64KiB", "--retries", "1"));
        args.addAll(more2);
        return ferry(args.toArray(String[]::new));
    }

    /** Every file of the store but its audit log, which records every run (a dry run too). */
    private static Map<String, byte[]> snapshot(Path root) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(f -> Files.isRegularFile(f) && !f.getFileName().toString().equals("audit.jsonl"))
                    .toList()) {
                out.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }
}
