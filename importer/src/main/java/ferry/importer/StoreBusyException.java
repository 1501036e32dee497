package ferry.importer;

/**
 * Another run holds the store: typically {@code ferry serve} while {@code ferry import} starts, or
 * two imports at once. The store is locked for as long as a process has it open; stop the other run and retry.
 */
public final class StoreBusyException extends ImporterException {
    private static final long serialVersionUID = 1L;

    public StoreBusyException(String message, Throwable cause) {
        super(message, cause);
    }
}
