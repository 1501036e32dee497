package ferry.store;

import ferry.format.CrashPoints;
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
import java.nio.file.LinkOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Content-addressed files: {@code objects/sha256/<first 2 hex>/<64 hex>}, staged in {@code tmp/}, damaged ones
 * moved to {@code quarantine/}. An object only ever appears under its final name complete, synced and checked.
 * Deleting is for the import journal to decide ({@link ImportJournal}).
 */
final class ObjectStore {
    private static final int BUFFER = 1 << 16;
    /** Bytes written between background flushes of a large object. */
    private static final long FLUSH_STEP = 32L << 20;
    /**
     * Flushes large objects to disk while they are still being written, so that the sync an object needs before it
     * becomes visible finds little left to do: disk writes overlap the hashing and copying instead of following
     * them (with gigabytes of RAM, the kernel would otherwise hold a whole update file dirty until that sync).
     */
    private static final ExecutorService FLUSHER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ferry-store-flush");
        t.setDaemon(true);
        return t;
    });

    private static final Pattern NAME = Pattern.compile("[0-9a-f]{64}");

    private final Path storeDir;
    private final Path objects;
    private final Path tmp;
    private final Path quarantine;

    ObjectStore(Path storeDir) {
        this.storeDir = storeDir;
        this.objects = storeDir.resolve("objects").resolve("sha256");
        this.tmp = storeDir.resolve("tmp");
        this.quarantine = storeDir.resolve("quarantine");
    }

    /** {@code objects/sha256/}. */
    Path directory() {
        return objects;
    }

    /** Whether {@code objects/} holds any file at all: evidence that a store lives here. */
    boolean anyFile() throws IOException {
        Path root = storeDir.resolve("objects");
        if (!Files.isDirectory(root)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.anyMatch(Files::isRegularFile);
        }
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

    /**
     * Stores {@code in} as the object {@code expectedSha256}, durably: staged, hashed, synced, renamed into place and
     * the rename synced. Returns at once if the object is present.
     */
    Path put(InputStream in, String expectedSha256, long expectedSize) {
        String hex = Ids.sha256(expectedSha256, "object");
        if (expectedSize < 0) {
            throw new StoreException("object " + hex + ": negative size " + expectedSize);
        }
        Path target = path(hex);
        if (Files.isRegularFile(target)) {
            return target;
        }
        Staged s = stage(in, hex, expectedSize, true);
        place(s);
        syncDirectory(target.getParent());
        return target;
    }

    /**
     * An object written to {@code tmp/} and checked, not yet synced nor visible: {@link #place} finishes it. Holds
     * the open file, so that {@link #place} syncs what was written without opening it again.
     */
    static final class Staged {
        final String hex;
        final long size;
        final Path file;
        final Path target;
        private final FileChannel out;
        private final Future<?> flushing;

        private Staged(String hex, long size, Path file, Path target, FileChannel out, Future<?> flushing) {
            this.hex = hex;
            this.size = size;
            this.file = file;
            this.target = target;
            this.out = out;
            this.flushing = flushing;
        }
    }

    /**
     * Writes {@code in} to a new file in {@code tmp/}, checking its size and, if {@code hash}, its SHA-256. Large
     * objects are flushed in the background while written. With {@code hash} false the caller vouches for the
     * digest: {@code in} must reach end of file only after its source checked that exactly the bytes it gave have
     * SHA-256 {@code hex}, and must throw an IOException otherwise (then nothing is left behind).
     *
     * @throws StoreFullException if the file system has no room (checked first, and on a full disk while writing)
     * @throws StoreException     on a size or digest mismatch, or an I/O error; nothing is left behind
     */
    Staged stage(InputStream in, String hex, long expectedSize, boolean hash) {
        if (expectedSize < 0) {
            throw new StoreException("object " + hex + ": negative size " + expectedSize);
        }
        long free = DiskSpace.usable(tmp);
        if (free >= 0 && expectedSize > free) {
            throw new StoreFullException(storeDir, expectedSize, free, "object " + hex, null);
        }
        Path staged = tmp.resolve(hex + "." + UUID.randomUUID() + ".part");
        FileChannel out = null;
        Future<?> flushing = null;
        boolean done = false;
        try {
            MessageDigest digest = hash ? sha256Digest() : null;
            long written = 0;
            out = FileChannel.open(staged, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            FileChannel ch = out;
            // Small objects (update metadata) get a small buffer: an import writes tens of thousands of them.
            byte[] buf = new byte[(int) Math.min(BUFFER, expectedSize + 1)];
            long flushedAt = 0;
            for (int n; (n = in.read(buf)) != -1; ) {
                written += n;
                // Stop at the first byte too many rather than letting a bad stream fill the disk.
                if (written > expectedSize) {
                    throw new StoreException("object " + hex + ": more than the expected " + expectedSize + " bytes");
                }
                if (digest != null) {
                    digest.update(buf, 0, n);
                }
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                while (bb.hasRemaining()) {
                    out.write(bb);
                }
                if (written - flushedAt >= FLUSH_STEP && (flushing == null || flushing.isDone())) {
                    finish(flushing);
                    flushedAt = written;
                    flushing = FLUSHER.submit(() -> {
                        ch.force(false);
                        return null;
                    });
                }
            }
            if (written != expectedSize) {
                throw new StoreException("object " + hex + ": " + written + " bytes, expected " + expectedSize);
            }
            if (digest != null) {
                String actual = HexFormat.of().formatHex(digest.digest());
                if (!actual.equals(hex)) {
                    throw new StoreException("object " + hex + ": content has SHA-256 " + actual);
                }
            }
            done = true;
            return new Staged(hex, expectedSize, staged, path(hex), out, flushing);
        } catch (IOException e) {
            closeQuietly(out, flushing);
            out = null;
            deleteQuietly(staged);
            throw failure(hex, expectedSize, e);
        } finally {
            if (!done) {
                closeQuietly(out, flushing);
                deleteQuietly(staged);
            }
        }
    }

    /**
     * Syncs a staged object and renames it into place; the rename is durable only once the caller has synced
     * {@code target}'s directory ({@link #syncDirectory}). Safe to call from another thread than {@link #stage}.
     *
     * @return whether {@code target}'s directory was created (its parent then needs a sync as well)
     * @throws StoreFullException, StoreException as {@link #stage}; the staged file is deleted
     */
    boolean place(Staged s) {
        boolean created = false;
        try {
            try (FileChannel out = s.out) {
                finish(s.flushing);
                out.force(true);
            }
            Path dir = s.target.getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                created = true;
            }
            move(s.file, s.target);
            CrashPoints.reached("store.object");
            return created;
        } catch (IOException e) {
            deleteQuietly(s.file);
            throw failure(s.hex, s.size, e);
        } finally {
            deleteQuietly(s.file);
        }
    }

    /** Gives back a staged object that will not be placed. */
    void discard(Staged s) {
        closeQuietly(s.out, s.flushing);
        deleteQuietly(s.file);
    }

    private StoreException failure(String hex, long size, IOException e) {
        // The caller has given the space back before this measures what is free.
        if (DiskSpace.isFull(e, tmp)) {
            return new StoreFullException(storeDir, size, DiskSpace.usable(tmp), "object " + hex, e);
        }
        return new StoreException("object " + hex + ": cannot store: " + e, e);
    }

    private static void closeQuietly(FileChannel out, Future<?> flushing) {
        if (out == null) {
            return;
        }
        try {
            finish(flushing);
        } catch (IOException ignored) {
            // being discarded anyway
        }
        try {
            out.close();
        } catch (IOException ignored) {
            // being discarded anyway
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // Left for the next open to clean.
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

    /** Deletes the object if present; returns whether it was there. */
    boolean delete(String sha256) throws IOException {
        return Files.deleteIfExists(path(sha256));
    }

    /**
     * Every file under {@code objects/sha256/}: {@code objects} gets those named and placed as objects (name to
     * size in bytes), {@code strays} the paths (relative to the store directory) of everything else.
     */
    void list(Map<String, Long> objectsFound, List<String> strays) throws IOException {
        Path root = storeDir.resolve("objects");
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    if (!Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) {
                        strays.add(storeDir.relativize(f).toString());
                    }
                    continue;
                }
                String name = f.getFileName().toString();
                if (NAME.matcher(name).matches() && f.getParent().equals(objects.resolve(name.substring(0, 2)))) {
                    objectsFound.put(name, Files.size(f));
                } else {
                    strays.add(storeDir.relativize(f).toString());
                }
            }
        }
    }

    /**
     * SHA-256 of the object's content (lower-case hex), reporting each chunk read to {@code advance} (bytes).
     */
    String hash(String sha256, LongConsumer advance) throws IOException {
        MessageDigest digest = sha256Digest();
        try (InputStream in = Files.newInputStream(path(sha256))) {
            byte[] buf = new byte[BUFFER];
            for (int n; (n = in.read(buf)) != -1; ) {
                digest.update(buf, 0, n);
                advance.accept(n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Moves a damaged object to {@code quarantine/<hex>}, out of what is served. Returns its new place. */
    Path quarantine(String sha256) throws IOException {
        String hex = Ids.sha256(sha256, "object");
        Files.createDirectories(quarantine);
        Path to = quarantine.resolve(hex);
        Files.move(path(hex), to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(quarantine);
        return to;
    }

    /** Whether a damaged copy of the object sits in {@code quarantine/}. */
    boolean inQuarantine(String sha256) {
        return Files.exists(quarantine.resolve(Ids.sha256(sha256, "object")));
    }

    /** Waits for a background flush and passes on its failure. */
    private static void finish(Future<?> flushing) throws IOException {
        if (flushing == null) {
            return;
        }
        try {
            flushing.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while flushing to disk", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
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

    // Makes the rename itself durable; not every platform lets a directory be opened for this.
    static void syncDirectory(Path dir) {
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
