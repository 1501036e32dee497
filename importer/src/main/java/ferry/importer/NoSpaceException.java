package ferry.importer;

import java.nio.file.Path;

/**
 * Not enough disk space for the import: found before copying (the pre-flight compares the bytes the bundle would add
 * with the space usable on the store's file system) or while copying (the disk filled up). The catalog is unchanged
 * and the objects this import wrote were given back.
 */
public final class NoSpaceException extends ImporterException {
    private static final long serialVersionUID = 1L;

    private final Path path;
    private final long neededBytes;
    private final long freeBytes;

    /**
     * @param path        the directory that lacks space
     * @param neededBytes bytes the import needs there
     * @param freeBytes   bytes usable there when it was checked
     */
    public NoSpaceException(Path path, long neededBytes, long freeBytes, Throwable cause) {
        super("no space left on " + path + ": needed " + neededBytes + " bytes, free " + freeBytes + " bytes", cause);
        this.path = path;
        this.neededBytes = neededBytes;
        this.freeBytes = freeBytes;
    }

    /** The directory that lacks space. */
    public Path path() {
        return path;
    }

    /** Bytes needed. */
    public long neededBytes() {
        return neededBytes;
    }

    /** Bytes usable when checked. */
    public long freeBytes() {
        return freeBytes;
    }
}
