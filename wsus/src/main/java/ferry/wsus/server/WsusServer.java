package ferry.wsus.server;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A running upstream server: Jetty on one HTTP port serving {@code /ServerSyncWebService/ServerSyncWebService.asmx},
 * {@code /DssAuthWebService/DssAuthWebService.asmx} ({@link ServerSyncHandler}) and {@code /Content/}
 * ({@link ContentHandler}); everything else is 404. At most 64 worker threads, 16 KiB of request headers, 4 MiB
 * SOAP bodies, 30 s idle timeout. For tests and the sample upstream: it does not bound slow clients; {@code ferry
 * serve} mounts the same handlers on the server module's Jetty setup, which does.
 */
public final class WsusServer implements AutoCloseable {

    private final Server jetty;
    private final URI uri;

    private WsusServer(Server jetty, URI uri) {
        this.jetty = jetty;
        this.uri = uri;
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
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(content, "content");
        List<Handler> handlers = new ArrayList<>();
        handlers.add(new ServerSyncHandler(catalog, settings));
        handlers.add(new ContentHandler(content));
        handlers.addAll(extraHandlers);
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
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
        connector.setIdleTimeout(30_000);
        jetty.addConnector(connector);
        jetty.setHandler(new Handler.Sequence(handlers));
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
