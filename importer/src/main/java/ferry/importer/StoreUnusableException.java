package ferry.importer;

/**
 * The store cannot be opened as it is: the directory cannot be created, the catalog is missing, empty or unreadable
 * while objects exist, or it was written by a newer ferry. Nothing was changed; the message says what to do
 * (docs/store.md).
 */
public final class StoreUnusableException extends ImporterException {
    private static final long serialVersionUID = 1L;

    public StoreUnusableException(String message, Throwable cause) {
        super(message, cause);
    }
}
