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
 * {@code store.lock}: held for as long as a {@link Store} is open. H2 locks its own file against other
 * processes, but inside one JVM it would silently share the database; this lock refuses both.
 */
final class StoreLock implements AutoCloseable {
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

    /** {@code storeDir} must exist. */
    static StoreLock acquire(Path storeDir) {
        Path file = storeDir.resolve("store.lock");
        Path key;
        try {
            key = storeDir.toRealPath();
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
                        + " (lock " + file + ")");
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
