package ferry.wsus.wusp;

import ferry.store.Store;
import ferry.wsus.catalog.WsusTables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * GetConfig's LastChange is the moment the advertised configuration last changed, kept in the clients database:
 * the same configuration after a restart keeps it (cookies stay valid), another configuration moves it (cookies of
 * the earlier one become ConfigChanged; the faults themselves are shown over a socket in
 * {@code ferry.server.ClientCookieFaultsTest}).
 */
class ClientConfigurationTest {
    private static final Instant T1 = Instant.parse("2026-11-02T09:00:00.123456Z");
    private static final Instant T2 = Instant.parse("2026-11-03T10:30:00Z");

    @TempDir
    Path dir;

    @Test
    void lastChangeMovesOnlyWhenTheAdvertisedConfigurationChanges() throws Exception {
        ClientConfiguration ferry = ClientConfiguration.ferry();
        Map<String, String> properties = new LinkedHashMap<>(ferry.properties());
        properties.put("ClientReportingLevel", "1");
        ClientConfiguration other = new ClientConfiguration(true, ferry.plugIns(), properties);
        try (Store store = Store.open(dir, List.of(WsusTables.INSTANCE));
             ClientRegistry registry = ClientRegistry.open(dir)) {
            Instant created = registry.createdAt();
            ClientService first = service(store, registry, T1, ferry);
            assertEquals(created.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString(),
                    Instant.parse(first.config().lastChange()).toString(),
                    "a new database's configuration dates from its creation");
            assertEquals(first.config().lastChange(), service(store, registry, T2, ferry).config().lastChange(),
                    "a restart with the same configuration is no change");

            ClientService changed = service(store, registry, T1, other);
            assertEquals("2026-11-02T09:00:00.123Z", changed.config().lastChange(), "to the millisecond, UTC");
            assertEquals("1", changed.config().properties().get("ClientReportingLevel"));
            assertEquals("2026-11-03T10:30:00Z", service(store, registry, T2, ferry).config().lastChange(),
                    "back to ferry's configuration: another change");
        }
    }

    @Test
    void theDigestCoversEveryAdvertisedValueAndItsOrder() {
        ClientConfiguration ferry = ClientConfiguration.ferry();
        assertEquals(ferry.digest(), ClientConfiguration.ferry().digest());
        assertEquals(64, ferry.digest().length());
        Map<String, String> reordered = new LinkedHashMap<>();
        List<String> names = new java.util.ArrayList<>(ferry.properties().keySet());
        java.util.Collections.reverse(names);
        names.forEach(k -> reordered.put(k, ferry.properties().get(k)));
        assertNotEquals(ferry.digest(), new ClientConfiguration(true, ferry.plugIns(), reordered).digest());
        assertNotEquals(ferry.digest(), new ClientConfiguration(false, ferry.plugIns(), ferry.properties()).digest());
        assertNotEquals(ferry.digest(), new ClientConfiguration(true, List.of(), ferry.properties()).digest());
        Map<String, String> joined = new LinkedHashMap<>();
        joined.put("a", "bc");
        Map<String, String> split = new LinkedHashMap<>();
        split.put("ab", "c");
        assertNotEquals(new ClientConfiguration(true, List.of(), joined).digest(),
                new ClientConfiguration(true, List.of(), split).digest());
    }

    private static ClientService service(Store store, ClientRegistry registry, Instant now,
                                         ClientConfiguration configuration) {
        return new ClientService(new ClientScope(store), ClientApprovals.NONE, registry, "store-1",
                Clock.fixed(now, ZoneOffset.UTC), configuration);
    }
}
