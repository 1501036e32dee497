package ferry.format.par2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ferry.format.Progress;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PAR 2.0 both ways with the real par2cmdline: what {@link RecoveryWriter} writes, {@code par2} verifies and repairs;
 * what {@code par2 create} writes, {@link RecoveryRepair} repairs; and ours repairs ours. The files look like a
 * bundle: a manifest, a signature and 20 volumes of different sizes (not multiples of the slice size).
 */
class RecoveryInteropTest {
    @TempDir Path dir;
    private final Map<String, byte[]> original = new LinkedHashMap<>();

    @BeforeEach
    void files() throws IOException {
        Random r = new Random(42);
        Files.createDirectories(dir.resolve("volumes"));
        Files.createDirectories(dir.resolve("signatures"));
        put("manifest.json", 3000 + r.nextInt(1000), r);
        put("signatures/0123456789ABCDEF0123456789ABCDEF01234567.asc", 333, r);
        for (int i = 1; i <= 20; i++) {
            put(String.format("volumes/volume-%04d.tar", i), 40_000 + r.nextInt(30_000), r);
        }
    }

    private void put(String name, int size, Random r) throws IOException {
        byte[] b = new byte[size];
        r.nextBytes(b);
        Files.write(dir.resolve(name), b);
        original.put(name, b);
    }

    private RecoveryWriter.Result writeOurs(int percent) throws IOException {
        return RecoveryWriter.write(dir, new ArrayList<>(original.keySet()), "recovery", percent, 0, 100_000,
                1 << 20, Progress.NONE);
    }

