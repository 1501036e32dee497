package ferry.exporter;

import java.net.URI;

/**
 * A file a source type named could not be downloaded, or its bytes do not match the size, SHA-1 or SHA-256 its
 * source's metadata gives.
 * Nothing of it is kept: the partial file is deleted and no bundle is written.
 */
public final class DownloadException extends ExportUpstreamException {
    private static final long serialVersionUID = 1L;

    private final String owner;
    private final String fileName;
    private final URI url;

    DownloadException(URI upstream, String owner, String fileName, URI url, String problem, Throwable cause) {
        super("download of " + fileName + " (" + owner + ") from " + url + " failed: " + problem,
                upstream, "content", null, cause);
        this.owner = owner;
        this.fileName = fileName;
        this.url = url;
    }

    /** What names the file ({@link RemoteFile#owner()}), e.g. {@code update <updateId>-r<revision>}. */
    public String owner() {
        return owner;
    }

    /** The file's name as its source gives it (for WSUS, {@code File/@FileName}). */
    public String fileName() {
        return fileName;
    }

    /** The URL the file was fetched from. */
    public URI url() {
        return url;
    }
}
