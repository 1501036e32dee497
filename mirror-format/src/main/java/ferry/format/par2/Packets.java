package ferry.format.par2;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * PAR 2.0 packets (specification, "Packet Header" and "Core Packets"). Every packet is a 64-byte header and a body
 * whose length is a multiple of 4; integers are little-endian:
 * <pre>
 * header: magic "PAR2\0PKT" (8) | length of the whole packet (8) | MD5 of bytes 32..end (16)
 *         | recovery set id (16) | type (16)
 * Main      body: slice size (8) | number of recovery-set files (4) | their file ids, sorted (16 each)
 * FileDesc  body: file id (16) | MD5 of the file (16) | MD5 of its first 16 KiB (16) | length (8) | name, NUL-padded to 4
 * IFSC      body: file id (16) | per slice: MD5 (16) and CRC-32 (4) of the slice, the last one zero-padded
 * RecvSlic  body: exponent (4) | recovery data (slice size)
 * Creator   body: client name, NUL-padded to 4
 * </pre>
 * The recovery set id is the MD5 of the Main packet's body; a file id is the MD5 of (MD5 of the first 16 KiB,
 * length, name).
 */
final class Packets {
    private Packets() { }

    static final int HEADER = 64;
    static final byte[] MAGIC = ascii("PAR2\0PKT");
    static final byte[] MAIN = ascii("PAR 2.0\0Main\0\0\0\0");
    static final byte[] FILE_DESC = ascii("PAR 2.0\0FileDesc");
    static final byte[] IFSC = ascii("PAR 2.0\0IFSC\0\0\0\0");
    static final byte[] RECOVERY_SLICE = ascii("PAR 2.0\0RecvSlic");
    static final byte[] CREATOR = ascii("PAR 2.0\0Creator\0");
    /** Bytes of a file hashed for its 16 KiB MD5. */
    static final int HASH_16K = 16384;

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has MD5", e);
        }
    }

    static byte[] md5(byte[] b, int off, int len) {
        MessageDigest d = md5();
        d.update(b, off, len);
        return d.digest();
    }

    static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A whole packet: header computed over {@code body}. */
    static byte[] packet(byte[] setId, byte[] type, byte[] body) {
        if (body.length % 4 != 0) {
            throw new IllegalArgumentException("packet body not a multiple of 4 bytes: " + body.length);
        }
        ByteBuffer b = le(HEADER + body.length);
        b.put(MAGIC).putLong(HEADER + body.length).put(new byte[16]).put(setId).put(type).put(body);
        byte[] out = b.array();
        System.arraycopy(md5(out, 32, out.length - 32), 0, out, 16, 16);
        return out;
    }

    /** {@code s} as bytes, NUL-padded to a multiple of 4. */
    static byte[] padded(byte[] s) {
        return Arrays.copyOf(s, (s.length + 3) / 4 * 4);
    }

    /** Compares file ids as 128-bit little-endian integers, the order of the Main packet (as par2cmdline sorts). */
    static int compareIds(byte[] a, byte[] b) {
        for (int i = 15; i >= 0; i--) {
            int c = Integer.compare(a[i] & 0xff, b[i] & 0xff);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
