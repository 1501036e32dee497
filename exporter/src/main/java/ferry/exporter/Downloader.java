package ferry.exporter;

import ferry.format.CrashPoints;
import ferry.format.Progress;
import ferry.wsus.client.WsusClientOptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;

/**
 * Downloads the files a source type names (for WSUS, MS-WSUSSS 3.2.4.4) with {@link HttpClient}, streaming to a cache partial file while
 * computing SHA-1 and SHA-256 and counting bytes, so memory use does not depend on file size. A connection
 * error, a timeout or HTTP 5xx/408/429 is retried with doubling backoff; any other status fails at once, and a
 * file whose size or digests differ from its source's metadata fails at once too (the upstream would send the same bytes
 * again). Never keeps a file that did not verify.
 */
final class Downloader {

    /** Bytes downloaded and where they landed (already verified and in the cache). */
    record Downloaded(Path file, long bytes) {
    }

    private static final class Retryable extends Exception {
        private static final long serialVersionUID = 1L;

        Retryable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final HttpClient http;
    private final WsusClientOptions options;
    private final int attempts;
    private final Duration backoff;
    private final URI upstream;

    Downloader(WsusClientOptions options, int attempts, Duration backoff, URI upstream) {
        this.http = HttpClient.newBuilder()
                .connectTimeout(options.connectTimeout())
                // Microsoft's download servers redirect to CDNs; NORMAL never follows https to http
                .followRedirects(HttpClient.Redirect.NORMAL)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.options = options;
        this.attempts = attempts;
        this.backoff = backoff;
        this.upstream = upstream;
    }

    Downloaded download(RemoteFile f, FileCache cache, Progress progress) throws ExportException {
        Retryable last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            if (attempt > 1) {
                progress.info("retrying " + f.url() + " (attempt " + attempt + " of " + attempts + "): "
                        + last.getMessage());
                sleep(backoff.multipliedBy(1L << (attempt - 2)), f);
            }
            Path partial = cache.newPartial();
            try {
                long bytes = fetchInto(f, partial, progress);
                CrashPoints.reached("download.verified");
                Downloaded d = new Downloaded(cache.commit(partial, f.sha1Hex()), bytes);
                CrashPoints.reached("download.cached");
                return d;
            } catch (Retryable e) {
                last = e;
            } finally {
                StateStore.deleteQuietly(partial);
            }
        }
        throw failure(f, last.getMessage() + " (after " + attempts + " attempts)", last.getCause());
    }

    private long fetchInto(RemoteFile f, Path partial, Progress progress) throws Retryable, ExportException {
        HttpRequest request = HttpRequest.newBuilder(f.url())
                .timeout(options.requestTimeout())
                .header("User-Agent", options.userAgent())
                .GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new Retryable(describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(f, "interrupted", e);
        }
        int status = response.statusCode();
        try (InputStream in = response.body()) {
            if (status == 408 || status == 429 || status >= 500) {
                throw new Retryable("HTTP " + status, null);
            }
            if (status != 200) {
                throw failure(f, "HTTP " + status, null);
            }
            MessageDigest sha1 = RemoteFile.sha1();
            MessageDigest sha256 = RemoteFile.sha256();
            long count = copy(f, in, partial, sha1, sha256, progress);
            String problem = f.mismatch(count, sha1.digest(), sha256.digest());
            if (problem != null) {
                throw failure(f, problem, null);
            }
            return count;
        } catch (IOException e) {
            // closing the body after a failure: nothing to add to the failure already being thrown
            throw new Retryable(describe(e), e);
        }
    }

    private long copy(RemoteFile f, InputStream in, Path partial, MessageDigest sha1, MessageDigest sha256,
                      Progress progress) throws Retryable, ExportException {
        long count = 0;
        long limit = f.size();
        progress.begin("download " + f.name(), limit);
        try (OutputStream out = Files.newOutputStream(partial)) {
            byte[] buf = new byte[1 << 16];
            while (true) {
                int n;
                try {
                    n = in.read(buf);
                } catch (IOException e) {
                    throw new Retryable("connection lost after " + count + " bytes (" + describe(e) + ")", e);
                }
                if (n < 0) {
                    break;
                }
                count += n;
                if (count > limit) {
                    // stop before a hostile or broken server fills the disk
                    throw failure(f, "more than the " + limit + " bytes the metadata gives", null);
                }
                sha1.update(buf, 0, n);
                sha256.update(buf, 0, n);
                out.write(buf, 0, n);
                CrashPoints.bytes("download.bytes", count - n, count);
                progress.advance(n);
            }
        } catch (IOException e) {
            throw new ExportConfigException("cannot write " + partial + " in the file cache: " + describe(e), e);
        } finally {
            progress.end();
        }
        return count;
    }

    private void sleep(Duration d, RemoteFile f) throws DownloadException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(f, "interrupted", e);
        }
    }

    private DownloadException failure(RemoteFile f, String problem, Throwable cause) {
        return new DownloadException(upstream, f.owner(), f.name(), f.url(), problem, cause);
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.replaceAll("\\s+", " ");
    }
}
