package ferry.exporter;

import ferry.format.CrashPoints;
import ferry.format.Progress;
import ferry.wsus.client.RetryPolicy;
import ferry.wsus.client.StallGuard;
import ferry.wsus.client.WsusClientOptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Proxy;
import javax.net.ssl.HttpsURLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads the files a source type names (for WSUS, MS-WSUSSS 3.2.4.4) with {@link HttpURLConnection}, streaming to a
 * cache partial file while computing SHA-1 and SHA-256 and counting bytes, so memory use does not depend on file
 * size. Thread-safe: the file stage runs several downloads at once.
 *
 * <p>A timeout, a reset connection, a body that stalls past the read timeout, or HTTP 5xx/408/429 is retried as
 * the {@link RetryPolicy} says (honouring {@code Retry-After}); a retry after part of the file arrived asks only
 * for the rest ({@code Range: bytes=N-}, with {@code If-Range} naming the validator of the first response), and
 * starts over cleanly when the server answers 200 with the whole file instead. Any other status fails at once, and
 * a file whose size or digests differ from its source's metadata fails at once too (the upstream would send the
 * same bytes again). Only a file that verified is ever moved into the cache.
 */
final class Downloader {

    /** Bytes downloaded and where they landed (already verified and in the cache). */
    record Downloaded(Path file, long bytes) {
    }

    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

    private static final class Retryable extends Exception {
        private static final long serialVersionUID = 1L;
        final transient Duration retryAfter;

        Retryable(String message, Throwable cause, Duration retryAfter) {
            super(message, cause);
            this.retryAfter = retryAfter;
        }
    }

    /** One file's download across its attempts: the bytes so far, their running digests, the validator. */
    private static final class Partial {
        final Path path;
        final MessageDigest sha1 = RemoteFile.sha1();
        final MessageDigest sha256 = RemoteFile.sha256();
        long length;
        String validator;
        long received;

        Partial(Path path) {
            this.path = path;
        }

        void restart() throws IOException {
            Files.write(path, new byte[0]);
            sha1.reset();
            sha256.reset();
            length = 0;
        }
    }

    private static final int MAX_REDIRECTS = 5;

    private final WsusClientOptions options;
    private final RetryPolicy retry;
    private final URI upstream;
    /** Set when one of several parallel downloads failed: the others stop at their next buffer or attempt. */
    private volatile boolean cancelled;

    /**
     * @param options HTTP settings (timeouts, proxy, TLS trust, user agent)
     * @param retry   how often and how long to retry one file
     */
    Downloader(WsusClientOptions options, RetryPolicy retry, URI upstream) {
        this.options = options;
        this.retry = retry;
        this.upstream = upstream;
    }

    /**
     * @return the verified file in the cache, and the bytes received over the network (more than its size when a
     *         server ignored a Range request)
     * @throws DownloadException     the file cannot be had, or its bytes do not match
     * @throws ExportConfigException the cache cannot be written
     */
    /** Makes every download in progress fail at its next buffer or attempt (after another one failed). */
    void cancel() {
        cancelled = true;
    }

    Downloaded download(RemoteFile f, FileCache cache, Progress progress) throws ExportException {
        Partial p = new Partial(cache.newPartial());
        progress.begin("download " + f.name(), f.size());
        try {
            Duration waited = Duration.ZERO;
            for (int attempt = 1; ; attempt++) {
                checkCancelled(f);
                try {
                    fetchInto(f, p, progress);
                    break;
                } catch (Retryable e) {
                    Duration wait = retry.nextWait(attempt, e.retryAfter, waited);
                    if (wait == null) {
                        throw failure(f, e.getMessage() + (attempt > 1 ? " (after " + attempt + " attempts)" : ""),
                                e.getCause());
                    }
                    progress.info("retrying " + f.url() + " in " + wait.toMillis() + " ms (attempt " + (attempt + 1)
                            + " of " + retry.attempts() + (p.length > 0 ? ", resuming at byte " + p.length : "")
                            + "): " + e.getMessage());
                    sleep(wait, f);
                    waited = waited.plus(wait);
                }
            }
            String problem = f.mismatch(p.length, p.sha1.digest(), p.sha256.digest());
            if (problem != null) {
                throw failure(f, problem, null);
            }
            CrashPoints.reached("download.verified");
            Downloaded d = new Downloaded(cache.commit(p.path, f), p.received);
            CrashPoints.reached("download.cached");
            return d;
        } finally {
            progress.end();
            StateStore.deleteQuietly(p.path);
        }
    }

