package ferry.wsus.server;

import org.eclipse.jetty.server.ConnectionLimit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A running upstream server: Jetty on one HTTP port serving {@code /ServerSyncWebService/ServerSyncWebService.asmx},
 * {@code /DssAuthWebService/DssAuthWebService.asmx} ({@link ServerSyncHandler}) and {@code /Content/}
 * ({@link ContentHandler}); everything else is 404. For tests and the sample upstream ({@code ferry
 * sample-upstream}), bounded by {@link Limits} so that slow clients cannot hold it: request bodies are read without a
 * worker thread and must arrive within a deadline ({@link BodyBufferingHandler}), connections are bounded in total
 * and closed when idle, 16 KiB of request headers. {@code ferry serve} mounts the same handlers on the server
 * module's Jetty setup, which adds a per-address connection limit and operator options.
 */
public final class WsusServer implements AutoCloseable {

    private final Server jetty;
    private final URI uri;

    private WsusServer(Server jetty, URI uri) {
        this.jetty = jetty;
        this.uri = uri;
    }

    /**
     * Limits against slow or greedy clients.
     *
     * @param maxThreads          worker threads (count, at least 8)
     * @param maxConnections      open connections over all clients (count); further connections wait in the accept
     *                            backlog until one closes
     * @param maxRequestBodyBytes largest request body accepted (bytes); a larger one gets 413
     * @param requestBodyTimeout  the whole request body must arrive within this time after the request headers, else
     *                            the connection is cut; no worker thread waits for body bytes meanwhile
     * @param idleTimeout         a connection with no bytes moving for this long is closed
     */
    public record Limits(int maxThreads, int maxConnections, int maxRequestBodyBytes, Duration requestBodyTimeout,
                         Duration idleTimeout) {

        /** 64 threads, 256 connections, 4 MiB bodies (the most {@link ServerSyncHandler} reads), 20 s per body, 30 s idle. */
        public static Limits defaults() {
            return new Limits(64, 256, ServerSyncHandler.MAX_REQUEST_BYTES, Duration.ofSeconds(20),
                    Duration.ofSeconds(30));
        }

        /** @throws IllegalArgumentException if a count or time is not positive or the threads are fewer than 8 */
        public Limits {
            Objects.requireNonNull(requestBodyTimeout, "requestBodyTimeout");
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            if (maxThreads < 8 || maxConnections < 1 || maxRequestBodyBytes < 1 || requestBodyTimeout.isNegative()
                    || requestBodyTimeout.isZero() || idleTimeout.isNegative() || idleTimeout.isZero()) {
                throw new IllegalArgumentException("server limits must be positive (and at least 8 threads): " + this);
            }
        }

        /** A copy with other body and idle times (tests use short ones). */
        public Limits withTimes(Duration requestBodyTimeout, Duration idleTimeout) {
            return new Limits(maxThreads, maxConnections, maxRequestBodyBytes, requestBodyTimeout, idleTimeout);
        }
    }

    /** {@link #start(String, int, UpdateCatalog, ContentResolver, ServerSyncSettings)} with default settings. */
    public static WsusServer start(String bindHost, int port, UpdateCatalog catalog, ContentResolver content)
            throws Exception {
        return start(bindHost, port, catalog, content, ServerSyncSettings.defaults());
    }

    /**
     * Starts serving.
     *
     * @param bindHost address to listen on (e.g. {@code 127.0.0.1}, {@code 0.0.0.0})
     * @param port     TCP port, 0 for any free one
     * @throws Exception if Jetty cannot start (port in use, ...)
     */
    public static WsusServer start(String bindHost, int port, UpdateCatalog catalog, ContentResolver content,
                                   ServerSyncSettings settings) throws Exception {
        return start(bindHost, port, catalog, content, settings, List.of());
    }

    /**
     * Starts serving, with more handlers for what the WSUS handlers leave alone (e.g. a status page). They are
     * tried in order after the web services and {@code /Content/}; a request none of them handles gets 404.
     *
     * @param bindHost      address to listen on (e.g. {@code 127.0.0.1}, {@code 0.0.0.0})
     * @param port          TCP port, 0 for any free one
     * @param extraHandlers Jetty handlers returning false for requests they do not serve; may be empty
     * @throws Exception if Jetty cannot start (port in use, ...)
     */
    public static WsusServer start(String bindHost, int port, UpdateCatalog catalog, ContentResolver content,
                                   ServerSyncSettings settings, List<Handler> extraHandlers) throws Exception {
        return start(bindHost, port, catalog, content, settings, extraHandlers, Limits.defaults());
    }

    /**
     * Starts serving with {@code limits}; otherwise as
     * {@link #start(String, int, UpdateCatalog, ContentResolver, ServerSyncSettings, List)}.
     *
     * @throws Exception if Jetty cannot start (port in use, ...)
     */
    public static WsusServer start(String bindHost, int port, UpdateCatalog catalog, ContentResolver content,
                                   ServerSyncSettings settings, List<Handler> extraHandlers, Limits limits)
            throws Exception {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(content, "content");
        List<Handler> handlers = new ArrayList<>();
        handlers.add(new ServerSyncHandler(catalog, settings));
        handlers.add(new ContentHandler(content));
        handlers.addAll(extraHandlers);
        QueuedThreadPool threads = new QueuedThreadPool(limits.maxThreads(), 4);
        threads.setName("ferry-wsus");
        Server jetty = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(16 * 1024);
        http.setUriCompliance(ServerSyncHandler.URI_COMPLIANCE);
        ServerConnector connector = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(bindHost);
        connector.setPort(port);
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        jetty.addConnector(connector);
        jetty.addBean(new ConnectionLimit(limits.maxConnections(), connector));
        jetty.setHandler(new BodyBufferingHandler(limits.maxRequestBodyBytes(), limits.requestBodyTimeout(),
                new Handler.Sequence(handlers)));
        jetty.setStopTimeout(5_000);
        try {
            jetty.start();
        } catch (Exception e) {
            jetty.stop();
            throw e;
        }
        String host = bindHost.contains(":") ? "[" + bindHost + "]" : bindHost;
        return new WsusServer(jetty, URI.create("http://" + host + ":" + connector.getLocalPort() + "/"));
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8530/}. */
    public URI uri() {
        return uri;
    }

    /** Stops serving; waits up to 5 s for running requests. */
    @Override
    public void close() throws Exception {
        jetty.stop();
    }
}
