package ferry.wsus.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ferry.store.CheckProgress;
import ferry.store.CheckReport;
import ferry.store.Store;
import ferry.wsus.UpdateIdentity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store made before source types had their own migrations (the store's V1 created the WSUS tables, V2 one of
 * their indexes) is adopted: it opens, keeps its rows, has its history realigned with the current scripts and
 * the WSUS history started, and takes new imports. Built with Flyway from the old scripts themselves
 * (test resources {@code legacy-store-migration/}, unedited, so their checksums are the released ones).
 */
class LegacyStoreTest {
    static final String UPDATE = "9a3a8d5e-6f1b-4c3e-8d2a-5b7c9e0f1a2b";
    static final int LEGACY_V1_CHECKSUM = 1656807224;

    static {
        // This test opens H2 itself before any Store does: set the loopback-only listener address as the store's
        // Catalog would, or H2 reads no address and Store rightly refuses to open (the test alone failed so).
        if (System.getProperty("h2.bindAddress") == null) {
            System.setProperty("h2.bindAddress", "127.0.0.1");
        }
    }

    @TempDir
    Path dir;

    @Test
    void aStoreFromBeforeTheSplitIsAdoptedAndTakesNewImports() throws Exception {
        Path storeDir = dir.resolve("legacy");
        byte[] metadata = CatalogFixtures.bytes("<Update id='" + UPDATE + "' rev='3'/>");
        String metadataSha256 = CatalogFixtures.sha256(metadata);
        String storeId = legacyStore(storeDir, metadata);

        Map<String, Integer> legacy;
        try (Connection c = connect(storeDir)) {
            legacy = checksums(c, "flyway_schema_history");
        }
        assertEquals(LEGACY_V1_CHECKSUM, legacy.get("1"), "built from the released scripts");

        Map<String, Integer> current;
        Path fresh = dir.resolve("fresh");
        try (Store store = CatalogFixtures.open(fresh)) {
            current = store.read(c -> checksums(c, "flyway_schema_history"));
        }
        assertNotEquals(legacy.get("1"), current.get("1"), "the store's V1 changed with the split");
        assertNotEquals(legacy.get("2"), current.get("2"), "the store's V2 changed with the split");

        try (Store store = CatalogFixtures.open(storeDir)) {
            WsusCatalog catalog = new WsusCatalog(store);
            RevisionRecord r = catalog.revision(UPDATE, 3).orElseThrow();
            assertEquals("Legacy update", r.title());
            assertEquals(metadataSha256, r.metadataSha256());
            assertEquals(List.of(new UpdateIdentity(UPDATE, 3)), catalog.latestRevisions(false, Set.of(), Set.of(), 0));
            assertEquals(1, catalog.currentChangeNumber());
            assertTrue(store.isImported("legacy-1"));

            assertEquals(current, store.read(c -> checksums(c, "flyway_schema_history")),
                    "V1 and V2 realigned with the current scripts, V3 as it was");
            assertEquals(List.of("0", "1", "2", "3", "3.1", "4", "5"), store.read(c -> versions(c, "wsus_schema_history")),
                    "the WSUS history starts: baseline, then its V1 recorded over the tables already there, then V2, V3,"
                            + " V3.1, V4 and V5");
            assertEquals(storeId, Files.readString(storeDir.resolve("store.id")).substring("ferry store ".length()).trim());

            FileRecord f = CatalogFixtures.file(store, "new update file", "kb2.msu");
            RevisionRecord next = CatalogFixtures.revision(store, UPDATE, 4, "Software", null, List.of(),
                    List.of(f.sha1Hex()));
            WsusCatalogWrite.Result result = CatalogFixtures.commit(store,
                    CatalogFixtures.bundle("new-2", "wsus", 2, null, List.of(next), List.of(f)));
            assertEquals(new WsusCatalogWrite.Result(1, 0, 0, 1, 0, 0, 2), result, "the change numbers go on");
            assertEquals(List.of(new UpdateIdentity(UPDATE, 4)), catalog.latestRevisions(false, Set.of(), Set.of(), 1));
            assertEquals(List.of(f), catalog.files(UPDATE, 4));
            CheckReport check = store.check(true, CheckProgress.NONE);
            assertTrue(check.consistent(), check.toString());
            assertEquals(3, check.referenced(), "the legacy metadata, the new metadata and the new file");
        }
        // And it stays adopted: a second open changes nothing more.
        try (Store store = CatalogFixtures.open(storeDir)) {
            assertEquals(current, store.read(c -> checksums(c, "flyway_schema_history")));
            assertEquals(2, new WsusCatalog(store).currentChangeNumber());
        }
    }

    /** A store as the ferry before the split left it: catalog, one bundle with one revision, its object, marker. */
    private static String legacyStore(Path storeDir, byte[] metadata) throws Exception {
        Files.createDirectories(storeDir);
        Flyway.configure(LegacyStoreTest.class.getClassLoader())
                .dataSource(url(storeDir), "ferry", "")
                .locations("classpath:legacy-store-migration")
                .failOnMissingLocations(true)
                .load()
                .migrate();
        String sha256 = CatalogFixtures.sha256(metadata);
        String storeId;
        try (Connection c = connect(storeDir)) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO bundle (bundle_id, channel, sequence_number, base_sequence, created_at,"
                        + " imported_at, manifest_sha256, producer, revision_count, new_revision_count, file_count,"
                        + " new_file_count) VALUES ('legacy-1', 'wsus', 1, NULL, TIMESTAMP WITH TIME ZONE"
                        + " '2024-06-01 10:00:00+00', TIMESTAMP WITH TIME ZONE '2024-06-02 10:00:00+00', '"
                        + CatalogFixtures.sha256(CatalogFixtures.bytes("legacy manifest")) + "', 'ferry 0.0.9', 1, 1, 0, 0)");
                s.executeUpdate("INSERT INTO channel (name, last_sequence, last_bundle_id) VALUES ('wsus', 1, 'legacy-1')");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO wsus_update_revision (update_id, revision_number,"
                    + " update_type, category_type, title, kb_article, metadata_sha256, bundle_id, change_number)"
                    + " VALUES (?, 3, 'Software', NULL, 'Legacy update', NULL, ?, 'legacy-1', NEXT VALUE FOR change_number_seq)")) {
                ps.setString(1, UPDATE);
                ps.setString(2, sha256);
                ps.executeUpdate();
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT store_id FROM store_info")) {
                rs.next();
                storeId = rs.getString(1);
            }
        }
        Path object = storeDir.resolve("objects/sha256").resolve(sha256.substring(0, 2)).resolve(sha256);
        Files.createDirectories(object.getParent());
        Files.write(object, metadata);
        Files.writeString(storeDir.resolve("store.id"), "ferry store " + storeId + "\n", StandardCharsets.UTF_8);
        return storeId;
    }

    private static String url(Path storeDir) {
        return "jdbc:h2:file:" + storeDir.toAbsolutePath().resolve("catalog");
    }

    private static Connection connect(Path storeDir) throws SQLException {
        return DriverManager.getConnection(url(storeDir), "ferry", "");
    }

    /** Version to checksum of the successful SQL migrations a Flyway history table records. */
    private static Map<String, Integer> checksums(Connection c, String table) throws SQLException {
        Map<String, Integer> out = new TreeMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT \"version\", \"checksum\" FROM \"" + table + "\""
                     + " WHERE \"success\" AND \"type\" = 'SQL'")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getInt(2));
            }
        }
        return out;
    }

    private static List<String> versions(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT \"version\" FROM \"" + table + "\""
                     + " WHERE \"success\" AND \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
            List<String> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }
}
