package ferry.store;

/**
 * {@link Store#open} refused a store directory that holds an existing store (its marker file {@code store.id},
 * or objects) whose catalog is missing, empty, unreadable or another store's. Opening it would start a new,
 * empty catalog: replay and sequence protection would be lost and the objects could no longer be accounted for.
 * Nothing was changed. The message is one line and says what to do (docs/store.md, "Recovery").
 */
public final class StoreDamagedException extends StoreException {
    public StoreDamagedException(String message) {
        super(message);
    }

    public StoreDamagedException(String message, Throwable cause) {
        super(message, cause);
    }
}
