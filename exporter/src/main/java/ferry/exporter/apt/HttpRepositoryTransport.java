package ferry.exporter.apt;

import ferry.apt.fetch.RepositoryTransport;
import ferry.format.Progress;
import ferry.wsus.client.RetryPolicy;
import ferry.wsus.client.StallGuard;
import ferry.wsus.client.WsusClientOptions;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * Reads an upstream APT repository's Release and index files over the exporter's HTTP client: its proxy, TLS trust
 * ({@code --upstream-ca}), timeouts and user agent, with the stall guard against a silent server and the retry
 * policy of the file downloads (timeouts, dropped connections, HTTP 408/429/5xx, honouring {@code Retry-After}).
 * Each file is received whole into memory before it is handed on (these are at most tens of MiB; the caller gives
 * the bound), so a retry never hands the reader half a file. Thread-safe.
 */
final class HttpRepositoryTransport implements RepositoryTransport {

    private final URI base;
    private final HttpClient http;
    private final WsusClientOptions options;
    private final RetryPolicy retry;
    private final Progress progress;

    /** @param base the repository root (the directory holding {@code dists/}), ending in {@code /} */
    HttpRepositoryTransport(URI base, WsusClientOptions options, RetryPolicy retry, Progress progress) {
        this.base = base;
        this.http = options.httpClient(HttpClient.Redirect.NORMAL);
        this.options = options;
        this.retry = retry;
        this.progress = progress;
    }

    /** The URL of a path below the repository root, each character outside the safe set percent-encoded. */
    static URI resolve(URI base, String path) {
        StringBuilder b = new StringBuilder(base.toString());
        for (byte c : path.getBytes(StandardCharsets.UTF_8)) {
            char ch = (char) (c & 0xff);
            if (ch < 0x80 && (Character.isLetterOrDigit(ch) || "/-._~+".indexOf(ch) >= 0)) {
                b.append(ch);
            } else {
                b.append('%').append(String.format("%02X", c & 0xff));
            }
        }
        return URI.create(b.toString());
    }

    @Override
    public InputStream open(String path, long maxBytes) throws IOException {
        URI url = resolve(base, path);
        Duration waited = Duration.ZERO;
        for (int attempt = 1; ; attempt++) {
            Duration retryAfter = null;
            IOException failure;
            int status;
            try {
                HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(url).timeout(options.requestTimeout())
                        .header("User-Agent", options.userAgent()).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
                status = r.statusCode();
                try (InputStream in = StallGuard.guard(r.body(), options.readTimeout())) {
                    if (status == 404 || status == 410) {
                        return null;
                    }
                    if (status == 200) {
                        return new ByteArrayInputStream(read(in, maxBytes));
                    }
                    failure = new IOException(url + ": HTTP " + status);
                    retryAfter = RetryPolicy.retryAfter(r.headers().firstValue("Retry-After").orElse(null),
                            Instant.now());
                }
            } catch (ConnectException e) {
                throw new IOException(url + ": cannot connect (" + describe(e) + ")", e);
            } catch (javax.net.ssl.SSLHandshakeException e) {
                throw new IOException(url + ": TLS handshake failed, the server's certificate is not trusted or does"
                        + " not name this host (" + describe(e) + ")", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(url + ": interrupted", e);
            } catch (IOException e) {
                status = 0;
                failure = new IOException(url + ": " + describe(e), e);
            }
            if (status != 0 && status != 408 && status != 429 && status < 500) {
                throw failure; // an answer, not a passing failure
            }
            Duration wait = retry.nextWait(attempt, retryAfter, waited);
            if (wait == null) {
                throw new IOException(failure.getMessage() + (attempt > 1 ? " (after " + attempt + " attempts)" : ""),
                        failure.getCause());
            }
            progress.info("retrying " + url + " in " + wait.toMillis() + " ms (attempt " + (attempt + 1) + " of "
                    + retry.attempts() + "): " + failure.getMessage());
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(url + ": interrupted", e);
            }
            waited = waited.plus(wait);
        }
    }

    /** At most {@code maxBytes + 1} bytes: one more than allowed lets the reader say the file is too long. */
    private static byte[] read(InputStream in, long maxBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        long left = maxBytes + 1;
        for (int n; left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0; ) {
            out.write(buf, 0, n);
            left -= n;
        }
        return out.toByteArray();
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.replaceAll("\\s+", " ");
    }
}
