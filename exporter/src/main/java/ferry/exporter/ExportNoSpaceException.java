package ferry.exporter;

import java.nio.file.Path;

/**
 * Not enough disk space where the bundle is to be written: found before anything is written (the pre-flight compares
 * the bytes the bundle will take, volumes and their tar headers included, with the space usable there). Nothing was
 * written and the channel's state is unchanged.
 */
public final class ExportNoSpaceException extends ExportConfigException {
    private static final long serialVersionUID = 1L;

    private final transient Path path;
    private final long neededBytes;
    private final long freeBytes;

    /**
     * @param path        the directory that lacks space
     * @param neededBytes bytes the bundle needs there
     * @param freeBytes   bytes usable there when checked
     */
    public ExportNoSpaceException(Path path, long neededBytes, long freeBytes) {
        super("no space left on " + path + ": needed " + neededBytes + " bytes, free " + freeBytes + " bytes");
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
