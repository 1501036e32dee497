package ferry.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Usable space and recognising "the disk is full" among I/O failures. */
final class DiskSpace {
    // Below this, a failed write is taken to be a full disk even when the error does not say so.
    private static final long NEARLY_FULL = 64 * 1024;

    private DiskSpace() {
    }

    /** Usable bytes on the file system holding {@code dir}; -1 if it cannot be told. */
    static long usable(Path dir) {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return -1;
        }
    }

    /**
     * Whether {@code failure} (or a cause) is the file system running out of space: ENOSPC, EDQUOT (Linux and
     * macOS wording), Windows' ERROR_DISK_FULL, Jimfs' quota, or any I/O failure while {@code dir} has almost
     * nothing left.
     */
    static boolean isFull(Throwable failure, Path dir) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("no space left") || m.contains("disk quota exceeded") || m.contains("out of disk space")
                    || m.contains("not enough space on the disk") || m.contains("disk full")) {
                return true;
            }
        }
        long free = usable(dir);
        return free >= 0 && free < NEARLY_FULL;
    }
}
