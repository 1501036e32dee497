package ferry.importer;

/**
 * Writing the store failed for a reason that is neither the bundle's nor the operator's (an I/O error, a database
 * error). The catalog is unchanged and the objects this import wrote were given back.
 */
public final class ImportFailedException extends ImporterException {
    private static final long serialVersionUID = 1L;

    public ImportFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
