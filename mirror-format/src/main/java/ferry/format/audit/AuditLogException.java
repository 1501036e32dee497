package ferry.format.audit;

/** An audit log that cannot be appended to or read; the message names the file (and the line when reading). */
public final class AuditLogException extends Exception {
    private static final long serialVersionUID = 1L;

    public AuditLogException(String message, Throwable cause) {
        super(message, cause);
    }
}
