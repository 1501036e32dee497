package ferry.store;

/** Another process (or another {@link Store} in this one) has the store open. */
public final class StoreLockedException extends StoreException {
    public StoreLockedException(String message) {
        super(message);
    }

    public StoreLockedException(String message, Throwable cause) {
        super(message, cause);
    }
}
