package ferry.format.par2;

import ferry.format.Progress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Writes PAR 2.0 recovery files for a set of files under one base directory, readable by par2cmdline ({@code par2
 * verify}, {@code par2 repair}) and by {@link RecoveryRepair}:
 * <pre>
 * base/&lt;name&gt;.par2                      index: Main, File Description, IFSC and Creator packets
 * base/&lt;name&gt;.volFFF+CC.par2            recovery slices FFF .. FFF+CC-1, each file with a copy of the index packets
 * </pre>
 * <p>Reed-Solomon over GF(2^16) as PAR 2.0 specifies: input slice i (files in Main-packet order, slices in file
 * order) has the constant c_i ({@link Gf16#inputConstants}); recovery slice e holds the sum over i of c_i^e × slice_i,
 * 16-bit little-endian words. Exponents are 0 .. count-1.
 *
 * <p>Memory is bounded by {@code memoryBytes} whatever the sizes: the recovery slices are computed a column range
 * at a time ({@code memoryBytes / recovery slices} bytes of each), each range one pass over the input files, and
 * written to their place in the recovery files (a 4 GiB volume is never held in memory). Input files are read once
 * to hash them and once per pass.
 */
public final class RecoveryWriter {
    private RecoveryWriter() { }

    /** par2cmdline's default number of input slices, aimed at when choosing the slice size. */
    public static final int TARGET_SLICES = 2000;
    /** The most input slices par2cmdline accepts. */
    public static final int MAX_SLICES = 32768;
    /** What the Creator packet says. */
    public static final String CREATOR = "ferry (PAR 2.0 recovery data)";

    /**
     * What was written.
     *
     * @param sliceSize      bytes per slice (a multiple of 4)
     * @param inputSlices    slices of the input files
     * @param recoverySlices recovery slices written
     * @param files          recovery files, index file first
     * @param bytes          total bytes of the recovery files
     */
    public record Result(long sliceSize, int inputSlices, int recoverySlices, List<Path> files, long bytes) {
    }

    /**
     * Writes recovery files for {@code names} (relative to {@code baseDir}, {@code /}-separated) holding
     * {@code percent} percent of their slices (rounded up, at least one).
     *
     * @param baseName        recovery file names start with it, e.g. {@code recovery}
     * @param percent         1 to 100
     * @param sliceSize       bytes per slice, a multiple of 4, or 0 to choose one (about {@value #TARGET_SLICES} slices)
     * @param maxFileBytes    recovery slices are spread over files of about this size at most (at least one slice each)
     * @param memoryBytes     bound on the buffers of recovery data held at once (at least 64 KiB)
     * @throws IllegalArgumentException on a bad percent, slice size or name
     * @throws IOException              if an input cannot be read, a recovery file exists already or cannot be written
     */
    public static Result write(Path baseDir, List<String> names, String baseName, int percent, long sliceSize,
                               long maxFileBytes, long memoryBytes, Progress progress) throws IOException {
        if (percent < 1 || percent > 100) {
            throw new IllegalArgumentException("recovery percentage must be 1 to 100: " + percent);
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no files to protect");
        }
        long total = 0;
        for (String n : names) {
            RecoveryFiles.checkName(n);
            total += Files.size(baseDir.resolve(n));
        }
        long s = sliceSize > 0 ? sliceSize : chooseSliceSize(baseDir, names, total);
        if (s % 4 != 0) {
            throw new IllegalArgumentException("slice size must be a multiple of 4: " + s);
        }
        progress.begin("hash for recovery data", total);
        List<SourceFile> files = new ArrayList<>();
        try {
            for (String n : names) {
                files.add(SourceFile.hash(baseDir.resolve(n), n, s, progress));
            }
        } finally {
            progress.end();
        }
        files.sort(Comparator.comparing(SourceFile::fileId, Packets::compareIds));
        int inputs = 0;
        for (SourceFile f : files) {
            inputs += f.sliceMd5().length;
        }
        if (inputs > MAX_SLICES) {
            throw new IllegalArgumentException(inputs + " input slices of " + s + " bytes, over the " + MAX_SLICES
                    + " PAR 2.0 tools accept; choose a larger slice size");
        }
        int count = (int) Math.max(1, Math.min(Gf16.ORDER - 1, ((long) inputs * percent + 99) / 100));

        ByteBuffer main = Packets.le(12 + 16 * files.size());
        main.putLong(s).putInt(files.size());
        files.forEach(f -> main.put(f.fileId()));
        byte[] mainBody = main.array();
        byte[] setId = Packets.md5(mainBody, 0, mainBody.length);
        ByteBuffer critical = ByteBuffer.allocate(critical(setId, mainBody, files, null));
        critical(setId, mainBody, files, critical);
        byte[] index = critical.array();
        byte[] creator = Packets.packet(setId, Packets.CREATOR, Packets.padded(Packets.ascii(CREATOR)));

        int perFile = (int) Math.max(1, Math.min(count, maxFileBytes / (s + 68)));
        List<Path> out = new ArrayList<>();
        Path indexFile = baseDir.resolve(baseName + ".par2");
        writeNew(indexFile, index, creator);
        out.add(indexFile);
        int fileCount = (count + perFile - 1) / perFile;
        FileChannel[] channels = new FileChannel[fileCount];
        long[] dataAt = new long[count];
        int[] fileOf = new int[count];
        try {
            for (int f = 0; f < fileCount; f++) {
                int first = f * perFile;
                int n = Math.min(perFile, count - first);
                Path p = baseDir.resolve(RecoveryFiles.volumeFileName(baseName, first, n, count, perFile));
                channels[f] = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        StandardOpenOption.READ);
                out.add(p);
                long pos = writeAt(channels[f], 0, index);
                for (int k = 0; k < n; k++) {
                    int e = first + k;
                    fileOf[e] = f;
                    ByteBuffer h = Packets.le(Packets.HEADER + 4);
                    h.put(Packets.MAGIC).putLong(Packets.HEADER + 4 + s).put(new byte[16]).put(setId)
                            .put(Packets.RECOVERY_SLICE).putInt(e);
                    pos = writeAt(channels[f], pos, h.array());
                    dataAt[e] = pos;
                    pos += s;
                }
                writeAt(channels[f], pos, creator);
            }
            encode(baseDir, files, s, inputs, count, channels, fileOf, dataAt, memoryBytes, progress);
            for (int e = 0; e < count; e++) {
                sealRecoveryPacket(channels[fileOf[e]], dataAt[e], s, setId, e);
            }
            for (FileChannel ch : channels) {
                ch.force(true);
            }
        } finally {
            for (FileChannel ch : channels) {
                if (ch != null) {
                    ch.close();
                }
            }
        }
        long bytes = 0;
        for (Path p : out) {
            bytes += Files.size(p);
        }
        return new Result(s, inputs, count, List.copyOf(out), bytes);
    }

    /** About {@value #TARGET_SLICES} slices over all files, never more than {@value #MAX_SLICES}. */
    static long chooseSliceSize(Path baseDir, List<String> names, long total) throws IOException {
        long[] sizes = new long[names.size()];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = Files.size(baseDir.resolve(names.get(i)));
        }
        return sliceSizeFor(sizes);
    }

    private static long sliceSizeFor(long[] sizes) {
        long total = 0;
        for (long z : sizes) {
            total += z;
        }
        long s = Math.max(4, (total / TARGET_SLICES + 3) / 4 * 4);
        while (true) {
            long n = 0;
            for (long z : sizes) {
                n += SourceFile.slices(z, s);
            }
            if (n <= MAX_SLICES) {
                return s;
            }
            s *= 2;
        }
    }

    /**
     * The total size in bytes of the recovery files {@link #write} would write for files of these names and sizes,
     * with a slice size it chooses ({@code sliceSize} 0): what a medium must leave room for (the index file, and per
     * recovery file a copy of the index, its recovery slices and the Creator packet).
     *
     * @param files         file name ({@code /}-separated, as given to {@link #write}) to its size in bytes
     * @param percent       1 to 100
     * @param maxFileBytes  as given to {@link #write}
     * @throws IllegalArgumentException on a bad percent or no files
     */
    public static long sizeOf(java.util.Map<String, Long> files, int percent, long maxFileBytes) {
        if (percent < 1 || percent > 100) {
            throw new IllegalArgumentException("recovery percentage must be 1 to 100: " + percent);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no files to protect");
        }
        long[] sizes = files.values().stream().mapToLong(Long::longValue).toArray();
        long s = sliceSizeFor(sizes);
        long inputs = 0;
        long index = Packets.HEADER + 12 + 16L * files.size();
        for (var f : files.entrySet()) {
            int slices = SourceFile.slices(f.getValue(), s);
            inputs += slices;
            index += Packets.HEADER + 56 + Packets.padded(f.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8)).length;
            index += Packets.HEADER + 16 + 20L * slices;
        }
        long count = Math.max(1, Math.min(Gf16.ORDER - 1, (inputs * percent + 99) / 100));
        long creator = Packets.HEADER + Packets.padded(Packets.ascii(CREATOR)).length;
        long perFile = Math.max(1, Math.min(count, maxFileBytes / (s + 68)));
        long fileCount = (count + perFile - 1) / perFile;
        return (index + creator) * (1 + fileCount) + count * (Packets.HEADER + 4 + s);
    }

    /** Main, then per file its File Description and IFSC packets; returns the size (and fills {@code into}). */
    private static int critical(byte[] setId, byte[] mainBody, List<SourceFile> files, ByteBuffer into) {
        List<byte[]> packets = new ArrayList<>();
        packets.add(Packets.packet(setId, Packets.MAIN, mainBody));
        for (SourceFile f : files) {
            packets.add(Packets.packet(setId, Packets.FILE_DESC, f.descriptionBody()));
            packets.add(Packets.packet(setId, Packets.IFSC, f.checksumBody()));
        }
        int size = 0;
        for (byte[] p : packets) {
            size += p.length;
            if (into != null) {
                into.put(p);
            }
        }
        return size;
    }

    /**
     * The passes: for each column range of the slices, every input slice's range once, multiplied into every
     * recovery slice's range (the recovery slices split among threads), then the ranges written in place.
     */
    private static void encode(Path baseDir, List<SourceFile> files, long s, int inputs, int count,
                               FileChannel[] channels, int[] fileOf, long[] dataAt, long memoryBytes,
                               Progress progress) throws IOException {
        int[] constants = Gf16.inputConstants(inputs);
        int width = columnWidth(s, count, memoryBytes);
        char[][] acc = new char[count][width / 2];
        byte[] raw = new byte[width];
        char[] words = new char[width / 2];
        int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), count));
        long passes = (s + width - 1) / width;
        progress.begin("compute recovery data", passes * inputs * (long) Math.min(width, s));
        FileChannel[] in = new FileChannel[files.size()];
        try {
            for (int f = 0; f < files.size(); f++) {
                in[f] = FileChannel.open(baseDir.resolve(files.get(f).name()), StandardOpenOption.READ);
            }
            for (long col = 0; col < s; col += width) {
                int len = (int) Math.min(width, s - col);
                for (char[] a : acc) {
                    Arrays.fill(a, 0, len / 2, (char) 0);
                }
                int i = 0;
                for (int f = 0; f < files.size(); f++) {
                    SourceFile sf = files.get(f);
                    for (int k = 0; k < sf.sliceMd5().length; k++, i++) {
                        readColumn(in[f], sf.length(), k * s + col, raw, len, sf.name());
                        toWords(raw, words, len);
                        int c = constants[i];
                        int wordsLen = len / 2;
                        if (threads == 1 || (long) count * wordsLen < 65536) {
                            multiplyInto(c, 0, count, words, acc, wordsLen);
                        } else {
                            IntStream.range(0, threads).parallel().forEach(t -> multiplyInto(c,
                                    (int) ((long) count * t / threads), (int) ((long) count * (t + 1) / threads),
                                    words, acc, wordsLen));
                        }
                        progress.advance(len);
                    }
                }
                for (int e = 0; e < count; e++) {
                    toBytes(acc[e], raw, len);
                    writeAt(channels[fileOf[e]], dataAt[e] + col, ByteBuffer.wrap(raw, 0, len));
                }
            }
        } finally {
            progress.end();
            for (FileChannel ch : in) {
                if (ch != null) {
                    ch.close();
                }
            }
        }
    }

    private static void multiplyInto(int c, int from, int to, char[] words, char[][] acc, int n) {
        int[] table = new int[512];
        for (int e = from; e < to; e++) {
            Gf16.mulAdd(Gf16.productTable(Gf16.pow(c, e), table), words, acc[e], n);
        }
    }

    /** Bytes of each slice per pass: as much as the memory bound allows, a multiple of 4, at most the slice. */
    static int columnWidth(long sliceSize, int slices, long memoryBytes) {
        long w = Math.max(4, memoryBytes / 2 / Math.max(1, slices) / 4 * 4);
        return (int) Math.min(Math.min(sliceSize, w), 64L << 20);
    }

    /** Reads {@code len} bytes at {@code pos}, zeros past the end of the file. */
    static void readColumn(FileChannel ch, long length, long pos, byte[] raw, int len, String name) throws IOException {
        int have = (int) Math.max(0, Math.min(len, length - pos));
        ByteBuffer b = ByteBuffer.wrap(raw, 0, have);
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) {
                throw new IOException(name + " is shorter than when it was hashed");
            }
        }
        Arrays.fill(raw, have, len, (byte) 0);
    }

    static void toWords(byte[] raw, char[] words, int len) {
        for (int k = 0, b = 0; b < len; k++, b += 2) {
            words[k] = (char) ((raw[b] & 0xff) | (raw[b + 1] & 0xff) << 8);
        }
    }

    static void toBytes(char[] words, byte[] raw, int len) {
        for (int k = 0, b = 0; b < len; k++, b += 2) {
            raw[b] = (byte) words[k];
            raw[b + 1] = (byte) (words[k] >>> 8);
        }
    }

    /** Computes the packet's MD5 (recovery set id to the end of its data) and writes it into its header. */
    private static void sealRecoveryPacket(FileChannel ch, long dataAt, long s, byte[] setId, int exponent)
            throws IOException {
        MessageDigest d = Packets.md5();
        d.update(setId);
        d.update(Packets.RECOVERY_SLICE);
        d.update(Packets.le(4).putInt(exponent).array());
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(s, 1 << 20));
        for (long pos = dataAt; pos < dataAt + s; ) {
            b.clear().limit((int) Math.min(b.capacity(), dataAt + s - pos));
            int r = ch.read(b, pos);
            if (r <= 0) {
                throw new IOException("recovery file shorter than written");
            }
            d.update(b.array(), 0, r);
            pos += r;
        }
        writeAt(ch, dataAt - 4 - Packets.HEADER + 16, ByteBuffer.wrap(d.digest()));
    }

    private static void writeNew(Path file, byte[]... parts) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long pos = 0;
            for (byte[] p : parts) {
                pos = writeAt(ch, pos, p);
            }
            ch.force(true);
        }
    }

    private static long writeAt(FileChannel ch, long pos, byte[] bytes) throws IOException {
        return writeAt(ch, pos, ByteBuffer.wrap(bytes));
    }

    private static long writeAt(FileChannel ch, long pos, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            pos += ch.write(b, pos);
        }
        return pos;
    }
}
