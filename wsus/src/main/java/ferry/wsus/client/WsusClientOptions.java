package ferry.wsus.client;

import javax.net.ssl.SSLContext;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * Settings of a {@link WsusClient} (and of the exporter's file downloads, which use the same HTTP settings).
 *
 * @param connectTimeout   TCP (and TLS) connect timeout
 * @param requestTimeout   time allowed for one request until the response headers arrive
 * @param userAgent        the User-Agent header
 * @param maxResponseBytes largest SOAP response read (bytes); larger ones fail with {@link UpstreamException}
 * @param accountName      this downstream server's FQDN, sent in GetAuthorizationCookie (3.1.4.2)
 * @param accountGuid      this downstream server's GUID, sent in GetAuthorizationCookie
 * @param readTimeout      longest wait for the next bytes of a response body; zero = no limit. An upstream that
 *                         falls silent mid-response fails the attempt (and is retried) instead of hanging the run
 * @param retry            retries of timeouts, resets, refused connections and HTTP 408/429/5xx, honouring
 *                         {@code Retry-After}; every MS-WSUSSS operation ferry sends only reads, so is safe to repeat
 * @param proxy            the HTTP proxy to go through
 * @param sslContext       TLS trust for https upstreams; null = the JVM default
 */
public record WsusClientOptions(Duration connectTimeout, Duration requestTimeout, String userAgent,
                                long maxResponseBytes, String accountName, String accountGuid, Duration readTimeout,
                                RetryPolicy retry, ProxyConfig proxy, SSLContext sslContext) {

    public static final long DEFAULT_MAX_RESPONSE_BYTES = 256L << 20;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(15);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(5);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(120);

    /** @throws IllegalArgumentException for a negative or zero timeout, a bad GUID or a tiny response limit */
    public WsusClientOptions {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(userAgent, "userAgent");
        Objects.requireNonNull(accountName, "accountName");
        UUID.fromString(Objects.requireNonNull(accountGuid, "accountGuid"));
        if (maxResponseBytes < 1024) {
            throw new IllegalArgumentException("maxResponseBytes must be at least 1024");
        }
        Objects.requireNonNull(readTimeout, "readTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero() || requestTimeout.isNegative()
                || requestTimeout.isZero() || readTimeout.isNegative()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(proxy, "proxy");
    }

    /**
     * 15 s connect, 5 min until a response's headers, 120 s read timeout, {@link RetryPolicy#DEFAULT}, direct
     * connections, the JVM's trust, 256 MiB responses, this host's name, and a GUID derived from it (stable across
     * runs, as a downstream server's identity is).
     */
    public static WsusClientOptions defaults() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "localhost";
        }
        return new WsusClientOptions(DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, "ferry", DEFAULT_MAX_RESPONSE_BYTES,
                host, UUID.nameUUIDFromBytes(("ferry-dss:" + host).getBytes(StandardCharsets.UTF_8)).toString(),
                DEFAULT_READ_TIMEOUT, RetryPolicy.DEFAULT, ProxyConfig.DIRECT, null);
    }

    public WsusClientOptions withTimeouts(Duration connect, Duration request) {
        return new WsusClientOptions(connect, request, userAgent, maxResponseBytes, accountName, accountGuid,
                readTimeout, retry, proxy, sslContext);
    }

    public WsusClientOptions withReadTimeout(Duration read) {
        return new WsusClientOptions(connectTimeout, requestTimeout, userAgent, maxResponseBytes, accountName,
                accountGuid, read, retry, proxy, sslContext);
    }

    public WsusClientOptions withUserAgent(String agent) {
        return new WsusClientOptions(connectTimeout, requestTimeout, agent, maxResponseBytes, accountName, accountGuid,
                readTimeout, retry, proxy, sslContext);
    }

    public WsusClientOptions withMaxResponseBytes(long max) {
        return new WsusClientOptions(connectTimeout, requestTimeout, userAgent, max, accountName, accountGuid,
                readTimeout, retry, proxy, sslContext);
    }

    public WsusClientOptions withAccount(String name, String guid) {
        return new WsusClientOptions(connectTimeout, requestTimeout, userAgent, maxResponseBytes, name, guid,
                readTimeout, retry, proxy, sslContext);
    }

    public WsusClientOptions withRetry(RetryPolicy policy) {
        return new WsusClientOptions(connectTimeout, requestTimeout, userAgent, maxResponseBytes, accountName,
                accountGuid, readTimeout, policy, proxy, sslContext);
    }

    public WsusClientOptions withProxy(ProxyConfig p) {
        return new WsusClientOptions(connectTimeout, requestTimeout, userAgent, maxResponseBytes, accountName,
                accountGuid, readTimeout, retry, p, sslContext);
    }

    public WsusClientOptions withSslContext(SSLContext ctx) {
        return new WsusClientOptions(connectTimeout, requestTimeout, userAgent, maxResponseBytes, accountName,
                accountGuid, readTimeout, retry, proxy, ctx);
    }

    /**
     * An HTTP client with these options' connect timeout, proxy and TLS trust, speaking HTTP/1.1 (what WSUS
     * servers speak).
     *
     * @param redirects how to follow redirects: NEVER for SOAP, NORMAL for content (CDNs redirect; NORMAL never
     *                  follows https to http)
     */
    public java.net.http.HttpClient httpClient(java.net.http.HttpClient.Redirect redirects) {
        java.net.http.HttpClient.Builder b = java.net.http.HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(redirects)
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .proxy(proxy.selector());
        if (sslContext != null) {
            b.sslContext(sslContext);
        }
        return b.build();
    }
}