    private void fetchInto(RemoteFile f, Partial p, Progress progress) throws Retryable, ExportException {
        long offset = p.length;
        HttpURLConnection c;
        int status;
        try {
            c = connect(f, offset, p.validator);
            status = c.getResponseCode();
        } catch (javax.net.ssl.SSLHandshakeException e) {
            throw failure(f, "TLS handshake failed, the server's certificate is not trusted or does not name this host ("
                    + describe(e) + ")", e);
        } catch (ConnectException e) {
            // refused: a wrong URL far more often than a restart; not worth the retry budget
            throw failure(f, "cannot connect (" + describe(e) + ")", e);
        } catch (IOException e) {
            throw new Retryable(describe(e), e, null);
        }
        boolean complete = false;
        try (InputStream in = StallGuard.guard(body(c, status), options.readTimeout())) {
            if (status == 408 || status == 429 || status >= 500) {
                throw new Retryable("HTTP " + status, null, RetryPolicy.retryAfter(
                        c.getHeaderField("Retry-After"), Instant.now()));
            }
            if (status == 206 && offset > 0) {
                String range = Objects.requireNonNullElse(c.getHeaderField("Content-Range"), "");
                Matcher m = CONTENT_RANGE.matcher(range);
                if (!m.matches() || Long.parseLong(m.group(1)) != offset) {
                    throw failure(f, "asked for bytes from " + offset + ", got Content-Range \"" + range + "\"", null);
                }
            } else if (status == 200) {
                if (offset > 0) {
                    progress.info(f.url() + " ignored the range request; downloading it again from the start");
                    restart(p);
                }
                p.validator = validator(c);
            } else if (status == 416 && offset > 0) {
                restart(p);
                throw new Retryable("HTTP 416 for bytes from " + offset, null, null);
            } else {
                throw failure(f, "HTTP " + status, null);
            }
            long before = p.length;
            copy(f, in, p, progress);
            // HttpURLConnection ends a body whose connection closed early as if it were complete
            long declared = c.getContentLengthLong();
            if (declared >= 0 && p.length - before < declared) {
                throw new Retryable("connection lost after " + p.length + " bytes (" + (p.length - before) + " of "
                        + declared + " in this response)", null, null);
            }
            complete = true;
        } catch (IOException e) {
            // closing the body after a failure: nothing to add to the failure already being thrown
            throw new Retryable(describe(e), e, null);
        } finally {
            if (!complete) {
                c.disconnect(); // a connection left mid-body cannot be used again
            }
        }
    }

