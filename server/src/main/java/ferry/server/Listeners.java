package ferry.server;

import java.util.Objects;

/**
 * Where {@code ferry serve} listens: plain HTTP (WSUS's 8530), HTTPS (WSUS's 8531), or both, as WSUS does, on one
 * address. A port of 0 takes any free one.
 *
 * @param bindHost  address to listen on, e.g. {@code 0.0.0.0} or {@code 127.0.0.1}
 * @param httpPort  the HTTP port, or -1 for no HTTP
 * @param httpsPort the HTTPS port, or -1 for no HTTPS
 * @param tls       the certificate and key for HTTPS; null exactly when there is no HTTPS
 */
public record Listeners(String bindHost, int httpPort, int httpsPort, TlsCredentials tls) {
    /** @throws IllegalArgumentException when nothing listens, a port is out of range, or TLS and HTTPS disagree */
    public Listeners {
        Objects.requireNonNull(bindHost, "bindHost");
        if (httpPort < -1 || httpPort > 65535 || httpsPort < -1 || httpsPort > 65535) {
            throw new IllegalArgumentException("ports must be 0 to 65535");
        }
        if (httpPort == -1 && httpsPort == -1) {
            throw new IllegalArgumentException("neither HTTP nor HTTPS is enabled");
        }
        if ((httpsPort == -1) != (tls == null)) {
            throw new IllegalArgumentException("HTTPS needs a certificate and key, and a certificate needs an HTTPS port");
        }
    }

    /** Plain HTTP only. */
    public static Listeners http(String bindHost, int port) {
        return new Listeners(bindHost, port, -1, null);
    }
}
