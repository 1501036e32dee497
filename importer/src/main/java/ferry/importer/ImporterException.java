package ferry.importer;

/**
 * An import could not be done; the message is one line for the operator. Subclasses say why, so the {@code ferry}
 * command can map each to its exit code (the importer itself knows nothing of exit codes):
 * {@link BundleInvalidException} (the bundle is not trustworthy or not usable), {@link BundleRefusedException} (a
 * trusted bundle that may not land in its channel's history), {@link StoreBusyException} (another run holds the
 * store), {@link StoreUnusableException} (the store cannot be opened as it is), {@link NoSpaceException} (not
 * enough disk space), {@link ImportFailedException} (writing the store failed unexpectedly).
 * Whatever the subclass, the store's catalog is as it was before the import.
 */
public abstract class ImporterException extends Exception {
    private static final long serialVersionUID = 1L;

    protected ImporterException(String message, Throwable cause) {
        super(message, cause);
    }
}
