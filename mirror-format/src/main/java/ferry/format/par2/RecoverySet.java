package ferry.format.par2;

import ferry.format.Hex;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The packets of one PAR 2.0 recovery set read from any number of (possibly damaged, possibly half-written) PAR 2.0
 * files: every packet whose MD5 checks is used, anything else is skipped, so copies of the index packets in each
 * recovery file make up for a lost index file. Recovery slices stay on disk; only their place is kept.
 */
final class RecoverySet {
    /** Packets other than recovery slices above this size are skipped as implausible (64 MiB). */
    private static final long MAX_PACKET = 64L << 20;

    // one File Description packet as read; never compared (its arrays compare by identity)
    record Description(byte[] fileId, byte[] md5, byte[] md5First16k, long length, String name) { }

    record Slice(Path file, long dataAt, int exponent) { }

    final long sliceSize;
    final List<byte[]> fileIds;
    final Map<String, Description> descriptions;
    final Map<String, byte[][]> sliceMd5;
    final List<Slice> recovery;

    private RecoverySet(long sliceSize, List<byte[]> fileIds, Map<String, Description> descriptions,
                        Map<String, byte[][]> sliceMd5, List<Slice> recovery) {
        this.sliceSize = sliceSize;
        this.fileIds = fileIds;
        this.descriptions = descriptions;
        this.sliceMd5 = sliceMd5;
        this.recovery = recovery;
    }

