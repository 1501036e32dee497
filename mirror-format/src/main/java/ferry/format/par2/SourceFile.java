package ferry.format.par2;

import ferry.format.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.zip.CRC32;

/**
 * One file of a recovery set as PAR 2.0 describes it (File Description and IFSC packets): its name relative to the
 * set's base directory ({@code /}-separated), length in bytes, MD5 of the whole file and of its first 16 KiB, file
 * id, and the MD5 and CRC-32 of each slice (the last one zero-padded to the slice size). Never compared: its arrays
 * compare by identity (compare {@link #fileId()} contents to tell files apart).
 */
record SourceFile(String name, long length, byte[] md5, byte[] md5First16k, byte[] fileId, byte[][] sliceMd5,
                  int[] sliceCrc) {

    /** Number of slices of a file of {@code length} bytes. */
    static int slices(long length, long sliceSize) {
        long n = (length + sliceSize - 1) / sliceSize;
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many slices: " + n);
        }
        return (int) n;
    }

    /** The file id: MD5 of (MD5 of the first 16 KiB, length as 8 little-endian bytes, name). */
    static byte[] fileId(byte[] md5First16k, long length, byte[] name) {
        ByteBuffer b = Packets.le(16 + 8 + name.length);
        b.put(md5First16k).putLong(length).put(name);
        return Packets.md5(b.array(), 0, b.capacity());
    }

    /** Reads {@code file} once and computes every hash PAR 2.0 stores for it. */
    static SourceFile hash(Path file, String name, long sliceSize, Progress progress) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(file + " is not a regular file");
        }
        long length = Files.size(file);
        int n = slices(length, sliceSize);
        byte[][] sliceMd5 = new byte[n][];
        int[] sliceCrc = new int[n];
        MessageDigest whole = Packets.md5();
        MessageDigest first = Packets.md5();
        MessageDigest slice = Packets.md5();
        CRC32 crc = new CRC32();
        byte[] buf = new byte[1 << 20];
        long pos = 0;
        int index = 0;
        long inSlice = 0;
        try (InputStream in = Files.newInputStream(file)) {
            int r;
            while ((r = in.read(buf)) > 0) {
                if (pos + r > length) {
                    throw new IOException(file + " grew while it was read");
                }
                whole.update(buf, 0, r);
                if (pos < Packets.HASH_16K) {
                    first.update(buf, 0, (int) Math.min(r, Packets.HASH_16K - pos));
                }
                int off = 0;
                while (off < r) {
                    int take = (int) Math.min(r - off, sliceSize - inSlice);
                    slice.update(buf, off, take);
                    crc.update(buf, off, take);
                    off += take;
                    inSlice += take;
                    if (inSlice == sliceSize) {
                        sliceMd5[index] = slice.digest();
                        sliceCrc[index++] = (int) crc.getValue();
                        crc.reset();
                        inSlice = 0;
                    }
                }
                pos += r;
                progress.advance(r);
            }
        }
        if (pos != length) {
            throw new IOException(file + " changed size while it was read");
        }
        if (inSlice > 0) {
            byte[] zeros = new byte[(int) Math.min(sliceSize - inSlice, buf.length)];
            for (long pad = sliceSize - inSlice; pad > 0; pad -= zeros.length) {
                int take = (int) Math.min(pad, zeros.length);
                slice.update(zeros, 0, take);
                crc.update(zeros, 0, take);
            }
            sliceMd5[index] = slice.digest();
            sliceCrc[index++] = (int) crc.getValue();
        }
        byte[] md5First16k = first.digest();
        return new SourceFile(name, length, whole.digest(), md5First16k,
                fileId(md5First16k, length, name.getBytes(StandardCharsets.UTF_8)), sliceMd5, sliceCrc);
    }

    /** The File Description packet body. */
    byte[] descriptionBody() {
        byte[] n = Packets.padded(name.getBytes(StandardCharsets.UTF_8));
        ByteBuffer b = Packets.le(16 + 16 + 16 + 8 + n.length);
        b.put(fileId).put(md5).put(md5First16k).putLong(length).put(n);
        return b.array();
    }

    /** The IFSC packet body. */
    byte[] checksumBody() {
        ByteBuffer b = Packets.le(16 + 20 * sliceMd5.length);
        b.put(fileId);
        for (int i = 0; i < sliceMd5.length; i++) {
            b.put(sliceMd5[i]).putInt(sliceCrc[i]);
        }
        return b.array();
    }
}
