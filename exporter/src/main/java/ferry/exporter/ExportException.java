package ferry.exporter;

/**
 * Why an export failed. The message is one line naming what failed (upstream URL and operation, update,
 * file, directory). Each subclass fixes the process exit code of {@code docs/architecture.md}:
 *
 * <table>
 *   <caption>exception to exit code</caption>
 *   <tr><th>exception</th><th>exit code</th><th>meaning</th></tr>
 *   <tr><td>{@link ExportConfigException}, {@link SelectionException}</td><td>2</td>
 *       <td>usage or configuration: options, selection, output or state directory, local disk</td></tr>
 *   <tr><td>{@link ExportUpstreamException}, {@link DownloadException}</td><td>3</td>
 *       <td>upstream: unreachable, SOAP fault (with its ErrorCode), bad data, digest mismatch</td></tr>
 *   <tr><td>{@link ExportLockedException}</td><td>5</td><td>another export holds the channel's lock</td></tr>
 * </table>
 *
 * Anything else escaping {@link ExportJob#run} (a RuntimeException) is a bug: exit code 10.
 */
public abstract sealed class ExportException extends Exception
        permits ExportConfigException, ExportUpstreamException, ExportLockedException {
    private static final long serialVersionUID = 1L;

    ExportException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The process exit code for this failure (2, 3 or 5). */
    public abstract int exitCode();
}
