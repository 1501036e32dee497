package ferry.wsus.metadata;

/** Update metadata that cannot be used: malformed, hostile, over a limit, or missing a required field. */
public final class MetadataException extends Exception {
    private static final long serialVersionUID = 1L;

    public MetadataException(String message) {
        super(message);
    }

    public MetadataException(String message, Throwable cause) {
        super(message, cause);
    }
}
