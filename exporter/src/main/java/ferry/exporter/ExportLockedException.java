package ferry.exporter;

import java.nio.file.Path;

/** Another export run holds the state directory's lock; try again when it has finished. */
public final class ExportLockedException extends ExportException {
    private static final long serialVersionUID = 1L;

    private final Path lockFile;

    public ExportLockedException(Path lockFile) {
        super("another export holds " + lockFile, null);
        this.lockFile = lockFile;
    }

    public Path lockFile() {
        return lockFile;
    }
}
