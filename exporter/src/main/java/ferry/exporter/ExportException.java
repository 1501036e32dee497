package ferry.exporter;

/**
 * Why an export failed. The message is one line naming what failed (upstream URL and operation, update,
 * file, directory). The subclass says whose fault it is; the command line maps each to a process exit code
 * ({@code docs/architecture.md}), this module knows nothing of exit codes:
 *
 * <ul>
 *   <li>{@link ExportConfigException} (and {@link SelectionException}): the operator's setup: options,
 *       selection, output or state directory, local disk;</li>
 *   <li>{@link ExportUpstreamException} (and {@link DownloadException}): the upstream: unreachable, SOAP fault
 *       (with its ErrorCode), bad data, digest mismatch;</li>
 *   <li>{@link ExportLockedException}: another export holds the channel's lock.</li>
 * </ul>
 *
 * Anything else escaping {@link ExportJob#run} (a RuntimeException) is a bug.
 */
public abstract sealed class ExportException extends Exception
        permits ExportConfigException, ExportUpstreamException, ExportLockedException {
    private static final long serialVersionUID = 1L;

    ExportException(String message, Throwable cause) {
        super(message, cause);
    }
}
