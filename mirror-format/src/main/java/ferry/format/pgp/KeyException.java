package ferry.format.pgp;

/**
 * A key or key file cannot be used: unreadable, malformed, wrong kind, protected and no passphrase
 * given, or wrong passphrase. The message is one line meant for the operator and names the file or
 * fingerprint when known.
 */
public class KeyException extends Exception {
    private static final long serialVersionUID = 1L;

    public KeyException(String message) {
        super(message);
    }

    public KeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
