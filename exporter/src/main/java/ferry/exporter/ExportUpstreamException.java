package ferry.exporter;

import java.net.URI;

/**
 * The upstream server failed us: unreachable, timed out, answered with a fault (for WSUS a SOAP fault,
 * MS-WSUSSS 2.2.9; {@link #errorCode()} keeps its ErrorCode), or sent data that breaks the protocol
 * (a document whose identity is not the one requested, an unparseable document).
 */
public sealed class ExportUpstreamException extends ExportException permits DownloadException {
    private static final long serialVersionUID = 1L;

    private final URI upstream;
    private final String operation;
    private final String errorCode;

    public ExportUpstreamException(String message, URI upstream, String operation, String errorCode, Throwable cause) {
        super(message, cause);
        this.upstream = upstream;
        this.operation = operation;
        this.errorCode = errorCode;
    }

    /** The upstream server's base URL. */
    public URI upstream() {
        return upstream;
    }

    /** The MS-WSUSSS operation (e.g. {@code GetUpdateData}), or {@code content} for a file download. */
    public String operation() {
        return operation;
    }

    /** The SOAP fault's {@code ErrorCode} (e.g. {@code InvalidParameters}); null when there was no fault. */
    public String errorCode() {
        return errorCode;
    }
}
