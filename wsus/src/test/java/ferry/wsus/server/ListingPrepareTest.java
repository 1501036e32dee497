package ferry.wsus.server;

import ferry.wsus.Fixtures;
import ferry.wsus.client.ServerSyncSession;
import ferry.wsus.client.WsusClient;
import ferry.wsus.client.WsusClientOptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A starting server reads ahead what listings need ({@link UpdateCatalog#prepare}) on its own thread, and a failure
 * there changes nothing a downstream server sees: the read-ahead is an optimization, every request reads again.
 */
class ListingPrepareTest {

    @Test
    void aFailedReadAheadLeavesTheServerAnswering() throws Exception {
        TestCatalog catalog = new TestCatalog();
        for (String name : Fixtures.DOC_NAMES) {
            catalog.add(Fixtures.doc(name));
        }
        catalog.prepareFailure = new IllegalStateException("catalog closed");
        try (WsusServer server = WsusServer.start("127.0.0.1", 0, catalog, sha1 -> Optional.empty())) {
            assertTrue(catalog.prepared.await(10, TimeUnit.SECONDS), "the server read ahead when it started");
            ServerSyncSession session = new WsusClient(server.uri(), WsusClientOptions.defaults()
                    .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20))).open();
            assertEquals(100, session.config().maxNumberOfUpdatesPerRequest());
        }
    }
}
