package ferry.store;

import java.nio.file.Path;

/**
 * The store's file system has no room for what was being written (an object or the catalog). Whatever the
 * failed write had started is removed before this is thrown; objects already written by the same
 * {@link PendingImport} stay until it is aborted (which gives their space back).
 *
 * <p>The message is one line: {@code no space left on <path>: needed N bytes, free M bytes} (or, when the amount
 * needed is not known, as for a catalog write, without the "needed" part).
 */
public final class StoreFullException extends StoreException {
    private final transient Path path;
    private final long neededBytes;
    private final long freeBytes;

    /**
     * @param path        the directory that is full (the store directory)
     * @param neededBytes bytes the failed write needed, or -1 if not known
     * @param freeBytes   bytes usable on that file system after the failed write was cleaned up
     *                    ({@link java.nio.file.FileStore#getUsableSpace()}), or -1 if not known
     * @param what        what was being written, appended in parentheses (e.g. "object 3f…"); may be null
     */
    public StoreFullException(Path path, long neededBytes, long freeBytes, String what, Throwable cause) {
        super(message(path, neededBytes, freeBytes, what), cause);
        this.path = path;
        this.neededBytes = neededBytes;
        this.freeBytes = freeBytes;
    }

    private static String message(Path path, long needed, long free, String what) {
        StringBuilder b = new StringBuilder("no space left on ").append(path).append(':');
        if (needed >= 0) {
            b.append(" needed ").append(needed).append(" bytes,");
        }
        b.append(" free ").append(free >= 0 ? free + " bytes" : "unknown");
        if (what != null) {
            b.append(" (").append(what).append(')');
        }
        return b.toString();
    }

    /** The directory whose file system is full. */
    public Path path() {
        return path;
    }

    /** Bytes the failed write needed; -1 if not known. */
    public long neededBytes() {
        return neededBytes;
    }

    /** Usable bytes on the file system when the failure was reported; -1 if not known. */
    public long freeBytes() {
        return freeBytes;
    }
}
