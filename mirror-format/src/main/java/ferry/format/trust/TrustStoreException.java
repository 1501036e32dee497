package ferry.format.trust;

/** A trust store directory is unusable; the message names the file and the rule broken. */
public class TrustStoreException extends Exception {
    private static final long serialVersionUID = 1L;

    public TrustStoreException(String message) {
        super(message);
    }

    public TrustStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
