package ferry.server;

import ferry.store.Store;
import org.eclipse.jetty.server.Handler;

import java.util.List;

/**
 * The serving half of a source type: the Jetty handlers that answer its protocol from a store. The server hosts
 * them behind its {@link ServerLimits}, before the status site; each handler returns false for requests it does not
 * serve. Adding a source type (APT next) adds one implementation and one line in {@link StoreServer}.
 */
@FunctionalInterface
public interface SourceServing {
    /**
     * Handlers serving {@code store}, which stays open while they are in use.
     *
     * @return handlers in the order they are tried; never empty
     */
    List<Handler> handlers(Store store);
}
