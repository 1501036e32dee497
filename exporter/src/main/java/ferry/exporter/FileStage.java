package ferry.exporter;

import ferry.format.Progress;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Gets every file a bundle will carry into the cache, verified, before the bundle is started: a failed
 * download then costs no half-written bundle, and the files already fetched stay cached for the next run.
 * Cached files are re-hashed one after another; the missing ones are downloaded by up to {@code threads} at once
 * (one connection each: a single TCP stream rarely fills a long fat link, and a CDN serves several well). The first
 * failed download stops the others, and every partial file is gone before the failure is reported.
 */
final class FileStage {

    private final FileCache cache;
    private final Downloader downloader;
    private final Progress progress;
    private final int threads;
    private int downloaded;
    private long bytesDownloaded;
    private int fromCache;
    private long bytesFromCache;

    FileStage(FileCache cache, Downloader downloader, Progress progress, int threads) {
        this.cache = cache;
        this.downloader = downloader;
        this.progress = progress;
        this.threads = threads;
    }

    /** @return each file's verified cache path, in the order given */
    Map<RemoteFile, Path> fetchAll(List<RemoteFile> files) throws ExportException {
        Map<RemoteFile, Path> ready = new LinkedHashMap<>();
        List<RemoteFile> missing = new ArrayList<>();
        for (RemoteFile f : files) {
            Path p = cache.verified(f, progress);
            if (p != null) {
                fromCache++;
                bytesFromCache += f.size();
            } else {
                missing.add(f);
            }
            ready.put(f, p);
        }
        Map<RemoteFile, Downloader.Downloaded> got = threads <= 1 || missing.size() <= 1
                ? oneByOne(missing) : parallel(missing);
        for (Map.Entry<RemoteFile, Downloader.Downloaded> e : got.entrySet()) {
            ready.put(e.getKey(), e.getValue().file());
            downloaded++;
            bytesDownloaded += e.getValue().bytes();
        }
        return ready;
    }

    private Map<RemoteFile, Downloader.Downloaded> oneByOne(List<RemoteFile> missing) throws ExportException {
        Map<RemoteFile, Downloader.Downloaded> out = new LinkedHashMap<>();
        for (RemoteFile f : missing) {
            out.put(f, downloader.download(f, cache, progress));
        }
        return out;
    }

    private Map<RemoteFile, Downloader.Downloaded> parallel(List<RemoteFile> missing) throws ExportException {
        Progress shared = new Shared(progress);
        long total = missing.stream().mapToLong(RemoteFile::size).sum();
        progress.begin("download " + missing.size() + " files", total);
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, missing.size()), r -> {
            Thread t = new Thread(r, "ferry-download-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ExecutorCompletionService<Downloader.Downloaded> done = new ExecutorCompletionService<>(pool);
        Map<Future<Downloader.Downloaded>, RemoteFile> submitted = new LinkedHashMap<>();
        Map<RemoteFile, Downloader.Downloaded> out = new LinkedHashMap<>();
        try {
            for (RemoteFile f : missing) {
                submitted.put(done.submit(() -> downloader.download(f, cache, shared)), f);
            }
            for (int i = 0; i < missing.size(); i++) {
                Future<Downloader.Downloaded> fut = done.take();
                out.put(submitted.get(fut), fut.get());
            }
            return out;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ExportException x) {
                throw x;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("download failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExportConfigException("interrupted while downloading", e);
        } finally {
            downloader.cancel();
            pool.shutdownNow();
            awaitQuietly(pool);
            progress.end();
        }
    }

    /** The other downloads are interrupted; each deletes its partial file on the way out. */
    private static void awaitQuietly(ExecutorService pool) {
        try {
            if (!pool.awaitTermination(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("downloads did not stop within 60 s of a failure");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    FileCounts counts(List<RemoteFile> files) {
        return new FileCounts(files.size(), files.stream().mapToLong(RemoteFile::size).sum(),
                downloaded, bytesDownloaded, fromCache, bytesFromCache);
    }

    /**
     * Several downloads report to one progress task: their bytes add up, their own begin and end are dropped
     * (tasks do not nest), notes pass through.
     */
    private static final class Shared implements Progress {
        private final Progress target;

        Shared(Progress target) {
            this.target = target;
        }

        @Override
        public void begin(String task, long totalBytes) {
        }

        @Override
        public synchronized void advance(long bytes) {
            target.advance(bytes);
        }

        @Override
        public void end() {
        }

        @Override
        public synchronized void info(String line) {
            target.info(line);
        }
    }
}
