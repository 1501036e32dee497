package ferry.server;

import ferry.store.Store;
import ferry.wsus.server.ContentHandler;
import ferry.wsus.server.ServerSyncHandler;
import ferry.wsus.server.ServerSyncSettings;
import ferry.wsus.server.StoreCatalog;
import ferry.wsus.server.StoreContent;
import ferry.wsus.catalog.WsusCatalog;
import org.eclipse.jetty.server.Handler;

import java.util.List;
import java.util.Objects;

/**
 * The WSUS source's serving half: the MS-WSUSSS web services (MS-WSUSSS 3.1) answered from the store's catalog
 * ({@link StoreCatalog}) and {@code /Content/} answered from its objects ({@link StoreContent}, HEAD and byte ranges),
 * using the wsus module's handlers.
 */
final class WsusServing implements SourceServing {
    private final ServerSyncSettings settings;

    WsusServing(ServerSyncSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public List<Handler> handlers(Store store) {
        WsusCatalog catalog = new WsusCatalog(store);
        // Content first: most requests are downloads, and the SOAP handler looks at every path it is offered.
        return List.of(new ContentHandler(new StoreContent(catalog)), new ServerSyncHandler(new StoreCatalog(catalog), settings));
    }
}
