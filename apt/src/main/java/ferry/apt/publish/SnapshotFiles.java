package ferry.apt.publish;

import ferry.format.pgp.ClearSigned;
import ferry.format.pgp.DetachedSignatures;
import ferry.format.pgp.SigningKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The files below {@code dists/} of one published snapshot: for each suite its Packages indexes in three forms
 * ({@link IndexFiles}), its {@code Release} ({@link ReleaseWriter}, with {@code Acquire-By-Hash: yes}), and that
 * Release signed with the site's repository key as {@code InRelease} (clearsigned) and {@code Release.gpg}
 * (detached), OpenPGP v4 signatures over SHA-256.
 */
public final class SnapshotFiles {
    /**
     * One file: its path below {@code dists/} (e.g. {@code stable/main/binary-amd64/Packages.xz}), bytes, SHA-256.
     * Equal to another when path, digest and bytes are equal (a record compares arrays by identity).
     */
    public record File(String path, byte[] bytes, String sha256) {
        public long size() {
            return bytes.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof File f && Objects.equals(path, f.path) && Objects.equals(sha256, f.sha256)
                    && Arrays.equals(bytes, f.bytes);
        }

        /** Over path and digest only: equal bytes have equal digests, and hashing them again would cost a pass. */
        @Override
        public int hashCode() {
            return Objects.hash(path, sha256);
        }

        @Override
        public String toString() {
            return "File[path=" + path + ", " + (bytes == null ? "null" : bytes.length + " bytes")
                    + ", sha256=" + sha256 + "]";
        }
    }

    /**
     * One suite to publish: an input, never compared (its {@code indexes} arrays compare by identity).
     *
     * @param name    the suite's directory below {@code dists/}
     * @param release what its Release says about it
     * @param indexes plain Packages bytes by path below {@code dists/<name>/}, e.g. {@code main/binary-amd64/Packages}
     */
    public record Suite(String name, ReleaseWriter.Suite release, Map<String, byte[]> indexes) {
    }

    private SnapshotFiles() {
    }

    /**
     * @param date       the snapshot's {@code Date} (UTC)
     * @param validUntil its {@code Valid-Until}, if any
     * @return every file of every suite, each suite's indexes first, then Release, InRelease, Release.gpg
     */
    public static List<File> of(List<Suite> suites, SigningKey key, Instant date, Optional<Instant> validUntil) {
        List<File> out = new ArrayList<>();
        for (Suite s : suites) {
            List<IndexFiles.IndexFile> indexes = new ArrayList<>();
            for (Map.Entry<String, byte[]> e : s.indexes().entrySet()) {
                indexes.addAll(IndexFiles.of(e.getKey(), e.getValue()).values());
            }
            for (IndexFiles.IndexFile f : indexes) {
                out.add(new File(s.name() + "/" + f.path(), f.bytes(), f.sha256()));
            }
            String release = ReleaseWriter.write(s.release(), date, validUntil, indexes);
            byte[] releaseBytes = release.getBytes(StandardCharsets.UTF_8);
            out.add(file(s.name() + "/Release", releaseBytes));
            out.add(file(s.name() + "/InRelease", ClearSigned.sign(key, release).getBytes(StandardCharsets.UTF_8)));
            out.add(file(s.name() + "/Release.gpg", DetachedSignatures.sign(key, releaseBytes).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static File file(String path, byte[] bytes) {
        return new File(path, bytes, IndexFiles.sha256(bytes));
    }
}
