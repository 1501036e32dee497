package ferry.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The check that lets an up-to-date catalog open without Flyway, and that everything else still meets Flyway. */
class AppliedMigrationsTest {
    private static final ClassLoader LOADER = AppliedMigrationsTest.class.getClassLoader();

    @TempDir
    Path dir;

    @Test
    void theScriptsChecksumsAreTheOnesFlywayRecorded() throws Exception {
        Path storeDir = storeWithOneImport();
        List<AppliedMigrations.Script> own = AppliedMigrations.list(LOADER, Catalog.MIGRATIONS);
        assertEquals(4, own.size(), "the store's V1 to V4");
        try (Connection c = connect(storeDir)) {
            Map<String, Integer> recorded = new HashMap<>();
            try (ResultSet rs = c.createStatement().executeQuery(
                    "SELECT \"version\", \"checksum\" FROM \"flyway_schema_history\"")) {
                while (rs.next()) {
                    recorded.put(rs.getString(1), rs.getInt(2));
                }
            }
            for (AppliedMigrations.Script s : own) {
                assertEquals(recorded.get(s.version()), s.checksum(), s.script());
            }
            assertTrue(AppliedMigrations.upToDate(c, LOADER, Catalog.MIGRATIONS, "flyway_schema_history", false));
            assertTrue(AppliedMigrations.upToDate(c, LOADER, ProbeSource.INSTANCE.migrations(), "probe_schema_history",
                    true), "baseline 0, then V1");
            assertFalse(AppliedMigrations.upToDate(c, LOADER, ProbeSource.INSTANCE.migrations(), "probe_schema_history",
                    false), "a baseline row where none is allowed");
            assertFalse(AppliedMigrations.upToDate(c, LOADER, Catalog.MIGRATIONS, "no_such_history", false),
                    "no history table: a new catalog");
        }
        try (Store store = Fixtures.open(storeDir)) {
            assertTrue(store.isImported("b1"), "reopened through the fast path");
        }
    }

    @Test
    void flywaysLineRulesForTheChecksum() throws Exception {
        // CRC-32 of the lines without their breaks, the first line's byte order mark dropped: CRLF or LF alike
        assertEquals(checksum("SELECT 1;\nSELECT 2;\n"), checksum("\uFEFFSELECT 1;\r\nSELECT 2;"));
        assertFalse(checksum("SELECT 1;") == checksum("SELECT 2;"));
        assertNull(AppliedMigrations.list(LOADER, "filesystem:/tmp"), "only class-path locations");
        assertNull(AppliedMigrations.list(LOADER, "classpath:ferry/store/no-such-migrations"));
    }

    @Test
    void aChangedScriptIsStillRefusedByFlyway() throws Exception {
        Path storeDir = storeWithOneImport();
        sql(storeDir, "UPDATE \"flyway_schema_history\" SET \"checksum\" = \"checksum\" + 1 WHERE \"version\" = '3'");
        try (Connection c = connect(storeDir)) {
            assertFalse(AppliedMigrations.upToDate(c, LOADER, Catalog.MIGRATIONS, "flyway_schema_history", false));
        }
        StoreException e = assertThrows(StoreException.class, () -> Fixtures.open(storeDir).close());
        assertTrue(e.getMessage().contains("migration failed"), e.getMessage());
        assertTrue(String.valueOf(e.getCause().getMessage()).contains("checksum mismatch"), e.getCause().getMessage());
    }

    @Test
    void aFailedMigrationIsStillRefusedByFlyway() throws Exception {
        Path storeDir = storeWithOneImport();
        sql(storeDir, "UPDATE \"probe_schema_history\" SET \"success\" = FALSE WHERE \"version\" = '1'");
        try (Connection c = connect(storeDir)) {
            assertFalse(AppliedMigrations.upToDate(c, LOADER, ProbeSource.INSTANCE.migrations(), "probe_schema_history",
                    true));
        }
        StoreException e = assertThrows(StoreException.class, () -> Fixtures.open(storeDir).close());
        assertTrue(e.getMessage().contains("migration failed"), e.getMessage());
    }

    @Test
    void aMigrationThisBuildDoesNotKnowIsLeftToFlyway() throws Exception {
        Path storeDir = storeWithOneImport();
        sql(storeDir, "INSERT INTO \"flyway_schema_history\" (\"installed_rank\", \"version\", \"description\", \"type\","
                + " \"script\", \"checksum\", \"installed_by\", \"execution_time\", \"success\")"
                + " VALUES (99, '99', 'from a newer ferry', 'SQL', 'V99__from_a_newer_ferry.sql', 1, 'ferry', 1, TRUE)");
        try (Connection c = connect(storeDir)) {
            assertFalse(AppliedMigrations.upToDate(c, LOADER, Catalog.MIGRATIONS, "flyway_schema_history", false));
        }
    }

    @Test
    void aPendingMigrationIsAppliedByFlyway() throws Exception {
        Path storeDir = storeWithOneImport();
        sql(storeDir, "ALTER TABLE store_info DROP COLUMN catalog_changes");
        sql(storeDir, "DELETE FROM \"flyway_schema_history\" WHERE \"version\" = '4'");
        try (Connection c = connect(storeDir)) {
            assertFalse(AppliedMigrations.upToDate(c, LOADER, Catalog.MIGRATIONS, "flyway_schema_history", false));
        }
        try (Store store = Fixtures.open(storeDir)) {
            assertTrue(store.isImported("b1"));
        }
        try (Connection c = connect(storeDir)) {
            assertTrue(AppliedMigrations.upToDate(c, LOADER, Catalog.MIGRATIONS, "flyway_schema_history", false),
                    "V4 applied again");
        }
    }

    private static int checksum(String text) throws Exception {
        return AppliedMigrations.checksum(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private Path storeWithOneImport() {
        Path storeDir = dir.resolve("store");
        try (Store store = Fixtures.open(storeDir)) {
            store.commitImport(Fixtures.bundle("b1", "main", 1, null,
                    List.of(Fixtures.item(store, "i1", "twelve bytes", "t"))));
        }
        return storeDir;
    }

    private static Connection connect(Path storeDir) throws SQLException {
        return DriverManager.getConnection("jdbc:h2:file:" + storeDir.toAbsolutePath().resolve("catalog"), "ferry", "");
    }

    private static void sql(Path storeDir, String statement) throws SQLException {
        try (Connection c = connect(storeDir)) {
            c.createStatement().execute(statement);
        }
    }
}
