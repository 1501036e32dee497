package ferry.apt.version;

/** A Debian version that breaks Debian Policy 5.6.12's syntax; the message quotes the version and names the fault. */
public final class InvalidVersionException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidVersionException(String message) {
        super(message);
    }
}
