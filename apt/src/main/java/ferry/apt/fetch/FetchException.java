package ferry.apt.fetch;

/** An upstream suite that cannot be read or trusted; the message names the file and the fault. */
public final class FetchException extends Exception {
    private static final long serialVersionUID = 1L;

    public FetchException(String message) {
        super(message);
    }

    public FetchException(String message, Throwable cause) {
        super(message, cause);
    }
}