    /**
     * Sends the GET for {@code f} (from byte {@code offset}, if any), following redirects as the content servers'
     * CDNs need, but never from https to http (then the redirect itself is the answer, a failure): the same rule
     * as {@code HttpClient.Redirect.NORMAL}, with at most {@value #MAX_REDIRECTS} of them.
     *
     * <p>The blocking {@link HttpURLConnection} rather than {@code java.net.http}: the latter passes every piece of
     * a body through its publisher chain on its own threads and took twice the CPU time for the same downloads
     * (about 14 s against 7 s for the 3,000 files of bench/apt.sh, docs/benchmarks.md). Connections are kept
     * alive and reused by the JDK when a body was read to its end.
     */
    private HttpURLConnection connect(RemoteFile f, long offset, String validator) throws IOException, ExportException {
        URI url = f.url();
        for (int hop = 0; ; hop++) {
            InetSocketAddress proxy = options.proxy().proxyFor(url);
            HttpURLConnection c = (HttpURLConnection) url.toURL().openConnection(proxy == null ? Proxy.NO_PROXY
                    : new Proxy(Proxy.Type.HTTP, new InetSocketAddress(proxy.getHostString(), proxy.getPort())));
            if (c instanceof HttpsURLConnection https && options.sslContext() != null) {
                https.setSSLSocketFactory(options.sslContext().getSocketFactory());
            }
            c.setInstanceFollowRedirects(false);
            c.setUseCaches(false);
            c.setConnectTimeout(millis(options.connectTimeout()));
            // until the headers: the request timeout; the body's reads are watched by the stall guard as well
            c.setReadTimeout(millis(options.requestTimeout()));
            c.setRequestProperty("User-Agent", options.userAgent());
            if (offset > 0) {
                c.setRequestProperty("Range", "bytes=" + offset + "-");
                if (validator != null) {
                    c.setRequestProperty("If-Range", validator);
                }
            }
            int status = c.getResponseCode();
            String location = c.getHeaderField("Location");
            boolean redirect = (status == 301 || status == 302 || status == 303 || status == 307 || status == 308)
                    && location != null;
            if (!redirect) {
                return c;
            }
            URI next;
            try {
                next = url.resolve(new URI(location));
            } catch (java.net.URISyntaxException | IllegalArgumentException e) {
                return c; // not followed: the redirect is the answer
            }
            if ("https".equalsIgnoreCase(url.getScheme()) && !"https".equalsIgnoreCase(next.getScheme())
                    || !"http".equalsIgnoreCase(next.getScheme()) && !"https".equalsIgnoreCase(next.getScheme())) {
                return c;
            }
            if (hop + 1 > MAX_REDIRECTS) {
                c.disconnect();
                throw failure(f, "more than " + MAX_REDIRECTS + " redirects (the last to " + next + ")", null);
            }
            try {
                c.getInputStream().close(); // lets the JDK keep the connection when the redirect's body is small
            } catch (IOException e) {
                c.disconnect();
            }
            url = next;
        }
    }

    /** The response body of any status (empty when there is none). */
    private static InputStream body(HttpURLConnection c, int status) throws IOException {
        if (status < 400) {
            return c.getInputStream();
        }
        InputStream err = c.getErrorStream();
        return err != null ? err : InputStream.nullInputStream();
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
    }

    /** A strong ETag, else Last-Modified: what If-Range may name (RFC 9110 13.1.5). */
    private static String validator(HttpURLConnection c) {
        String etag = c.getHeaderField("ETag");
        if (etag != null && !etag.startsWith("W/")) {
            return etag;
        }
        return c.getHeaderField("Last-Modified");
    }

    private void restart(Partial p) throws ExportConfigException {
        try {
            p.restart();
        } catch (IOException e) {
            throw new ExportConfigException("cannot write " + p.path + " in the file cache: " + describe(e), e);
        }
    }

    private void copy(RemoteFile f, InputStream in, Partial p, Progress progress) throws Retryable, ExportException {
        long limit = f.size();
        try (OutputStream out = Files.newOutputStream(p.path, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            byte[] buf = new byte[1 << 16];
            while (true) {
                int n;
                try {
                    n = in.read(buf);
                } catch (IOException e) {
                    throw new Retryable("connection lost after " + p.length + " bytes (" + describe(e) + ")", e, null);
                }
                if (n < 0) {
                    break;
                }
                checkCancelled(f);
                if (p.length + n > limit) {
                    // stop before a hostile or broken server fills the disk
                    throw failure(f, "more than the " + limit + " bytes the metadata gives", null);
                }
                p.sha1.update(buf, 0, n);
                p.sha256.update(buf, 0, n);
                out.write(buf, 0, n);
                p.length += n;
                p.received += n;
                CrashPoints.bytes("download.bytes", p.length - n, p.length);
                progress.advance(n);
            }
        } catch (IOException e) {
            throw new ExportConfigException("cannot write " + p.path + " in the file cache: " + describe(e), e);
        }
    }

    private void checkCancelled(RemoteFile f) throws DownloadException {
        if (cancelled) {
            throw failure(f, "stopped: another download failed", null);
        }
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
