package ferry.server;

import ferry.wsus.server.BodyBufferingHandler;
import ferry.wsus.server.ServerSyncHandler;
import org.eclipse.jetty.server.ConnectionLimit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Jetty on an HTTP port, an HTTPS port or both for {@code ferry serve} ({@link Listeners}), with the {@link ServerLimits} that keep slow clients from
 * starving the others: bounded worker threads, connections in total and per client address, request bodies read
 * without a thread and within a deadline, 16 KiB of request headers; the limits count both ports together. HTTPS
 * speaks TLS 1.3 and 1.2 only, with Jetty's default exclusion of weak cipher suites. The handlers are tried in order;
 * a request none of them handles gets 404.
 */
final class JettyServer implements AutoCloseable {

    /** The only TLS versions offered: TLS 1.1 and older are deprecated (RFC 8996). */
    static final String[] TLS_PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final Server jetty;
    private final List<URI> uris;

    private JettyServer(Server jetty, List<URI> uris) {
        this.jetty = jetty;
        this.uris = List.copyOf(uris);
    }

    /** Plain HTTP on one port; see {@link #start(Listeners, ServerLimits, List)}. */
    static JettyServer start(String bindHost, int port, ServerLimits limits, List<Handler> handlers) throws Exception {
        return start(Listeners.http(bindHost, port), limits, handlers, new ServerTraffic(), AccessLog.none());
    }

    /**
     * Starts listening.
     *
     * @param handlers  Jetty handlers returning false for requests they do not serve
     * @param traffic   counts every request (for the status page)
     * @param accessLog where each request is logged, if anywhere
     * @throws Exception if Jetty cannot start (port in use, address not local, unusable TLS key, log not writable, ...)
     */
    static JettyServer start(Listeners listen, ServerLimits limits, List<Handler> handlers, ServerTraffic traffic,
                             AccessLog accessLog) throws Exception {
        Objects.requireNonNull(limits, "limits");
        QueuedThreadPool threads = new QueuedThreadPool(limits.maxThreads(), 4);
        threads.setName("ferry-serve");
        Server jetty = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(16 * 1024);
        http.setUriCompliance(ServerSyncHandler.URI_COMPLIANCE);
        // One count per client address over both ports.
        AddressConnectionLimit perAddress = new AddressConnectionLimit(limits.maxConnectionsPerAddress());
        List<ServerConnector> connectors = new ArrayList<>();
        if (listen.httpPort() >= 0) {
            connectors.add(new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(http)));
            connectors.get(connectors.size() - 1).setPort(listen.httpPort());
        }
        ServerConnector tlsConnector = null;
        if (listen.httpsPort() >= 0) {
            HttpConfiguration https = new HttpConfiguration(http);
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // Clients check the certificate; refusing a request whose SNI differs from it (Jetty's default) would
            // only turn away clients that reach this server by its address.
            secure.setSniHostCheck(false);
            https.addCustomizer(secure);
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStore(listen.tls().keyStore());
            ssl.setKeyStorePassword(new String(listen.tls().password()));
            ssl.setKeyManagerPassword(new String(listen.tls().password()));
            ssl.setIncludeProtocols(TLS_PROTOCOLS);
            tlsConnector = new ServerConnector(jetty, 1, 1, new SslConnectionFactory(ssl, "http/1.1"),
                    new HttpConnectionFactory(https));
            tlsConnector.setPort(listen.httpsPort());
            connectors.add(tlsConnector);
        }
        for (ServerConnector c : connectors) {
            c.setHost(listen.bindHost());
            c.setIdleTimeout(limits.idleTimeout().toMillis());
            c.addEventListener(perAddress);
            jetty.addConnector(c);
        }
        jetty.addBean(new ConnectionLimit(limits.maxConnections(), connectors.toArray(new ServerConnector[0])));
        traffic.handler().setHandler(new BodyBufferingHandler(limits.maxRequestBodyBytes(), limits.requestBodyTimeout(),
                new Handler.Sequence(List.copyOf(handlers))));
        jetty.setHandler(traffic.handler());
        if (accessLog.requestLog() != null) {
            jetty.setRequestLog(accessLog.requestLog());
        }
        jetty.setStopTimeout(5_000);
        try {
            jetty.start();
        } catch (Exception e) {
            jetty.stop();
            throw e;
        }
        String host = listen.bindHost().contains(":") ? "[" + listen.bindHost() + "]" : listen.bindHost();
        List<URI> uris = new ArrayList<>();
        for (ServerConnector c : connectors) {
            uris.add(URI.create((c == tlsConnector ? "https" : "http") + "://" + host + ":" + c.getLocalPort() + "/"));
        }
        return new JettyServer(jetty, uris);
    }

    /** The base URLs as bound, HTTP first, e.g. {@code http://0.0.0.0:8530/} and {@code https://0.0.0.0:8531/}. */
    List<URI> uris() {
        return uris;
    }

    /** The first base URL (HTTP when it is enabled). */
    URI uri() {
        return uris.get(0);
    }

    /** Stops serving; waits up to 5 s for running requests. */
    @Override
    public void close() throws Exception {
        jetty.stop();
    }
}