    /** Reads every packet of {@code files} and keeps the recovery set with a Main packet and the most packets. */
    static RecoverySet read(List<Path> files) throws IOException, RecoveryException {
        Map<String, Collected> sets = new LinkedHashMap<>();
        for (Path f : files) {
            scan(f, sets);
        }
        Collected best = null;
        for (Collected c : sets.values()) {
            if (c.mainBody != null && (best == null || c.packets > best.packets)) {
                best = c;
            }
        }
        if (best == null) {
            throw new RecoveryException(files.isEmpty() ? "no PAR 2.0 recovery files found"
                    : "no usable Main packet in the recovery files (" + files.size() + " file(s) read)");
        }
        ByteBuffer m = ByteBuffer.wrap(best.mainBody).order(ByteOrder.LITTLE_ENDIAN);
        long s = m.getLong();
        long n = m.getInt() & 0xffffffffL;
        if (s <= 0 || s % 4 != 0 || n < 1 || 12 + 16 * n > best.mainBody.length) {
            throw new RecoveryException("Main packet malformed: slice size " + s + ", " + n + " file(s)");
        }
        List<byte[]> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] id = new byte[16];
            m.get(id);
            ids.add(id);
        }
        for (byte[] id : ids) {
            Description d = best.descriptions.get(Hex.lower(id));
            if (d == null) {
                throw new RecoveryException("no File Description packet for file id " + Hex.lower(id));
            }
            try {
                RecoveryFiles.checkName(d.name());
            } catch (IllegalArgumentException e) {
                throw new RecoveryException(e.getMessage());
            }
        }
        List<Slice> slices = new ArrayList<>();
        boolean[] seen = new boolean[Gf16.ORDER];
        for (Slice sl : best.recovery) {
            if (sl.exponent() >= 0 && sl.exponent() < Gf16.ORDER && !seen[sl.exponent()]) {
                seen[sl.exponent()] = true;
                slices.add(sl);
            }
        }
        final Collected chosen = best;
        slices.removeIf(sl -> chosen.lengthOf.get(sl) != s);
        return new RecoverySet(s, ids, best.descriptions, best.sliceMd5, slices);
    }

    private static final class Collected {
        byte[] mainBody;
        int packets;
        final Map<String, Description> descriptions = new HashMap<>();
        final Map<String, byte[][]> sliceMd5 = new HashMap<>();
        final List<Slice> recovery = new ArrayList<>();
        final Map<Slice, Long> lengthOf = new HashMap<>();
    }

    private static void scan(Path file, Map<String, Collected> sets) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long pos = 0;
            ByteBuffer h = ByteBuffer.allocate(Packets.HEADER).order(ByteOrder.LITTLE_ENDIAN);
            while (pos + Packets.HEADER <= size) {
                h.clear();
                readFully(ch, h, pos);
                byte[] hb = h.array();
                long len = h.getLong(8);
                if (!Arrays.equals(hb, 0, 8, Packets.MAGIC, 0, 8) || len < Packets.HEADER || len % 4 != 0
                        || len > size - pos) {
                    pos = nextMagic(ch, pos + 4, size);
                    continue;
                }
                byte[] setId = Arrays.copyOfRange(hb, 32, 48);
                byte[] type = Arrays.copyOfRange(hb, 48, 64);
                boolean recoverySlice = Arrays.equals(type, Packets.RECOVERY_SLICE);
                if ((!recoverySlice && len > MAX_PACKET) || !md5Matches(ch, pos, len, hb)) {
                    pos = nextMagic(ch, pos + 4, size);
                    continue;
                }
                Collected c = sets.computeIfAbsent(Hex.lower(setId), k -> new Collected());
                c.packets++;
                if (recoverySlice) {
                    if (len >= Packets.HEADER + 4) {
                        ByteBuffer e = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
                        readFully(ch, e, pos + Packets.HEADER);
                        Slice sl = new Slice(file, pos + Packets.HEADER + 4, e.getInt(0));
                        c.recovery.add(sl);
                        c.lengthOf.put(sl, len - Packets.HEADER - 4);
                    }
                } else {
                    ByteBuffer body = ByteBuffer.allocate((int) (len - Packets.HEADER)).order(ByteOrder.LITTLE_ENDIAN);
                    readFully(ch, body, pos + Packets.HEADER);
                    parse(type, body.array(), c);
                }
                pos += len;
            }
        }
    }

    /** The next 4-aligned position at or after {@code from} holding the packet magic, or {@code size}. */
    private static long nextMagic(FileChannel ch, long from, long size) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1 << 20);
        for (long base = from; base + 8 <= size; base += b.capacity() - 8) {
            b.clear().limit((int) Math.min(b.capacity(), size - base));
            readFully(ch, b, base);
            byte[] a = b.array();
            for (int i = 0; i + 8 <= b.limit(); i += 4) {
                if (a[i] == 'P' && Arrays.equals(a, i, i + 8, Packets.MAGIC, 0, 8)) {
                    return base + i;
                }
            }
        }
        return size;
    }

    private static void parse(byte[] type, byte[] body, Collected c) {
        ByteBuffer b = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
        if (Arrays.equals(type, Packets.MAIN)) {
            if (body.length >= 12) {
                c.mainBody = body;
            }
        } else if (Arrays.equals(type, Packets.FILE_DESC)) {
            if (body.length >= 56) {
                byte[] id = new byte[16];
                byte[] md5 = new byte[16];
                byte[] first = new byte[16];
                b.get(id).get(md5).get(first);
                long length = b.getLong();
                int end = body.length;
                while (end > 56 && body[end - 1] == 0) {
                    end--;
                }
                String name = new String(body, 56, end - 56, StandardCharsets.UTF_8);
                if (length >= 0) {
                    c.descriptions.put(Hex.lower(id), new Description(id, md5, first, length, name));
                }
            }
        } else if (Arrays.equals(type, Packets.IFSC)) {
            if (body.length >= 16 && (body.length - 16) % 20 == 0) {
                byte[] id = new byte[16];
                b.get(id);
                byte[][] md5s = new byte[(body.length - 16) / 20][16];
                for (byte[] md5 : md5s) {
                    b.get(md5);
                    b.getInt();
                }
                c.sliceMd5.put(Hex.lower(id), md5s);
            }
        }
    }

    private static boolean md5Matches(FileChannel ch, long pos, long len, byte[] header) throws IOException {
        MessageDigest d = Packets.md5();
        d.update(header, 32, 32);
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(1 << 20, Math.max(1, len - Packets.HEADER)));
        for (long p = pos + Packets.HEADER; p < pos + len; ) {
            b.clear().limit((int) Math.min(b.capacity(), pos + len - p));
            int r = ch.read(b, p);
            if (r <= 0) {
                return false;
            }
            d.update(b.array(), 0, r);
            p += r;
        }
        return MessageDigest.isEqual(d.digest(), Arrays.copyOfRange(header, 16, 32));
    }

    static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int r = ch.read(b, pos + b.position());
            if (r < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }
}
