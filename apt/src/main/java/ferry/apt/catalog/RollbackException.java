package ferry.apt.catalog;

import ferry.store.StoreException;

/** A rollback an operator asked for cannot be made (no such snapshot kept); nothing changed. */
public final class RollbackException extends StoreException {
    public RollbackException(String message) {
        super(message);
    }
}
