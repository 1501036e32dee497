package ferry.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A migration cut off half-way leaves an existing catalog as it was (MigrationBackup): H2 commits each DDL statement,
 * so without the copy taken before migrating, the first migration and the first half of the second would stay.
 */
class MigrationBackupTest {
    @TempDir
    Path dir;

    @Test
    void aFailedMigrationPutsTheCatalogBackAsItWas() throws Exception {
        Path storeDir = storeWithOneImport();
        List<String> before = tablesAndHistory(storeDir);

        StoreException e = assertThrows(StoreException.class,
                () -> Catalog.open(storeDir, true, null, List.of(ProbeSource.INSTANCE, Brittle.INSTANCE), true).close());
        assertTrue(e.getMessage().contains("catalog migration failed"), e.getMessage());
        assertTrue(e.getMessage().endsWith("the catalog was put back as it was before the migration"), e.getMessage());

        assertEquals(before, tablesAndHistory(storeDir), "no table or history row of the failed migrations stays");
        assertFalse(Files.exists(storeDir.resolve(MigrationBackup.FILE)), "the copy is removed once put back");
        try (Store store = Fixtures.open(storeDir)) {
            assertTrue(store.isImported("b1"));
        }
    }

    @Test
    void aSuccessfulMigrationLeavesNoCopy() throws Exception {
        Path storeDir = storeWithOneImport();
        try (Store store = Store.open(storeDir, List.of(ProbeSource.INSTANCE, Sturdy.INSTANCE))) {
            assertTrue(store.isImported("b1"));
        }
        assertTrue(tablesAndHistory(storeDir).contains("table BRITTLE_BASE"), "the migration ran");
        assertFalse(Files.exists(storeDir.resolve(MigrationBackup.FILE)));
    }

    @Test
    void aCatalogStillOpenElsewhereIsNotOverwrittenAndTheCopyIsKept() throws Exception {
        Path storeDir = storeWithOneImport();
        try (Catalog other = Catalog.open(storeDir, true, null, List.of(ProbeSource.INSTANCE), false)) {
            StoreException e = assertThrows(StoreException.class,
                    () -> Catalog.open(storeDir, true, null, List.of(ProbeSource.INSTANCE, Brittle.INSTANCE), true)
                            .close());
            assertTrue(e.getMessage().contains("another process has the catalog open"), e.getMessage());
            assertTrue(e.getMessage().contains(storeDir.toAbsolutePath().resolve(MigrationBackup.FILE).toString()),
                    e.getMessage());
            assertTrue(Files.size(storeDir.resolve(MigrationBackup.FILE)) > 0, "the copy is kept for the operator");
        }
    }

    @Test
    void aCopyThatCannotBeMadeChangesNothing() throws Exception {
        Path storeDir = storeWithOneImport();
        List<String> before = tablesAndHistory(storeDir);
        Files.createDirectories(storeDir.resolve(MigrationBackup.FILE).resolve("in-the-way"));

        StoreException e = assertThrows(StoreException.class,
                () -> Catalog.open(storeDir, true, null, List.of(ProbeSource.INSTANCE, Sturdy.INSTANCE), true).close());
        assertTrue(e.getMessage().contains("cannot copy the catalog before migrating it"), e.getMessage());
        assertTrue(e.getMessage().contains("nothing was changed"), e.getMessage());
        assertEquals(before, tablesAndHistory(storeDir));
    }

    @Test
    void aCatalogWithNothingToApplyIsNotCopied() throws Exception {
        Path storeDir = storeWithOneImport();
        // a migration of a newer ferry: not this build's, so the cheap check sends the open through Flyway, which
        // has nothing to apply (it leaves future migrations alone)
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + storeDir.toAbsolutePath().resolve("catalog"),
                "ferry", ""); Statement s = c.createStatement()) {
            s.execute("INSERT INTO \"flyway_schema_history\" (\"installed_rank\", \"version\", \"description\","
                    + " \"type\", \"script\", \"checksum\", \"installed_by\", \"execution_time\", \"success\")"
                    + " VALUES (99, '99', 'from a newer ferry', 'SQL', 'V99__from_a_newer_ferry.sql', 1, 'ferry', 1, TRUE)");
        }
        // a copy would fail on this directory in its place
        Files.createDirectories(storeDir.resolve(MigrationBackup.FILE).resolve("in-the-way"));
        try (Store store = Fixtures.open(storeDir)) {
            assertTrue(store.isImported("b1"));
        }
    }

    private Path storeWithOneImport() {
        Path storeDir = dir.resolve("store");
        try (Store store = Fixtures.open(storeDir)) {
            store.commitImport(Fixtures.bundle("b1", "main", 1, null,
                    List.of(Fixtures.item(store, "i1", "twelve bytes", "t"))));
        }
        return storeDir;
    }

    // every table, and every history row of every history table, in a fixed order
    private static List<String> tablesAndHistory(Path storeDir) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + storeDir.toAbsolutePath().resolve("catalog")
                + ";IFEXISTS=TRUE", "ferry", ""); Statement s = c.createStatement()) {
            List<String> histories = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables"
                    + " WHERE table_schema = 'PUBLIC' ORDER BY table_name")) {
                while (rs.next()) {
                    out.add("table " + rs.getString(1));
                    if (rs.getString(1).endsWith("schema_history")) {
                        histories.add(rs.getString(1));
                    }
                }
            }
            for (String h : histories) {
                try (ResultSet rs = s.executeQuery("SELECT \"version\", \"script\", \"success\" FROM \"" + h
                        + "\" ORDER BY \"installed_rank\"")) {
                    while (rs.next()) {
                        out.add(h + " " + rs.getString(1) + " " + rs.getString(2) + " " + rs.getBoolean(3));
                    }
                }
            }
        }
        return out;
    }

    /** A source type whose second migration fails after its first statement (ferry/store/brittle/migration). */
    private static class Brittle implements SourceCatalog {
        static final Brittle INSTANCE = new Brittle();

        @Override
        public String name() {
            return "brittle";
        }

        @Override
        public String migrations() {
            return "classpath:ferry/store/brittle/migration";
        }

        @Override
        public Set<String> referencedAmong(Connection c, Collection<String> sha256s) {
            return Set.of();
        }

        @Override
        public void references(Connection c, ReferenceSink sink) {
        }

        @Override
        public List<Count> counts(Connection c) {
            return List.of();
        }
    }

    /** The same source type with only its first migration, which succeeds. */
    private static final class Sturdy extends Brittle {
        static final Sturdy INSTANCE = new Sturdy();

        @Override
        public String migrations() {
            return "classpath:ferry/store/brittle/sturdy";
        }
    }
}
