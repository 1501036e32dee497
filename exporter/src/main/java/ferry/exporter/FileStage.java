package ferry.exporter;

import ferry.format.Progress;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gets every file a bundle will carry into the cache, verified, before the bundle is started: a failed
 * download then costs no half-written bundle, and the files already fetched stay cached for the next run.
 */
final class FileStage {

    private final FileCache cache;
    private final Downloader downloader;
    private final Progress progress;
    private int downloaded;
    private long bytesDownloaded;
    private int fromCache;
    private long bytesFromCache;

    FileStage(FileCache cache, Downloader downloader, Progress progress) {
        this.cache = cache;
        this.downloader = downloader;
        this.progress = progress;
    }

    /** @return each file's verified cache path, in the order given */
    Map<RemoteFile, Path> fetchAll(List<RemoteFile> files) throws ExportException {
        Map<RemoteFile, Path> ready = new LinkedHashMap<>();
        for (RemoteFile f : files) {
            Path p = cache.verified(f, progress);
            if (p != null) {
                fromCache++;
                bytesFromCache += f.size();
            } else {
                Downloader.Downloaded d = downloader.download(f, cache, progress);
                p = d.file();
                downloaded++;
                bytesDownloaded += d.bytes();
            }
            ready.put(f, p);
        }
        return ready;
    }

    FileCounts counts(List<RemoteFile> files) {
        return new FileCounts(files.size(), files.stream().mapToLong(RemoteFile::size).sum(),
                downloaded, bytesDownloaded, fromCache, bytesFromCache);
    }
}
