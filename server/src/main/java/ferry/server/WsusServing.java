package ferry.server;

import ferry.store.Store;
import ferry.wsus.server.ClientHandler;
import ferry.wsus.server.ContentHandler;
import ferry.wsus.server.ServerSyncHandler;
import ferry.wsus.server.ServerSyncSettings;
import ferry.wsus.server.StoreCatalog;
import ferry.wsus.server.StoreContent;
import ferry.wsus.catalog.WsusCatalog;
import ferry.wsus.wusp.ClientApprovals;
import ferry.wsus.wusp.ClientRegistry;
import ferry.wsus.wusp.ClientScope;
import ferry.wsus.wusp.ClientService;
import ferry.wsus.wusp.StoreApprovals;
import org.eclipse.jetty.server.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * The WSUS source's serving half: the MS-WSUSSS web services (MS-WSUSSS 3.1) answered from the store's catalog
 * ({@link StoreCatalog}), {@code /Content/} answered from its objects ({@link StoreContent}, HEAD and byte ranges),
 * and the MS-WUSP web services Windows clients call ({@link ClientHandler}: client, SimpleAuth, ReportEventBatch),
 * backed by the store and the clients database {@code <store>/clients.mv.db} ({@link ClientRegistry}), with the
 * clients page ({@link ClientsPage}). At start it logs every file of an approved update the store does not hold.
 */
final class WsusServing implements SourceServing {
    private static final Logger LOG = LoggerFactory.getLogger(WsusServing.class);
    private final ServerSyncSettings settings;

    WsusServing(ServerSyncSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    // The store's identity (its catalog's store_info), which a rebuilt store does not share.
    private static String storeId(Store store) {
        return store.read(c -> {
            try (var s = c.createStatement(); var rs = s.executeQuery("SELECT store_id FROM store_info")) {
                rs.next();
                return rs.getString(1);
            }
        });
    }

    @Override
    public List<Handler> handlers(Store store) {
        WsusCatalog catalog = new WsusCatalog(store);
        ClientRegistry registry = ClientRegistry.open(store.directory());
        ClientScope scope = new ClientScope(store);
        ClientApprovals approvals = new StoreApprovals(catalog);
        for (var m : ClientsPage.missingFiles(scope, approvals)) {
            LOG.warn("approved update {} is not offered to Windows clients for install: the store does not hold file {}"
                    + " of update {} (SHA-1 {}, {} bytes)", m.approvedUpdateId(), m.fileName(), m.updateId(), m.sha1Hex(),
                    m.size());
        }
        // Content first: most requests are downloads, and the SOAP handlers look at every path they are offered.
        return List.of(new ContentHandler(new StoreContent(catalog)),
                new ClientHandler(new ClientService(scope, approvals, registry, storeId(store), Clock.systemUTC())),
                new ServerSyncHandler(new StoreCatalog(catalog), settings),
                new ClientsPage(registry, scope, approvals));
    }
}
