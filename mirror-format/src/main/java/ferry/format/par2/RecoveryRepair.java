package ferry.format.par2;

import ferry.format.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks the files of a PAR 2.0 recovery set against its index packets and rebuilds damaged or missing ones from
 * the recovery slices, as par2cmdline's {@code par2 repair} does for the same files. Damage is found slice by slice
 * (MD5 of each slice at its place in the file), so a corrupted byte costs one slice and a missing file all of its
 * slices; repair needs as many recovery slices as slices are lost.
 *
 * <p>A rebuilt file is written beside its target as {@code .<name>.ferry-repair}, checked against the MD5 of the
 * whole file, then renamed over the target: a repair that fails or is killed leaves the damaged file as it was.
 * Memory is bounded as in {@link RecoveryWriter} (column ranges of the lost slices, one pass over the good data per
 * range). Names in recovery files are unsigned: names that would leave the base directory are refused
 * ({@link RecoveryFiles#checkName}), symbolic links are never written through.
 */
public final class RecoveryRepair {

    /** One file of the set and what the check found. */
    public record FileStatus(String name, long length, boolean present, boolean intact, int slices, int damagedSlices) {
    }

    /**
     * What {@link #scan} found.
     *
     * @param files           every file of the recovery set, in set order
     * @param damagedSlices   input slices lost (damaged or in missing files)
     * @param recoverySlices  usable recovery slices found
     */
    public record Scan(List<FileStatus> files, int damagedSlices, int recoverySlices) {
        /** Whether every file is intact. */
        public boolean intact() {
            return files.stream().allMatch(FileStatus::intact);
        }

        /** Whether a repair would succeed (there are at least as many recovery slices as lost ones). */
        public boolean repairable() {
            return damagedSlices <= recoverySlices;
        }

        /** Names of the files that are not intact. */
        public List<String> damagedFiles() {
            return files.stream().filter(f -> !f.intact()).map(FileStatus::name).toList();
        }
    }

    private final Path baseDir;
    private final RecoverySet set;
    private final List<RecoverySet.Description> order = new ArrayList<>();
    private final Map<String, boolean[]> good = new HashMap<>();
    private Scan scan;

    private RecoveryRepair(Path baseDir, RecoverySet set) {
        this.baseDir = baseDir;
        this.set = set;
    }

    /**
     * Reads the recovery files and checks every file of the set under {@code baseDir}.
     *
     * @param par2Files the recovery files (e.g. {@link RecoveryFiles#find})
     * @throws RecoveryException no usable recovery set in them
     * @throws IOException       a file cannot be read
     */
    public static RecoveryRepair scan(Path baseDir, List<Path> par2Files, Progress progress)
            throws IOException, RecoveryException {
        RecoveryRepair r = new RecoveryRepair(baseDir, RecoverySet.read(par2Files));
        r.check(progress);
        return r;
    }

    /** What the check found. */
    public Scan result() {
        return scan;
    }

    private void check(Progress progress) throws IOException {
        List<FileStatus> files = new ArrayList<>();
        int damaged = 0;
        for (byte[] id : set.fileIds) {
            RecoverySet.Description d = set.descriptions.get(ferry.format.Hex.lower(id));
            order.add(d);
            int n = SourceFile.slices(d.length(), set.sliceSize);
            boolean[] ok = new boolean[n];
            Path p = target(d.name());
            boolean present = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
            boolean intact = false;
            if (present) {
                intact = checkFile(p, d, ok, progress);
            }
            int bad = 0;
            for (boolean b : ok) {
                bad += b ? 0 : 1;
            }
            if (intact) {
                bad = 0;
            }
            damaged += bad;
            good.put(d.name(), ok);
            files.add(new FileStatus(d.name(), d.length(), present, intact, n, bad));
        }
        scan = new Scan(List.copyOf(files), damaged, set.recovery.size());
    }

    /** Marks the slices whose MD5 matches; true when the whole file (length and MD5) is as described. */
    private boolean checkFile(Path p, RecoverySet.Description d, boolean[] ok, Progress progress) throws IOException {
        byte[][] md5s = set.sliceMd5.get(ferry.format.Hex.lower(d.fileId()));
        long s = set.sliceSize;
        MessageDigest whole = Packets.md5();
        MessageDigest slice = Packets.md5();
        byte[] buf = new byte[1 << 20];
        long pos = 0;
        long inSlice = 0;
        int index = 0;
        progress.begin("check " + d.name(), d.length());
        try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
            int r;
            while ((r = in.read(buf)) > 0) {
                whole.update(buf, 0, r);
                int off = 0;
                while (off < r && pos + off < d.length()) {
                    int take = (int) Math.min(Math.min(r - off, s - inSlice), d.length() - pos - off);
                    slice.update(buf, off, take);
                    off += take;
                    inSlice += take;
                    if (inSlice == s) {
                        ok[index] = md5s != null && MessageDigest.isEqual(slice.digest(), md5s[index]);
                        index++;
                        inSlice = 0;
                    }
                }
                pos += r;
                progress.advance(r);
            }
        } finally {
            progress.end();
        }
        if (inSlice > 0 && pos >= d.length()) {
            slice.update(new byte[(int) (s - inSlice)]);
            ok[index] = md5s != null && MessageDigest.isEqual(slice.digest(), md5s[index]);
        }
        boolean intact = pos == d.length() && MessageDigest.isEqual(whole.digest(), d.md5());
        if (intact) {
            java.util.Arrays.fill(ok, true);
        }
        return intact;
    }

    /** The target of a set file name, inside the base directory. */
    private Path target(String name) throws IOException {
        Path p = baseDir.resolve(name).normalize();
        if (!p.startsWith(baseDir.normalize())) {
            throw new IOException("recovery set names a file outside " + baseDir + ": " + name);
        }
        for (Path q = p; q != null && !q.equals(baseDir.normalize()); q = q.getParent()) {
            if (Files.isSymbolicLink(q)) {
                throw new IOException("recovery set file " + name + " goes through the symbolic link " + q);
            }
        }
        return p;
    }

    /**
     * Rebuilds every damaged or missing file of the set.
     *
     * @param memoryBytes bound on the buffers of slice data held at once (at least 64 KiB)
     * @return the names of the files rebuilt (empty when all were intact)
     * @throws RecoveryException too few recovery slices for the damage (nothing is changed), or a rebuilt file
     *                           whose MD5 does not match (recovery data inconsistent; the target is left alone)
     * @throws IOException       on I/O failure
     */
    public List<String> repair(long memoryBytes, Progress progress) throws IOException, RecoveryException {
        if (scan.intact()) {
            return List.of();
        }
        if (!scan.repairable()) {
            throw new RecoveryException("repair impossible: " + scan.damagedSlices() + " slice(s) damaged or missing in "
                    + String.join(", ", scan.damagedFiles()) + ", only " + scan.recoverySlices()
                    + " recovery slice(s) found; " + (scan.damagedSlices() - scan.recoverySlices()) + " more needed",
                    scan.damagedSlices(), scan.recoverySlices());
        }
        long s = set.sliceSize;
        int[] constants = Gf16.inputConstants(totalSlices());
        List<int[]> lost = new ArrayList<>();            // {file index, slice index, global index}
        List<int[]> kept = new ArrayList<>();
        int global = 0;
        for (int f = 0; f < order.size(); f++) {
            boolean[] ok = good.get(order.get(f).name());
            for (int k = 0; k < ok.length; k++, global++) {
                (ok[k] ? kept : lost).add(new int[] {f, k, global});
            }
        }
        int n = lost.size();
        List<RecoverySet.Slice> use = set.recovery.subList(0, n);
        int[][] inverse = new int[0][0];
        if (n > 0) {
            int[][] a = new int[n][n];
            for (int j = 0; j < n; j++) {
                for (int m = 0; m < n; m++) {
                    a[j][m] = Gf16.pow(constants[lost.get(m)[2]], use.get(j).exponent());
                }
            }
            try {
                inverse = Gf16.invert(a);
            } catch (ArithmeticException e) {
                throw new RecoveryException("repair impossible: the chosen recovery slices give a singular system");
            }
        }
        Map<Integer, Path> temps = new HashMap<>();
        Map<Integer, FileChannel> out = new HashMap<>();
        Map<Integer, FileChannel> in = new HashMap<>();
        Map<Path, FileChannel> recoveryIn = new HashMap<>();
        List<String> repaired = new ArrayList<>();
        try {
            for (int f = 0; f < order.size(); f++) {
                RecoverySet.Description d = order.get(f);
                Path p = target(d.name());
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    in.put(f, FileChannel.open(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
                }
                if (!scan.files().get(f).intact()) {
                    Files.createDirectories(p.getParent());
                    Path t = p.resolveSibling("." + p.getFileName() + ".ferry-repair");
                    Files.deleteIfExists(t);
                    temps.put(f, t);
                    FileChannel ch = FileChannel.open(t, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                            StandardOpenOption.READ);
                    out.put(f, ch);
                    copyGoodSlices(in.get(f), ch, d, good.get(d.name()), s);
                }
            }
            for (RecoverySet.Slice sl : use) {
                if (!recoveryIn.containsKey(sl.file())) {
                    recoveryIn.put(sl.file(), FileChannel.open(sl.file(), StandardOpenOption.READ));
                }
            }
            if (n > 0) {
                rebuild(s, constants, lost, kept, use, inverse, in, out, recoveryIn, memoryBytes, progress);
            }
            for (Map.Entry<Integer, FileChannel> e : out.entrySet()) {
                e.getValue().force(true);
            }
            for (FileChannel ch : out.values()) {
                ch.close();
            }
            for (FileChannel ch : in.values()) {
                ch.close();
            }
            in.clear();
            for (int f : new java.util.TreeSet<>(temps.keySet())) {
                RecoverySet.Description d = order.get(f);
                Path t = temps.get(f);
                if (!MessageDigest.isEqual(md5Of(t), d.md5())) {
                    throw new RecoveryException("rebuilt " + d.name() + " does not match the MD5 in the recovery set;"
                            + " the recovery data is inconsistent, the file was left as it was");
                }
                Files.move(t, target(d.name()), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                temps.remove(f);
                repaired.add(d.name());
            }
        } finally {
            for (FileChannel ch : out.values()) {
                ch.close();
            }
            for (FileChannel ch : in.values()) {
                ch.close();
            }
            for (FileChannel ch : recoveryIn.values()) {
                ch.close();
            }
            for (Path t : temps.values()) {
                Files.deleteIfExists(t);
            }
        }
        return repaired;
    }

    private int totalSlices() {
        int n = 0;
        for (boolean[] ok : good.values()) {
            n += ok.length;
        }
        return n;
    }

    private static void copyGoodSlices(FileChannel from, FileChannel to, RecoverySet.Description d, boolean[] ok,
                                       long s) throws IOException {
        if (d.length() > 0) {
            to.write(ByteBuffer.wrap(new byte[1]), d.length() - 1);   // the exact length; holes are filled below
        }
        if (from == null) {
            return;
        }
        for (int k = 0; k < ok.length; k++) {
            if (ok[k]) {
                long pos = k * s;
                long len = Math.min(s, d.length() - pos);
                long done = 0;
                while (done < len) {
                    long t = from.transferTo(pos + done, len - done, to.position(pos + done));
                    if (t <= 0) {
                        throw new IOException(d.name() + " shrank while it was repaired");
                    }
                    done += t;
                }
            }
        }
    }

    private void rebuild(long s, int[] constants, List<int[]> lost, List<int[]> kept, List<RecoverySet.Slice> use,
                         int[][] inverse, Map<Integer, FileChannel> in, Map<Integer, FileChannel> out,
                         Map<Path, FileChannel> recoveryIn, long memoryBytes, Progress progress) throws IOException {
        int n = lost.size();
        int width = RecoveryWriter.columnWidth(s, 2 * n, memoryBytes);
        char[][] sums = new char[n][width / 2];
        char[] words = new char[width / 2];
        char[] result = new char[width / 2];
        byte[] raw = new byte[width];
        int[] table = new int[512];
        long passes = (s + width - 1) / width;
        progress.begin("rebuild " + n + " slice(s)", passes * (long) (kept.size() + n) * Math.min(width, s));
        try {
            for (long col = 0; col < s; col += width) {
                int len = (int) Math.min(width, s - col);
                int wl = len / 2;
                for (int j = 0; j < n; j++) {
                    RecoverySet.Slice sl = use.get(j);
                    RecoveryWriter.readColumn(recoveryIn.get(sl.file()), Long.MAX_VALUE, sl.dataAt() + col, raw, len,
                            sl.file().getFileName().toString());
                    RecoveryWriter.toWords(raw, sums[j], len);
                    progress.advance(len);
                }
                for (int[] k : kept) {
                    RecoverySet.Description d = order.get(k[0]);
                    RecoveryWriter.readColumn(in.get(k[0]), d.length(), k[1] * s + col, raw, len, d.name());
                    RecoveryWriter.toWords(raw, words, len);
                    int c = constants[k[2]];
                    for (int j = 0; j < n; j++) {
                        Gf16.mulAdd(Gf16.productTable(Gf16.pow(c, use.get(j).exponent()), table), words, sums[j], wl);
                    }
                    progress.advance(len);
                }
                for (int m = 0; m < n; m++) {
                    java.util.Arrays.fill(result, 0, wl, (char) 0);
                    for (int j = 0; j < n; j++) {
                        if (inverse[m][j] != 0) {
                            Gf16.mulAdd(Gf16.productTable(inverse[m][j], table), sums[j], result, wl);
                        }
                    }
                    int[] l = lost.get(m);
                    RecoverySet.Description d = order.get(l[0]);
                    long pos = l[1] * s + col;
                    int keep = (int) Math.max(0, Math.min(len, d.length() - pos));
                    if (keep > 0) {
                        RecoveryWriter.toBytes(result, raw, len);
                        ByteBuffer b = ByteBuffer.wrap(raw, 0, keep);
                        FileChannel ch = Objects.requireNonNull(out.get(l[0]));
                        while (b.hasRemaining()) {
                            ch.write(b, pos + b.position());
                        }
                    }
                }
            }
        } finally {
            progress.end();
        }
    }

    private static byte[] md5Of(Path p) throws IOException {
        MessageDigest d = Packets.md5();
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(p)) {
            int r;
            while ((r = in.read(buf)) > 0) {
                d.update(buf, 0, r);
            }
        }
        return d.digest();
    }
}
