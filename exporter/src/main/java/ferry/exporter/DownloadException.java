package ferry.exporter;

import java.net.URI;

/**
 * An update file could not be downloaded, or its bytes do not match the metadata's size, SHA-1 or SHA-256.
 * Nothing of it is kept: the partial file is deleted and no bundle is written.
 */
public final class DownloadException extends ExportUpstreamException {
    private static final long serialVersionUID = 1L;

    private final String updateId;
    private final String fileName;
    private final URI url;

    DownloadException(URI upstream, String updateId, String fileName, URI url, String problem, Throwable cause) {
        super("download of " + fileName + " (update " + updateId + ") from " + url + " failed: " + problem,
                upstream, "content", null, cause);
        this.updateId = updateId;
        this.fileName = fileName;
        this.url = url;
    }

    /** The revision whose metadata names the file, {@code <updateId>-r<revision>}. */
    public String updateId() {
        return updateId;
    }

    /** The file's original name ({@code File/@FileName}). */
    public String fileName() {
        return fileName;
    }

    /** The URL the file was fetched from. */
    public URI url() {
        return url;
    }
}
