package ferry.server;

import ferry.store.Store;
import ferry.store.SourceCatalog;
import ferry.wsus.catalog.WsusTables;
import ferry.apt.catalog.AptTables;
import ferry.store.StoreException;
import ferry.store.StoreLockedException;
import ferry.wsus.server.ServerSyncSettings;

import org.eclipse.jetty.server.Handler;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code ferry serve}: the store as an upstream server for downstream WSUS servers and Windows clients, on HTTP,
 * HTTPS or both ({@link Listeners}): the MS-WSUSSS web services ({@link StoreCatalog}), {@code /Content/} ({@link StoreContent}, with HEAD and
 * byte ranges), and a status page at {@code /} and {@code /status.json}. Threads, connections and request bodies are
 * bounded by {@link ServerLimits} so slow clients cannot starve the others.
 *
 * <p>Serving and importing: {@link #start(Path, String, int)} opens the store for serving
 * ({@link Store#openForServing}), so {@code ferry import} in another process can import into it meanwhile. Every
 * answer comes from one committed state of the catalog: before the import's commit the old one, from the commit on
 * the new one, without a restart. Within one process, {@link #start(Store, String, int, ServerSyncSettings)} serves a
 * store the caller also imports into, with the same guarantee.
 */
public final class StoreServer implements AutoCloseable {
    private final JettyServer server;
    private final Store owned;
    private final CommitWatch commits;

    private StoreServer(JettyServer server, Store owned, CommitWatch commits) {
        this.server = server;
        this.owned = owned;
        this.commits = commits;
    }

    private static StoreServer serving(Store store, Listeners listen, ServerSyncSettings settings, ServerLimits limits,
                                       AccessLog accessLog, Store owned) throws ServeException {
        CommitWatch commits;
        try {
            commits = CommitWatch.start(store);
        } catch (StoreException e) {
            throw new ServeException("cannot serve store " + store.directory() + ": " + e.getMessage(), e);
        }
        try {
            return new StoreServer(listen(store, listen, settings, limits, accessLog), owned, commits);
        } catch (ServeException | RuntimeException e) {
            commits.close();
            throw e;
        }
    }

    /**
     * Opens the store at {@code storeDir} (creating an empty one if missing) and serves it until {@link #close()}.
     *
     * @param bindHost address to listen on, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}
     * @param port     TCP port (8530 is WSUS's), 0 for any free one
     * @throws StoreLockedException if another process serves the store, or holds it exclusively
     * @throws ServeException       if the store cannot be opened or the address and port cannot be bound
     */
    public static StoreServer start(Path storeDir, String bindHost, int port)
            throws StoreLockedException, ServeException {
        return start(storeDir, bindHost, port, ServerLimits.defaults());
    }

    /**
     * {@link #start(Path, String, int)} with explicit limits on threads, connections and request bodies.
     *
     * @throws StoreLockedException if another process serves the store, or holds it exclusively
     * @throws ServeException       if the store cannot be opened or the address and port cannot be bound
     */
    public static StoreServer start(Path storeDir, String bindHost, int port, ServerLimits limits)
            throws StoreLockedException, ServeException {
        return start(storeDir, Listeners.http(bindHost, port), limits);
    }

    /**
     * Opens the store at {@code storeDir} and serves it on HTTP, HTTPS or both ({@link Listeners}) until
     * {@link #close()}.
     *
     * @throws StoreLockedException if another process serves the store, or holds it exclusively
     * @throws ServeException       if the store cannot be opened or an address and port cannot be bound
     */
    public static StoreServer start(Path storeDir, Listeners listen, ServerLimits limits)
            throws StoreLockedException, ServeException {
        return start(storeDir, listen, limits, AccessLog.none());
    }

    /**
     * {@link #start(Path, Listeners, ServerLimits)} writing an access log.
     *
     * @throws StoreLockedException if another process serves the store, or holds it exclusively
     * @throws ServeException       if the store cannot be opened, an address and port cannot be bound, or the log
     *                              cannot be written
     */
    public static StoreServer start(Path storeDir, Listeners listen, ServerLimits limits, AccessLog accessLog)
            throws StoreLockedException, ServeException {
        return start(storeDir, listen, limits, accessLog, ServerSyncSettings.defaults());
    }

    /**
     * {@link #start(Path, Listeners, ServerLimits, AccessLog)} with other MS-WSUSSS settings (e.g.
     * {@link ServerSyncSettings#withPlainBlobsOnly plain blobs only}).
     *
     * @throws StoreLockedException if another run has the store open
     * @throws ServeException       if the store cannot be opened, an address and port cannot be bound, or the log
     *                              cannot be written
     */
    public static StoreServer start(Path storeDir, Listeners listen, ServerLimits limits, AccessLog accessLog,
                                    ServerSyncSettings settings) throws StoreLockedException, ServeException {
        Objects.requireNonNull(settings, "settings");
        Store store;
        try {
            store = Store.openForServing(storeDir, CATALOGS);
        } catch (StoreLockedException e) {
            throw new StoreLockedException(e.getMessage() + "; is `ferry serve` already running on it?", e);
        } catch (StoreException e) {
            throw new ServeException("cannot serve store " + storeDir + ": " + e.getMessage(), e);
        }
        try {
            return serving(store, listen, settings, limits, accessLog, store);
        } catch (ServeException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * Serves a store the caller has open and keeps open after {@link #close()}.
     *
     * @throws ServeException if the address and port cannot be bound
     */
    public static StoreServer start(Store store, String bindHost, int port, ServerSyncSettings settings)
            throws ServeException {
        return start(store, bindHost, port, settings, ServerLimits.defaults());
    }

    /**
     * {@link #start(Store, String, int, ServerSyncSettings)} with explicit limits (tests use short times).
     *
     * @throws ServeException if the address and port cannot be bound
     */
    public static StoreServer start(Store store, String bindHost, int port, ServerSyncSettings settings,
                                    ServerLimits limits) throws ServeException {
        return start(store, Listeners.http(bindHost, port), settings, limits);
    }

    /**
     * Serves a store the caller has open and keeps open after {@link #close()}, on HTTP, HTTPS or both.
     *
     * @throws ServeException if an address and port cannot be bound
     */
    public static StoreServer start(Store store, Listeners listen, ServerSyncSettings settings, ServerLimits limits)
            throws ServeException {
        Objects.requireNonNull(store, "store");
        return serving(store, listen, settings, limits, AccessLog.none(), null);
    }

    private static JettyServer listen(Store store, Listeners listen, ServerSyncSettings settings,
                                     ServerLimits limits, AccessLog accessLog) throws ServeException {
        ServerTraffic traffic = new ServerTraffic();
        List<Handler> handlers = new ArrayList<>();
        try {
            for (SourceServing source : sources(settings)) {
                handlers.addAll(source.handlers(store));
            }
            handlers.add(new StatusHandler(store, traffic));
            return JettyServer.start(listen, limits, handlers, traffic, accessLog);
        } catch (Exception e) {
            for (Handler h : handlers) {
                if (h instanceof AutoCloseable c) { // what a handler opened (the clients database) is given back
                    try {
                        c.close();
                    } catch (Exception suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
            }
            throw new ServeException("cannot serve on " + listen.bindHost() + " port "
                    + (listen.httpPort() >= 0 ? listen.httpPort() + (listen.httpsPort() >= 0 ? " and " : "") : "")
                    + (listen.httpsPort() >= 0 ? listen.httpsPort() + " (HTTPS)" : "") + ": " + e.getMessage(), e);
        }
    }

    /** The catalog tables of the source types, one line each: a store is only opened with all of them. */
    static final List<SourceCatalog> CATALOGS = List.of(WsusTables.INSTANCE, AptTables.INSTANCE);

    /** The serving halves of the source types, one line each. */
    private static List<SourceServing> sources(ServerSyncSettings settings) {
        return List.of(new WsusServing(settings), new AptServing());
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8530/} (HTTP when enabled); downstream servers use it as their upstream server. */
    public URI uri() {
        return server.uri();
    }

    /** Every base URL, HTTP first, e.g. {@code http://0.0.0.0:8530/} and {@code https://0.0.0.0:8531/}. */
    public List<URI> uris() {
        return server.uris();
    }

    /**
     * The refresh hook: notices every import committed into the served store (by {@code ferry import} in another
     * process, or in this one) within {@link CommitWatch#INTERVAL}. Whatever a serving half caches from the catalog
     * (anchors, configuration, counts, a URL-to-object map) registers with {@link CommitWatch#onCommit} and drops
     * it there; reads through {@link Store#read} need nothing, they always see the latest commit.
     */
    public CommitWatch commits() {
        return commits;
    }

    /** Stops serving (waiting up to 5 s for running requests), then closes the store if this server opened it. */
    @Override
    public void close() throws Exception {
        try {
            commits.close();
            server.close();
        } finally {
            if (owned != null) {
                owned.close();
            }
        }
    }
}
