package ferry.wsus.client;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The client against upstreams that misbehave on real loopback sockets: busy (503 with Retry-After), resetting,
 * stalling mid-response, silent, and one reached only through an HTTP proxy.
 */
class ClientRobustnessTest {

    private ReplayServer replay;

    @BeforeEach
    void start() throws Exception {
        replay = new ReplayServer();
    }

    @AfterEach
    void stop() throws Exception {
        replay.close();
    }

    private static WsusClientOptions options(RetryPolicy retry) {
        return WsusClientOptions.defaults().withAccount("probe.lab.invalid", "6f1c2f6e-3f0b-4d3a-9b1e-0d2f6a1c5e12")
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)).withRetry(retry);
    }

    @Test
    void busyUpstreamIsRetriedAfterTheSecondsItAsksFor() throws Exception {
        replay.failNext.set(2);
        replay.failRetryAfter = "1";
        long t0 = System.nanoTime();
        ServerSyncSession s = new WsusClient(replay.uri(), options(new RetryPolicy(4, Duration.ofMillis(10),
                Duration.ofMillis(10), Duration.ofSeconds(30)))).open();
        long waited = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(100, s.config().maxNumberOfUpdatesPerRequest());
        assertTrue(waited >= 2000, "Retry-After: 1 honoured twice, not the 10 ms backoff: " + waited + " ms");
        assertEquals(List.of("GetAuthConfig", "GetAuthConfig", "GetAuthConfig", "GetAuthorizationCookie", "GetCookie",
                "GetConfigData"), replay.calls.stream().map(c -> c.split(" ")[0]).toList());
    }

    @Test
    void retryAfterBeyondTheBudgetFailsAtOnceAndAttemptsAreCapped() throws Exception {
        replay.failNext.set(1);
        replay.failRetryAfter = "3600";
        long t0 = System.nanoTime();
        UpstreamException e = assertThrows(UpstreamException.class, () -> new WsusClient(replay.uri(),
                options(new RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofSeconds(60)))).open());
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 30_000, "no hour-long wait");
        assertTrue(e.getMessage().contains("HTTP 503") && e.getMessage().contains("asked to wait 3600 s"), e.getMessage());
        assertEquals(1, replay.calls.size());

        replay.calls.clear();
        replay.failNext.set(100);
        replay.failRetryAfter = null;
        replay.failStatus = 502;
        e = assertThrows(UpstreamException.class, () -> new WsusClient(replay.uri(),
                options(new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(60)))).open());
        assertTrue(e.getMessage().endsWith("HTTP 502 from /ServerSyncWebService/ServerSyncWebService.asmx (after 3 attempts)"),
                e.getMessage());
        assertEquals(3, replay.calls.size(), "three attempts, no more");
    }

    @Test
    void retryAfterReadsSecondsAndHttpDates() {
        Instant now = Instant.parse("2026-11-29T06:00:00Z");
        assertEquals(Duration.ofSeconds(120), RetryPolicy.retryAfter("120", now));
        assertEquals(Duration.ofSeconds(90), RetryPolicy.retryAfter("Sun, 29 Nov 2026 06:01:30 GMT", now));
        assertEquals(Duration.ZERO, RetryPolicy.retryAfter("Sun, 29 Nov 2026 05:00:00 GMT", now));
        assertNull(RetryPolicy.retryAfter("soon", now));
        assertNull(RetryPolicy.retryAfter(null, now));
        RetryPolicy p = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(10));
        assertEquals(Duration.ofSeconds(1), p.nextWait(1, null, Duration.ZERO));
        assertEquals(Duration.ofSeconds(2), p.nextWait(2, null, Duration.ofSeconds(1)));
        assertEquals(Duration.ofSeconds(3), p.nextWait(3, null, Duration.ofSeconds(3)), "capped at maxBackoff");
        assertNull(p.nextWait(4, null, Duration.ofSeconds(8)), "past the total budget");
        assertNull(p.nextWait(5, null, Duration.ZERO), "past the attempts");
    }

    @Test
    void expiredCookieIsRenewedThroughTheWholeAuthChainOnce() throws Exception {
        ServerSyncSession s = new WsusClient(replay.uri(), options(RetryPolicy.NONE)).open();
        replay.calls.clear();
        replay.cookieFault = "CookieExpired";
        replay.invalidCookies.set(1);
        assertEquals(30, s.getRevisionIdList(true, RevisionFilter.everything()).newRevisions().size());
        assertEquals(List.of("GetRevisionIdList", "GetAuthConfig", "GetAuthorizationCookie", "GetCookie", "GetRevisionIdList"),
                replay.calls.stream().map(c -> c.split(" ")[0]).toList());
    }

    @Test
    void cookieAboutToExpireIsRenewedBeforeTheCall() throws Exception {
        WsusClient client = new WsusClient(replay.uri(), options(RetryPolicy.NONE));
        ServerSyncSession s = new ServerSyncSession(client);
        // the recorded cookie (exchange 000003) expires at 2026-10-04T20:33:26.65Z, four hours after it was issued
        MutableClock clock = new MutableClock(Instant.parse("2026-10-04T16:33:30Z"));
        s.useClock(clock);
        s.start(null);
        replay.calls.clear();
        s.getRevisionIdList(true, RevisionFilter.everything());
        assertEquals(List.of("GetRevisionIdList"), replay.calls.stream().map(c -> c.split(" ")[0]).toList(),
                "hours before expiry: no renewal");

        replay.calls.clear();
        clock.now = Instant.parse("2026-10-04T20:32:50Z");
        s.getRevisionIdList(true, RevisionFilter.everything());
        assertEquals(List.of("GetAuthConfig", "GetAuthorizationCookie", "GetCookie", "GetRevisionIdList"),
                replay.calls.stream().map(c -> c.split(" ")[0]).toList(), "within a minute of expiry: renewed first");
    }

    private static final class MutableClock extends java.time.Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void resetConnectionsAreRetried() throws Exception {
        try (MisbehavingFront front = new MisbehavingFront(replay.uri(),
                n -> n <= 2 ? MisbehavingFront.Act.RESET : MisbehavingFront.Act.FORWARD)) {
            ServerSyncSession s = new WsusClient(front.uri(), options(RetryPolicy.DEFAULT.with(4, Duration.ofMillis(50)))).open();
            assertEquals(30, s.getRevisionIdList(true, RevisionFilter.everything()).newRevisions().size());
            assertTrue(front.connections.get() >= 3, "two reset connections, then a good one");
        }
    }

    @Test
    void responseStallingMidBodyHitsTheReadTimeoutAndIsRetried() throws Exception {
        try (MisbehavingFront front = new MisbehavingFront(replay.uri(),
                n -> n == 1 ? MisbehavingFront.Act.STALL : MisbehavingFront.Act.FORWARD)) {
            long t0 = System.nanoTime();
            ServerSyncSession s = new WsusClient(front.uri(), options(RetryPolicy.DEFAULT.with(3, Duration.ofMillis(10)))
                    .withReadTimeout(Duration.ofSeconds(1))).open();
            long took = (System.nanoTime() - t0) / 1_000_000;
            assertNotNull(s.config());
            assertTrue(took >= 1000 && took < 30_000, "one read timeout of 1 s, then the retry: " + took + " ms");
            assertTrue(front.connections.get() >= 2, "the stalled connection, then fresh ones");

        }
        try (MisbehavingFront stalling = new MisbehavingFront(replay.uri(), n -> MisbehavingFront.Act.STALL)) {
            UpstreamException e = assertThrows(UpstreamException.class, () -> new WsusClient(stalling.uri(),
                    options(RetryPolicy.NONE).withReadTimeout(Duration.ofMillis(500))).open());
            assertTrue(e.getMessage().contains("read timeout"), e.getMessage());
        }
    }

    @Test
    void silentUpstreamCannotHangTheRun() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try {
                    while (true) {
                        Socket s = silent.accept(); // accepted, read from never, answered never
                        assertNotNull(s);
                    }
                } catch (Exception ignored) {
                    // closed
                }
            });
            t.setDaemon(true);
            t.start();
            long t0 = System.nanoTime();
            UpstreamException e = assertThrows(UpstreamException.class, () -> new WsusClient(
                    URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/"),
                    options(RetryPolicy.DEFAULT.with(2, Duration.ofMillis(10)))
                            .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1))).open());
            long took = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(e.getMessage().contains("no response within 1 s (after 2 attempts)"), e.getMessage());
            assertTrue(took < 30_000, "gave up in " + took + " ms, not hanging");
        }
    }

    @Test
    void proxyCarriesEveryCallAndNoProxyBypassesIt() throws Exception {
        try (ForwardProxy proxy = new ForwardProxy()) {
            WsusClient viaProxy = new WsusClient(replay.uri(), options(RetryPolicy.NONE)
                    .withProxy(ProxyConfig.of(proxy.url(), null)));
            ServerSyncSession s = viaProxy.open();
            assertEquals(30, s.getRevisionIdList(true, RevisionFilter.everything()).newRevisions().size());
            assertFalse(proxy.requests.isEmpty());
            assertTrue(proxy.requests.get(0).startsWith("POST " + replay.uri() + "ServerSyncWebService/"),
                    "absolute-form request through the proxy: " + proxy.requests);
            assertEquals(5, replay.calls.size());

            proxy.requests.clear();
            new WsusClient(replay.uri(), options(RetryPolicy.NONE)
                    .withProxy(ProxyConfig.of(proxy.url(), "example.org, 127.0.0.1"))).open();
            assertEquals(List.of(), proxy.requests, "127.0.0.1 is in no_proxy");
        }
    }

    @Test
    void proxyEnvironmentIsReadAsCurlDoes() {
        ProxyConfig env = ProxyConfig.fromEnvironment(Map.of("http_proxy", "http://proxy.lab:3128",
                "HTTPS_PROXY", "proxy.lab:8080", "HTTP_PROXY", "http://evil.example:1", "no_proxy", ".corp.example,10.0.0.7:8530"));
        assertEquals("proxy.lab:3128", hostPort(env.proxyFor(URI.create("http://wsus.example.org:8530/"))));
        assertEquals("proxy.lab:8080", hostPort(env.proxyFor(URI.create("https://sws.update.microsoft.com/"))));
        assertNull(env.proxyFor(URI.create("http://wsus.corp.example/")), "subdomain of a no_proxy domain");
        assertNull(env.proxyFor(URI.create("http://corp.example/")), "the domain itself");
        assertNull(env.proxyFor(URI.create("http://10.0.0.7:8530/")), "host and port");
        assertEquals("proxy.lab:3128", hostPort(env.proxyFor(URI.create("http://10.0.0.7:8531/"))), "another port");
        assertNull(ProxyConfig.fromEnvironment(Map.of("HTTP_PROXY", "http://evil.example:1"))
                .proxyFor(URI.create("http://wsus.example.org/")), "upper-case HTTP_PROXY is ignored, as curl does");
        assertNull(ProxyConfig.fromEnvironment(Map.of("https_proxy", "http://p:1", "no_proxy", "*"))
                .proxyFor(URI.create("https://a.example/")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProxyConfig.fromEnvironment(Map.of("https_proxy", "https://p.example:443")));
        assertTrue(e.getMessage().startsWith("https_proxy must be an http:// proxy URL"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ProxyConfig.of("http://user:pw@p.example:3128", null));
        assertFalse(e.getMessage().contains("pw"), "credentials never echoed: " + e.getMessage());
    }

    private static String hostPort(java.net.InetSocketAddress a) {
        return a == null ? null : a.getHostString() + ":" + a.getPort();
    }
}
