package ferry.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One of a store's two lock files, held for as long as a {@link Store} is open in a role that needs it:
 * {@value #WRITER} by whoever writes the store (an import, {@code ferry store check}, an exclusive open), at most
 * one at a time; {@value #SERVER} by {@code ferry serve}, at most one at a time. An exclusive open takes both. So a
 * store can be served and imported into at once, but never by two imports, and never checked while either runs.
 * The catalog itself is shared between the processes by H2 ({@link Catalog}); these locks decide who may write.
 * Inside one JVM H2 would silently share the database too; the locks refuse a second holder there as well.
 */
final class StoreLock implements AutoCloseable {
    /** Held by the store's one writer: an import, a check, an exclusive open. Holds the writer's process id. */
    static final String WRITER = "store.lock";
    /** Held by the one process serving the store. Holds its process id. */
    static final String SERVER = "serve.lock";

    // On Linux, closing any channel on a file drops every lock this process holds on it, so a second open in
    // the same JVM must be refused before it touches the lock file at all.
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private StoreLock(Path key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes {@value #WRITER}. {@code storeDir} must exist. */
    static StoreLock acquire(Path storeDir) {
        return acquire(storeDir, WRITER);
    }

    /**
     * Takes lock file {@code name} ({@value #WRITER} or {@value #SERVER}) of {@code storeDir}, which must exist.
     *
     * @throws StoreLockedException if another process, or another {@code Store} in this process, holds it
     */
    static StoreLock acquire(Path storeDir, String name) {
        Path file = storeDir.resolve(name);
        Path key;
        try {
            key = storeDir.toRealPath().resolve(name);
        } catch (IOException e) {
            throw new StoreException("store " + storeDir + ": cannot resolve: " + e, e);
        }
        if (!HELD.add(key)) {
            throw new StoreLockedException("store " + storeDir + " is already open in this process (lock " + file + ")");
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = holder(file);
                ch.close();
                HELD.remove(key);
                throw new StoreLockedException("store " + storeDir + " is in use by another ferry run" + holder
                        + (name.equals(SERVER) ? ", which serves it" : "") + " (lock " + file + ")");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            return new StoreLock(key, ch, lock);
        } catch (IOException e) {
            closeQuietly(ch);
            HELD.remove(key);
            throw new StoreException("store " + storeDir + ": cannot lock " + file + ": " + e, e);
        }
    }

    /**
     * Takes lock file {@code name} if it is free, else returns null (held by another process or another
     * {@code Store} here).
     */
    static StoreLock tryAcquire(Path storeDir, String name) {
        try {
            return acquire(storeDir, name);
        } catch (StoreLockedException e) {
            return null;
        }
    }

    private static String holder(Path file) {
        try {
            String pid = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return pid.matches("[0-9]{1,19}") ? " (process " + pid + ")" : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // Closing releases the lock either way.
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // Closing the channel below releases it too.
        }
        closeQuietly(channel);
        HELD.remove(key);
    }
}
