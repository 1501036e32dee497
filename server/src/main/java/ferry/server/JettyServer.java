package ferry.server;

import org.eclipse.jetty.server.ConnectionLimit;
import ferry.wsus.server.ServerSyncHandler;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * Jetty on one HTTP port for {@code ferry serve}, with the {@link ServerLimits} that keep slow clients from
 * starving the others: bounded worker threads, connections in total and per client address, request bodies read
 * without a thread and within a deadline, 16 KiB of request headers. The handlers are tried in order; a request
 * none of them handles gets 404.
 */
final class JettyServer implements AutoCloseable {

    private final Server jetty;
    private final URI uri;

    private JettyServer(Server jetty, URI uri) {
        this.jetty = jetty;
        this.uri = uri;
    }

    /**
     * Starts listening.
     *
     * @param bindHost address to listen on (e.g. {@code 127.0.0.1}, {@code 0.0.0.0})
     * @param port     TCP port, 0 for any free one
     * @param handlers Jetty handlers returning false for requests they do not serve
     * @throws Exception if Jetty cannot start (port in use, address not local, ...)
     */
    static JettyServer start(String bindHost, int port, ServerLimits limits, List<Handler> handlers) throws Exception {
        Objects.requireNonNull(limits, "limits");
        QueuedThreadPool threads = new QueuedThreadPool(limits.maxThreads(), 4);
        threads.setName("ferry-serve");
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
        connector.addEventListener(new AddressConnectionLimit(limits.maxConnectionsPerAddress()));
        jetty.addConnector(connector);
        jetty.addBean(new ConnectionLimit(limits.maxConnections(), connector));
        jetty.setHandler(new BodyBufferingHandler(limits, new Handler.Sequence(List.copyOf(handlers))));
        jetty.setStopTimeout(5_000);
        try {
            jetty.start();
        } catch (Exception e) {
            jetty.stop();
            throw e;
        }
        String host = bindHost.contains(":") ? "[" + bindHost + "]" : bindHost;
        return new JettyServer(jetty, URI.create("http://" + host + ":" + connector.getLocalPort() + "/"));
    }

    /** The base URL as bound, e.g. {@code http://127.0.0.1:8530/} or {@code http://0.0.0.0:8530/}. */
    URI uri() {
        return uri;
    }

    /** Stops serving; waits up to 5 s for running requests. */
    @Override
    public void close() throws Exception {
        jetty.stop();
    }
}
