package ferry.wsus.client;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * Settings of a {@link WsusClient}.
 *
 * @param connectTimeout   TCP connect timeout
 * @param requestTimeout   time allowed for one SOAP call until the response headers arrive
 * @param userAgent        the User-Agent header
 * @param maxResponseBytes largest SOAP response read (bytes); larger ones fail with {@link UpstreamException}
 * @param accountName      this downstream server's FQDN, sent in GetAuthorizationCookie (3.1.4.2)
 * @param accountGuid      this downstream server's GUID, sent in GetAuthorizationCookie
 */
public record WsusClientOptions(Duration connectTimeout, Duration requestTimeout, String userAgent,
                                long maxResponseBytes, String accountName, String accountGuid) {

    public static final long DEFAULT_MAX_RESPONSE_BYTES = 256L << 20;

    public WsusClientOptions {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(userAgent, "userAgent");
        Objects.requireNonNull(accountName, "accountName");
        UUID.fromString(Objects.requireNonNull(accountGuid, "accountGuid"));
        if (maxResponseBytes < 1024) {
            throw new IllegalArgumentException("maxResponseBytes must be at least 1024");
        }
    }

    /**
     * 15 s connect, 5 min per call, 256 MiB responses, this host's name, and a GUID derived from it (stable across
     * runs, as a downstream server's identity is).
     */
    public static WsusClientOptions defaults() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "localhost";
        }
        return new WsusClientOptions(Duration.ofSeconds(15), Duration.ofMinutes(5), "ferry", DEFAULT_MAX_RESPONSE_BYTES,
                host, UUID.nameUUIDFromBytes(("ferry-dss:" + host).getBytes(StandardCharsets.UTF_8)).toString());
    }

    public WsusClientOptions withTimeouts(Duration connect, Duration request) {
        return new WsusClientOptions(connect, request, userAgent, maxResponseBytes, accountName, accountGuid);
    }

    public WsusClientOptions withUserAgent(String agent) {
        return new WsusClientOptions(connectTimeout, requestTimeout, agent, maxResponseBytes, accountName, accountGuid);
    }

    public WsusClientOptions withMaxResponseBytes(long max) {
        return new WsusClientOptions(connectTimeout, requestTimeout, userAgent, max, accountName, accountGuid);
    }

    public WsusClientOptions withAccount(String name, String guid) {
        return new WsusClientOptions(connectTimeout, requestTimeout, userAgent, maxResponseBytes, name, guid);
    }
}
