package ferry.store;

/**
 * Another process (or another {@link Store} in this one) has the store open in a role that excludes this one, or
 * the process sharing the catalog with this one went away in the middle of a commit (run the import again).
 */
public final class StoreLockedException extends StoreException {
    public StoreLockedException(String message) {
        super(message);
    }

    public StoreLockedException(String message, Throwable cause) {
        super(message, cause);
    }
}
