package ferry.apt.publish;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;

/**
 * One index of a published suite (e.g. {@code main/binary-amd64/Packages}) in the three forms apt may fetch: plain,
 * {@code .gz} and {@code .xz}, each with the SHA-256 and size the Release file lists.
 */
public final class IndexFiles {

    /**
     * One form of an index: its path below {@code dists/<suite>/}, bytes, lower-case hex SHA-256. Equal to another
     * when path, digest and bytes are equal (a record compares arrays by identity).
     */
    public record IndexFile(String path, byte[] bytes, String sha256) {
        public long size() {
            return bytes.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof IndexFile f && Objects.equals(path, f.path) && Objects.equals(sha256, f.sha256)
                    && Arrays.equals(bytes, f.bytes);
        }

        /** Over path and digest only: equal bytes have equal digests, and hashing them again would cost a pass. */
        @Override
        public int hashCode() {
            return Objects.hash(path, sha256);
        }

        @Override
        public String toString() {
            return "IndexFile[path=" + path + ", " + (bytes == null ? "null" : bytes.length + " bytes")
                    + ", sha256=" + sha256 + "]";
        }
    }

    /**
     * xz preset 0, not the default 6: every import compresses every index of the snapshot again, and preset 6 took
     * about five times as long (the largest single cost of publishing 3,000 packages, docs/benchmarks.md, APT) for a
     * file about a fifth smaller; the result is still smaller than the gzip form, and apt clients on a site network
     * barely notice the difference.
     */
    static final int XZ_PRESET = 0;

    private IndexFiles() {
    }

    /**
     * @param path  the plain index's path below {@code dists/<suite>/}, e.g. {@code main/binary-amd64/Packages}
     * @param plain the plain index's bytes
     * @return the plain, gzip and xz forms, by path, in that order
     */
    public static Map<String, IndexFile> of(String path, byte[] plain) {
        Map<String, IndexFile> out = new LinkedHashMap<>();
        out.put(path, file(path, plain));
        try {
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            try (OutputStream o = new GZIPOutputStream(gz)) {
                o.write(plain);
            }
            out.put(path + ".gz", file(path + ".gz", gz.toByteArray()));
            ByteArrayOutputStream xz = new ByteArrayOutputStream();
            try (OutputStream o = new XZCompressorOutputStream(xz, XZ_PRESET)) {
                o.write(plain);
            }
            out.put(path + ".xz", file(path + ".xz", xz.toByteArray()));
        } catch (IOException e) {
            throw new IllegalStateException("compressing in memory failed", e);
        }
        return out;
    }

    private static IndexFile file(String path, byte[] bytes) {
        return new IndexFile(path, bytes, sha256(bytes));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
