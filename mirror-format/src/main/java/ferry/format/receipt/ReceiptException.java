package ferry.format.receipt;

/** A receipt that cannot be believed: unreadable, malformed, or not signed by enough trusted isolated-side keys. */
public final class ReceiptException extends Exception {
    private static final long serialVersionUID = 1L;

    public ReceiptException(String message) {
        super(message);
    }

    public ReceiptException(String message, Throwable cause) {
        super(message, cause);
    }
}
