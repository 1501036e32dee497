package ferry.exporter;

/**
 * What the file stage did for one run's files.
 *
 * @param count           files the bundle carries
 * @param bytes           their total size
 * @param downloaded      files downloaded from the upstream in this run
 * @param bytesDownloaded bytes downloaded
 * @param fromCache       files taken from the file cache (re-hashed first)
 * @param bytesFromCache  their bytes
 */
public record FileCounts(int count, long bytes, int downloaded, long bytesDownloaded, int fromCache,
                         long bytesFromCache) {

    /** No files. */
    public static final FileCounts NONE = new FileCounts(0, 0, 0, 0, 0, 0);
}
