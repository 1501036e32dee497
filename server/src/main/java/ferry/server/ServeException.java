package ferry.server;

/**
 * The store cannot be served: it cannot be opened (missing permissions, not a store, damaged) or the address and
 * port cannot be bound (in use, not a local address). A store another process holds is reported as the store's
 * {@link ferry.store.StoreLockedException} instead.
 */
public final class ServeException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message one line naming the store directory or the address at fault */
    public ServeException(String message, Throwable cause) {
        super(message, cause);
    }
}
