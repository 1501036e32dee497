package ferry.server;

import ferry.apt.catalog.AptCatalog;
import ferry.apt.serve.AptHandler;
import ferry.store.Store;
import org.eclipse.jetty.server.Handler;

import java.util.List;

/**
 * The APT source's serving half: each published channel at {@code /apt/<channel>/} ({@code dists/} from its served
 * snapshot, by-hash indexes from every kept one, {@code pool/} from the store's objects), using the apt module's
 * {@link AptHandler}.
 */
final class AptServing implements SourceServing {
    @Override
    public List<Handler> handlers(Store store) {
        return List.of(new AptHandler(new AptCatalog(store)));
    }
}
