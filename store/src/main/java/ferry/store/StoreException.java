package ferry.store;

/**
 * A store operation failed. The message is one line and names the object (SHA-256), bundle, channel or
 * update it is about.
 */
public class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
