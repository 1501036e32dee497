package ferry.cli;

import ferry.wsus.client.ProxyConfig;
import ferry.wsus.client.RetryPolicy;
import ferry.wsus.client.UpstreamTrust;
import ferry.wsus.client.WsusClientOptions;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** How {@code ferry export} reaches the upstream and its download servers: parallelism, proxy, TLS trust, patience. */
final class UpstreamConnectionOptions {
    @Option(names = "--download-threads", defaultValue = "4", paramLabel = "N",
            description = "Files downloaded at once, 1-64 (default: ${DEFAULT-VALUE}: fills a 100 Mbit/s to 1 Gbit/s link from"
                    + " Microsoft's CDN; use 1-2 against a small on-premises WSUS).")
    int downloadThreads;

    @Option(names = "--proxy", paramLabel = "URL",
            description = "HTTP proxy for the upstream and the downloads, e.g. http://proxy.example.org:3128 (https is"
                    + " tunnelled through it with CONNECT; no credentials). Without it the https_proxy, http_proxy and"
                    + " no_proxy environment variables apply, as curl reads them; no_proxy applies to --proxy too.")
    String proxy;

    @Option(names = "--upstream-ca", paramLabel = "PEM",
            description = "Also trust the certificates in this PEM file for an https upstream (repeatable): a private CA,"
                    + " or the certificate another ferry serves with `ferry serve --tls-cert`. The JVM's trust store"
                    + " still applies, and the host name must match the certificate.")
    List<Path> upstreamCa = new ArrayList<>();

    @Option(names = "--connect-timeout", defaultValue = "15s", paramLabel = "DURATION",
            description = "Longest wait for a connection to the upstream or a download server (default: ${DEFAULT-VALUE}).")
    String connectTimeout;

    @Option(names = "--read-timeout", defaultValue = "120s", paramLabel = "DURATION",
            description = "Longest silence inside a response before the attempt fails and is retried, so a stalled"
                    + " upstream cannot hang a run (default: ${DEFAULT-VALUE}).")
    String readTimeout;

    @Option(names = "--retries", defaultValue = "3", paramLabel = "N",
            description = "Retries of a call or download after a timeout, a dropped connection or HTTP 408/429/5xx, 0-9"
                    + " (default: ${DEFAULT-VALUE}); the pause doubles from 2 s up to 60 s, or is what the server's"
                    + " Retry-After asks, and at most 5 minutes are spent waiting per request.")
    int retries;

    /**
     * Timeouts, retries, proxy and TLS trust as the WSUS client and the downloader take them.
     *
     * @param environment the process environment ({@code https_proxy}, {@code http_proxy}, {@code no_proxy})
     * @throws CliException exit 2 naming the option whose value is out of range or unreadable
     */
    WsusClientOptions clientOptions(java.util.Map<String, String> environment) {
        if (retries < 0 || retries > 9) {
            throw new CliException(ExitCodes.USAGE, "--retries must be 0 to 9: " + retries);
        }
        if (downloadThreads < 1 || downloadThreads > 64) {
            throw new CliException(ExitCodes.USAGE, "--download-threads must be 1 to 64: " + downloadThreads);
        }
        Duration connect = Durations.option("--connect-timeout", connectTimeout);
        Duration read = Durations.option("--read-timeout", readTimeout);
        ProxyConfig proxies;
        try {
            proxies = proxy != null
                    ? ProxyConfig.of(proxy, firstNonBlank(environment.get("no_proxy"), environment.get("NO_PROXY")))
                    : ProxyConfig.fromEnvironment(environment);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, (proxy != null ? "--proxy: " : "") + e.getMessage(), e);
        }
        WsusClientOptions o = WsusClientOptions.defaults()
                .withTimeouts(connect, WsusClientOptions.DEFAULT_REQUEST_TIMEOUT).withReadTimeout(read)
                .withRetry(RetryPolicy.DEFAULT.with(retries + 1, RetryPolicy.DEFAULT.initialBackoff()))
                .withProxy(proxies);
        if (!upstreamCa.isEmpty()) {
            try {
                o = o.withSslContext(UpstreamTrust.context(upstreamCa));
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCodes.USAGE, "--upstream-ca: " + e.getMessage(), e);
            }
        }
        return o;
    }

    /** Attempts per call or download: the first and {@code --retries} more. */
    int attempts() {
        return retries + 1;
    }

    private static String firstNonBlank(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }
}
