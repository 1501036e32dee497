package ferry.importer;

/**
 * An import or serve could not be done. {@link #exitCode()} is the process exit code the {@code ferry} command
 * returns for it (docs/architecture.md, "Exit codes"); the message is one line for the operator.
 *
 * <p>This base class is used as such for failures that are neither the bundle's nor the operator's fault:
 * the store cannot be opened or written (disk full, permissions, corrupt catalog). Subclasses name the
 * expected refusals.
 */
public class ImporterException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Exit code for a store that cannot be created or opened (usage or configuration error). */
    public static final int EXIT_CONFIGURATION = 2;
    /** Exit code for anything unexpected while writing the store. */
    public static final int EXIT_INTERNAL = 10;

    private final int exitCode;

    public ImporterException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ImporterException(int exitCode, String message) {
        this(exitCode, message, null);
    }

    /** The exit code: 1 invalid bundle, 2 configuration, 4 refused, 5 store locked, 10 internal. */
    public int exitCode() {
        return exitCode;
    }
}
