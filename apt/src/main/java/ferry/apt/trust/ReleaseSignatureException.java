package ferry.apt.trust;

/** A Release whose signature cannot be trusted, or a keyring that cannot be read; the message says which and why. */
public final class ReleaseSignatureException extends Exception {
    private static final long serialVersionUID = 1L;

    public ReleaseSignatureException(String message) {
        super(message);
    }

    public ReleaseSignatureException(String message, Throwable cause) {
        super(message, cause);
    }
}