    /** Volume 3 deleted, 100 bytes of volume 7 overwritten. */
    private void damage() throws IOException {
        Files.delete(dir.resolve("volumes/volume-0003.tar"));
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("volumes/volume-0007.tar").toFile(), "rw")) {
            f.seek(20_000);
            f.write(new byte[100]);
        }
    }

    private void assertOriginal() throws IOException {
        for (var e : original.entrySet()) {
            assertArrayEquals(e.getValue(), Files.readAllBytes(dir.resolve(e.getKey())), e.getKey());
        }
    }

    private List<String> repairWithFerry() throws Exception {
        RecoveryRepair r = RecoveryRepair.scan(dir, RecoveryFiles.find(dir), Progress.NONE);
        return r.repair(1 << 20, Progress.NONE);
    }

    /** A medium keeps room for its recovery data before it is written: the size announced is the size written. */
    @Test
    void sizeOfIsExactlyTheBytesWritten() throws Exception {
        Map<String, Long> sizes = new java.util.TreeMap<>();
        for (var e : original.entrySet()) {
            sizes.put(e.getKey(), (long) e.getValue().length);
        }
        for (long[] c : new long[][] {{1, 100_000}, {10, 100_000}, {37, 10_000_000}, {5, 1}}) {
            int percent = (int) c[0];
            long maxFile = c[1];
            {
                RecoveryWriter.Result r = RecoveryWriter.write(dir, new ArrayList<>(original.keySet()), "p" + percent
                        + "m" + maxFile, percent, 0, maxFile, 1 << 20, Progress.NONE);
                assertEquals(r.bytes(), RecoveryWriter.sizeOf(sizes, percent, maxFile), percent + "%, " + maxFile);
                for (Path f : r.files()) {
                    Files.delete(f);
                }
            }
        }
    }

    @Test
    void par2VerifiesAndRepairsWhatFerryWrites() throws Exception {
        Par2Tool.assumeInstalled();
        RecoveryWriter.Result w = writeOurs(10);
        assertEquals(w.inputSlices() / 10 + (w.inputSlices() % 10 == 0 ? 0 : 1), w.recoverySlices());
        assertTrue(w.files().size() > 2, "recovery slices spread over several files: " + w.files());
        Par2Tool.Result v = Par2Tool.run(dir, "par2", "verify", "recovery.par2");
        assertEquals(0, v.exit(), v.output());
        assertTrue(v.output().contains("All files are correct"), v.output());

        damage();
        Par2Tool.Result r = Par2Tool.run(dir, "par2", "repair", "-p", "recovery.par2");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("Repair complete"), r.output());
        assertOriginal();
    }

    @Test
    void ferryRepairsWhatFerryWrites() throws Exception {
        writeOurs(10);
        damage();
        RecoveryRepair scan = RecoveryRepair.scan(dir, RecoveryFiles.find(dir), Progress.NONE);
        assertEquals(List.of("volumes/volume-0003.tar", "volumes/volume-0007.tar"),
                scan.result().damagedFiles().stream().sorted().toList());
        assertTrue(scan.result().repairable());
        assertEquals(List.of("volumes/volume-0003.tar", "volumes/volume-0007.tar"),
                scan.repair(1 << 20, Progress.NONE).stream().sorted().toList());
        assertOriginal();
        assertTrue(RecoveryRepair.scan(dir, RecoveryFiles.find(dir), Progress.NONE).result().intact());
    }

    @Test
    void ferryRepairsWhatPar2Creates() throws Exception {
        Par2Tool.assumeInstalled();
        List<String> cmd = new ArrayList<>(List.of("par2", "create", "-q", "-r10", "-n4", "made-by-par2.par2"));
        cmd.addAll(original.keySet());
        Par2Tool.Result c = Par2Tool.run(dir, cmd.toArray(String[]::new));
        assertEquals(0, c.exit(), c.output());
        damage();
        assertEquals(2, repairWithFerry().size());
        assertOriginal();
    }

    @Test
    void repairWithTinyMemoryTakesManyPassesAndStillMatches() throws Exception {
        RecoveryWriter.write(dir, new ArrayList<>(original.keySet()), "recovery", 10, 0, 100_000, 64 << 10,
                Progress.NONE);
        damage();
        RecoveryRepair r = RecoveryRepair.scan(dir, RecoveryFiles.find(dir), Progress.NONE);
        r.repair(64 << 10, Progress.NONE);
        assertOriginal();
    }

    @Test
    void tooMuchDamageIsRefusedAndChangesNothing() throws Exception {
        writeOurs(5);
        for (int i = 1; i <= 4; i++) {
            Files.delete(dir.resolve(String.format("volumes/volume-%04d.tar", i)));
        }
        byte[] v5 = Files.readAllBytes(dir.resolve("volumes/volume-0005.tar"));
        RecoveryException e = assertThrows(RecoveryException.class, this::repairWithFerry);
        assertTrue(e.getMessage().contains("more needed"), e.getMessage());
        assertTrue(e.missingSlices() > e.availableSlices());
        assertFalse(Files.exists(dir.resolve("volumes/volume-0001.tar")));
        assertArrayEquals(v5, Files.readAllBytes(dir.resolve("volumes/volume-0005.tar")));
    }

    @Test
    void lostIndexAndHalfWrittenRecoveryFileStillRepair() throws Exception {
        RecoveryWriter.Result w = RecoveryWriter.write(dir, new ArrayList<>(original.keySet()), "recovery", 20, 0,
                100_000, 1 << 20, Progress.NONE);
        Files.delete(w.files().get(0));
        Path last = w.files().get(w.files().size() - 1);
        try (RandomAccessFile f = new RandomAccessFile(last.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        damage();
        repairWithFerry();
        assertOriginal();
    }

    @Test
    void namesLeavingTheDirectoryAreRefused() {
        for (String bad : List.of("../x", "/etc/passwd", "a/../../b", "a\\b", "C:/x", "a//b", "")) {
            assertThrows(IllegalArgumentException.class, () -> RecoveryFiles.checkName(bad), bad);
        }
        RecoveryFiles.checkName("volumes/volume-0001.tar");
    }

    @Test
    void fieldArithmeticMatchesTheSpecification() {
        assertEquals(0x100B, Gf16.mul(0x8000, 2), "x^16 reduces by the generator 0x1100B");
        int[] c = Gf16.inputConstants(4);
        assertArrayEquals(new int[] {2, 4, 16, 128}, c, "constants 2^1, 2^2, 2^4, 2^7 (logs coprime to 65535)");
        int[] table = new int[512];
        for (int a : new int[] {1, 2, 0x1234, 0xffff}) {
            assertEquals(1, Gf16.mul(a, Gf16.div(1, a)));
            Gf16.productTable(a, table);
            for (int w = 0; w < 65536; w += 7) {
                assertEquals(Gf16.mul(w, a), table[w & 0xff] ^ table[256 + (w >>> 8)], "table of " + a + " at " + w);
            }
        }
    }
}
