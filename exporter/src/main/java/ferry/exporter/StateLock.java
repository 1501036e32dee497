package ferry.exporter;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The exclusive lock on {@code <stateDir>/lock}, held for a whole run so that two scheduled runs never
 * interleave. The operating system drops it when the process dies, so a crash leaves no stale lock. The file
 * itself is never deleted: deleting a lock file lets a third process lock a new file while a second still
 * holds the old one.
 */
final class StateLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private StateLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock without waiting.
     *
     * @throws ExportLockedException if another process, or another run in this JVM, holds it
     * @throws ExportConfigException if the lock file cannot be opened
     */
    static StateLock acquire(Path file) throws ExportException {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new ExportConfigException("cannot open lock file " + file + ": " + e.getMessage(), e);
        }
        try {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                closeQuietly(ch);
                throw new ExportLockedException(file);
            }
            return new StateLock(ch, lock);
        } catch (OverlappingFileLockException e) {
            // file locks are per process: a second run in the same JVM sees this instead of null
            closeQuietly(ch);
            throw new ExportLockedException(file);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new ExportConfigException("cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel below releases it anyway
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing was written through it
        }
    }
}
