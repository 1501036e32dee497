package ferry.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 1 of issue 5: a store whose catalog is missing, empty, unreadable or another store's is refused, never
 * replaced by a fresh catalog (which would reset every channel's position), and nothing is deleted.
 */
class StoreIdentityTest {
    @TempDir
    Path dir;

    private Path storeWithOneImport() {
        Path storeDir = dir.resolve("store");
        try (Store store = Fixtures.open(storeDir)) {
            store.commitImport(StoreChild.sampleBundle(store, "b1", 1));
        }
        return storeDir;
    }

    /** Damages the store, then checks that opening it is refused the same way twice and changes nothing. */
    private StoreDamagedException assertRefused(Path storeDir, Consumer<Path> damage, String expected) throws Exception {
        return assertRefused(storeDir, damage, expected, true);
    }

    // H2 rewrites housekeeping bytes of a database it could open; only a catalog it could not open stays byte-equal.
    private StoreDamagedException assertRefused(Path storeDir, Consumer<Path> damage, String expected,
                                                boolean sameBytes) throws Exception {
        damage.accept(storeDir);
        TreeSet<String> objects = Fixtures.objectFiles(storeDir);
        List<String> top = listing(storeDir);
        byte[] catalog = sameBytes && Files.exists(storeDir.resolve("catalog.mv.db"))
                ? Files.readAllBytes(storeDir.resolve("catalog.mv.db")) : null;
        StoreDamagedException e = assertThrows(StoreDamagedException.class, () -> Fixtures.open(storeDir));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains("refusing to start a new catalog") && e.getMessage().contains("docs/store.md"),
                "says what to do: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        StoreDamagedException again = assertThrows(StoreDamagedException.class, () -> Fixtures.open(storeDir));
        assertEquals(e.getMessage(), again.getMessage(), "a refused open releases the lock");
        assertEquals(objects, Fixtures.objectFiles(storeDir), "no object deleted");
        assertEquals(top, listing(storeDir), "nothing created or removed");
        if (catalog != null) {
            assertTrue(java.util.Arrays.equals(catalog, Files.readAllBytes(storeDir.resolve("catalog.mv.db"))),
                    "the catalog file is untouched");
        }
        return e;
    }

    private static List<String> listing(Path storeDir) throws Exception {
        try (var s = Files.list(storeDir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("store.lock")).sorted().toList();
        }
    }

    @Test
    void aDeletedCatalogIsRefused() throws Exception {
        assertRefused(storeWithOneImport(), d -> delete(d.resolve("catalog.mv.db")), "is missing");
    }

    @Test
    void anEmptiedCatalogIsRefused() throws Exception {
        assertRefused(storeWithOneImport(), d -> write(d.resolve("catalog.mv.db"), new byte[0]), "is empty");
    }

    @Test
    void anUnreadableCatalogIsRefused() throws Exception {
        byte[] garbage = new byte[64 * 1024];
        new Random(5).nextBytes(garbage);
        assertRefused(storeWithOneImport(), d -> write(d.resolve("catalog.mv.db"), garbage), "cannot be read");
    }

    @Test
    void aCatalogWithoutFerrysTablesIsRefused() throws Exception {
        assertRefused(storeWithOneImport(), d -> {
            delete(d.resolve("catalog.mv.db"));
            // A valid H2 database, but an empty one: what a catalog re-created by hand would be.
            try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + d.toAbsolutePath().resolve("catalog"),
                    "ferry", "")) {
                c.createStatement().execute("CREATE TABLE unrelated (x INT)");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "holds no ferry catalog", false);
    }

    @Test
    void anotherStoresCatalogIsRefused() throws Exception {
        Path other = dir.resolve("other");
        Fixtures.open(other).close();
        StoreDamagedException e = assertRefused(storeWithOneImport(), d -> copy(other.resolve("catalog.mv.db"),
                d.resolve("catalog.mv.db")), "belongs to store", false);
        String otherId = StoreMarker.read(other).orElseThrow();
        assertTrue(e.getMessage().contains(otherId), e.getMessage());
        // The refused catalog was not migrated or re-labelled: it is still the other store's.
        Files.copy(dir.resolve("store/catalog.mv.db"), other.resolve("catalog.mv.db"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (Store o = Fixtures.open(other)) {
            assertEquals(0, o.counts().bundles());
        }
    }

    @Test
    void objectsWithoutMarkerAndCatalogAreRefused() throws Exception {
        // Also a store from before markers existed that lost its catalog.
        assertRefused(storeWithOneImport(), d -> {
            delete(d.resolve("catalog.mv.db"));
            delete(d.resolve(StoreMarker.FILE));
        }, "is missing");
    }

    @Test
    void aMarkedStoreWithoutObjectsStillKeepsItsChannels() throws Exception {
        Path storeDir = dir.resolve("store");
        try (Store store = Fixtures.open(storeDir)) {
            store.commitImport(Fixtures.bundle("apt-1", "debian", 7, null, List.of()));
        }
        assertTrue(Fixtures.objectFiles(storeDir).isEmpty());
        assertRefused(storeDir, d -> delete(d.resolve("catalog.mv.db")), "is missing");
    }

    @Test
    void aNewStoreIsMarkedWithItsCatalogsId() throws Exception {
        Path storeDir = dir.resolve("new/store");
        String id;
        try (Store store = Fixtures.open(storeDir)) {
            id = store.query(c -> {
                try (var rs = c.createStatement().executeQuery("SELECT store_id FROM store_info")) {
                    rs.next();
                    return rs.getString(1);
                }
            });
        }
        assertEquals("ferry store " + id + "\n", Files.readString(storeDir.resolve("store.id")));
        Fixtures.open(storeDir).close();
        assertEquals("ferry store " + id + "\n", Files.readString(storeDir.resolve("store.id")), "kept on reopen");
    }

    @Test
    void aStoreFromBeforeMarkersIsAdoptedWhenItsCatalogIsThere() throws Exception {
        Path storeDir = storeWithOneImport();
        String id = StoreMarker.read(storeDir).orElseThrow();
        delete(storeDir.resolve(StoreMarker.FILE));
        try (Store store = Fixtures.open(storeDir)) {
            assertTrue(store.isImported("b1"));
        }
        assertEquals(id, StoreMarker.read(storeDir).orElseThrow());
    }

    @Test
    void aCatalogFromBeforeStoreIdsTakesTheMarkersId() throws Exception {
        Path storeDir = storeWithOneImport();
        String id = StoreMarker.read(storeDir).orElseThrow();
        // What a backup restored from before this format looks like: format 1, no store id.
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + storeDir.toAbsolutePath().resolve("catalog"),
                "ferry", "")) {
            var s = c.createStatement();
            s.execute("ALTER TABLE store_info DROP COLUMN catalog_changes");
            s.execute("DELETE FROM \"flyway_schema_history\" WHERE \"version\" = '4'");
            s.execute("ALTER TABLE store_info DROP COLUMN store_id");
            s.execute("UPDATE store_info SET format_version = 1");
            s.execute("DELETE FROM \"flyway_schema_history\" WHERE \"version\" = '2'");
            s.execute("ALTER TABLE bundle ADD CONSTRAINT bundle_channel_sequence UNIQUE (channel, sequence_number)");
            s.execute("DELETE FROM \"flyway_schema_history\" WHERE \"version\" = '3'");
        }
        try (Store store = Fixtures.open(storeDir)) {
            assertTrue(store.isImported("b1"));
            assertEquals(id, store.query(c -> {
                try (var rs = c.createStatement().executeQuery("SELECT store_id FROM store_info")) {
                    rs.next();
                    return rs.getString(1);
                }
            }));
        }
    }

    @Test
    void aMangledMarkerIsRefused() throws Exception {
        Path storeDir = storeWithOneImport();
        write(storeDir.resolve(StoreMarker.FILE), Fixtures.bytes("not a store id\n"));
        StoreDamagedException e = assertThrows(StoreDamagedException.class, () -> Fixtures.open(storeDir));
        assertTrue(e.getMessage().contains("does not hold a store id"), e.getMessage());
    }

    @Test
    void anEmptyDirectoryBecomesANewStore() throws Exception {
        Path storeDir = Files.createDirectories(dir.resolve("empty"));
        try (Store store = Fixtures.open(storeDir)) {
            assertEquals(0, store.counts().bundles());
        }
        assertTrue(Files.isRegularFile(storeDir.resolve("store.id")));
    }

    private static void delete(Path p) {
        try {
            Files.delete(p);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void write(Path p, byte[] data) {
        try {
            Files.write(p, data);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void copy(Path from, Path to) {
        try {
            Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
