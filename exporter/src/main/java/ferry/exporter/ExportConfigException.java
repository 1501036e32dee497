package ferry.exporter;

/**
 * The operator's setup is at fault: an option, the output directory (not empty), the state
 * directory (unreadable or another channel's state), or the local disk (cannot write the cache or bundle).
 */
public sealed class ExportConfigException extends ExportException permits SelectionException, ExportNoSpaceException {
    private static final long serialVersionUID = 1L;

    public ExportConfigException(String message) {
        super(message, null);
    }

    public ExportConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
