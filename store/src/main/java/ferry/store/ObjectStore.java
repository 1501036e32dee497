package ferry.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Content-addressed files: {@code objects/sha256/<first 2 hex>/<64 hex>}, staged in {@code tmp/}.
 * An object only ever appears under its final name complete, synced and checked.
 */
final class ObjectStore {
    private static final int BUFFER = 1 << 16;

    private final Path objects;
    private final Path tmp;

    ObjectStore(Path storeDir) {
        this.objects = storeDir.resolve("objects").resolve("sha256");
        this.tmp = storeDir.resolve("tmp");
    }

    /** Creates the directories and removes what an interrupted run left in {@code tmp/}. */
    void prepare() throws IOException {
        Files.createDirectories(objects);
        Files.createDirectories(tmp);
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(tmp)) {
            for (Path p : leftovers) {
                Files.deleteIfExists(p);
            }
        }
    }

    Path path(String sha256) {
        String hex = Ids.sha256(sha256, "object");
        return objects.resolve(hex.substring(0, 2)).resolve(hex);
    }

    boolean has(String sha256) {
        return Files.isRegularFile(path(sha256));
    }

    Path put(InputStream in, String expectedSha256, long expectedSize) {
        String hex = Ids.sha256(expectedSha256, "object");
        if (expectedSize < 0) {
            throw new StoreException("object " + hex + ": negative size " + expectedSize);
        }
        Path target = path(hex);
        if (Files.isRegularFile(target)) {
            touch(target);
            return target;
        }
        Path staged = tmp.resolve(hex + "." + UUID.randomUUID() + ".part");
        try {
            MessageDigest digest = sha256Digest();
            long written = 0;
            try (FileChannel out = FileChannel.open(staged, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                byte[] buf = new byte[BUFFER];
                for (int n; (n = in.read(buf)) != -1; ) {
                    written += n;
                    // Stop at the first byte too many rather than letting a bad stream fill the disk.
                    if (written > expectedSize) {
                        throw new StoreException("object " + hex + ": more than the expected " + expectedSize + " bytes");
                    }
                    digest.update(buf, 0, n);
                    ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                    while (bb.hasRemaining()) {
                        out.write(bb);
                    }
                }
                out.force(true);
            }
            if (written != expectedSize) {
                throw new StoreException("object " + hex + ": " + written + " bytes, expected " + expectedSize);
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(hex)) {
                throw new StoreException("object " + hex + ": content has SHA-256 " + actual);
            }
            Files.createDirectories(target.getParent());
            move(staged, target);
            syncDirectory(target.getParent());
            return target;
        } catch (IOException e) {
            throw new StoreException("object " + hex + ": cannot store: " + e, e);
        } finally {
            try {
                Files.deleteIfExists(staged);
            } catch (IOException ignored) {
                // Left for the next open to clean.
            }
        }
    }

    InputStream open(String sha256) {
        Path p = path(sha256);
        try {
            return Files.newInputStream(p);
        } catch (NoSuchFileException e) {
            throw new StoreException("object " + Ids.sha256(sha256, "object") + " is not in the store");
        } catch (IOException e) {
            throw new StoreException("object " + sha256 + ": cannot read: " + e, e);
        }
    }

    /**
     * Deletes objects for which {@code referenced} is false and that were last modified before {@code before}.
     * Returns how many were deleted.
     */
    int deleteUnreferenced(Predicate<String> referenced, Instant before) throws IOException {
        int deleted = 0;
        try (DirectoryStream<Path> prefixes = Files.newDirectoryStream(objects)) {
            for (Path prefix : prefixes) {
                if (!Files.isDirectory(prefix)) {
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(prefix)) {
                    for (Path f : files) {
                        String name = f.getFileName().toString();
                        if (!name.matches("[0-9a-f]{64}") || referenced.test(name)) {
                            continue;
                        }
                        if (Files.getLastModifiedTime(f).toInstant().isBefore(before)) {
                            Files.deleteIfExists(f);
                            deleted++;
                        }
                    }
                }
            }
        }
        return deleted;
    }

    private static void move(Path staged, Path target) throws IOException {
        try {
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            // Another thread stored the same content first: same name, same bytes.
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system cannot rename atomically inside the store", e);
        }
    }

    // Recently used objects look new to garbage collection, which spares objects an import is about to reuse.
    private static void touch(Path p) {
        try {
            Files.setLastModifiedTime(p, FileTime.from(Instant.now()));
        } catch (IOException ignored) {
            // Only garbage collection looks at the time.
        }
    }

    // Makes the rename itself durable; not every platform lets a directory be opened for this.
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Best effort (Windows cannot open directories).
        }
    }

    static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }
}
