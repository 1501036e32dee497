package ferry.store;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The import journal: which objects each unfinished import wrote, recorded in the catalog before the object is
 * written. It is the only account of objects that may be deleted: an object is deleted only when the journal
 * says an import wrote it, that import is over (committed, aborted or dead), no catalog row references the
 * object and no running import uses it.
 *
 * <p>Running imports of this process are known here ({@code live}); since a store is open in one process at a
 * time, every other journal entry belongs to an import that died.
 */
final class ImportJournal {
    private final Path storeDir;
    private final Catalog catalog;
    private final ObjectStore objects;
    // Guards claims and live. Taken after the store's write lock when both are needed.
    private final Object lock = new Object();
    // Objects running imports wrote or reuse, with the imports holding each: theirs to keep.
    private final Map<String, Set<String>> claims = new HashMap<>();
    private final Set<String> live = new HashSet<>();

    ImportJournal(Path storeDir, Catalog catalog, ObjectStore objects) {
        this.storeDir = storeDir;
        this.catalog = catalog;
        this.objects = objects;
    }

    /** Records a new running import; returns its id. */
    String begin(Instant now) {
        String id = UUID.randomUUID().toString();
        try (Connection c = catalog.connection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO import_journal (import_id, started_at) VALUES (?, ?)")) {
            ps.setString(1, id);
            ps.setObject(2, ImportTransaction.utc(now));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("cannot begin an import", e);
        }
        synchronized (lock) {
            live.add(id);
        }
        return id;
    }

    /**
     * Claims {@code sha256} for running import {@code importId} (once per import and object): while claimed, no
     * clean-up deletes it. If the object is absent, records in the journal that this import writes it and returns
     * true; the caller then writes it.
     */
    boolean claim(String importId, String sha256) {
        synchronized (lock) {
            claims.computeIfAbsent(sha256, k -> new HashSet<>()).add(importId);
            if (objects.has(sha256)) {
                return false;
            }
            try (Connection c = catalog.connection();
                 PreparedStatement ps = c.prepareStatement(
                         "MERGE INTO import_journal_object (import_id, sha256) KEY (import_id, sha256) VALUES (?, ?)")) {
                ps.setString(1, importId);
                ps.setString(2, sha256);
                ps.executeUpdate();
                return true;
            } catch (SQLException | RuntimeException e) {
                unclaim(importId, sha256);
                throw e instanceof SQLException s ? failure("object " + sha256 + ": cannot record it in the import journal", s)
                        : (RuntimeException) e;
            }
        }
    }

    private void unclaim(String importId, String sha256) {
        Set<String> holders = claims.get(sha256);
        if (holders != null && holders.remove(importId) && holders.isEmpty()) {
            claims.remove(sha256);
        }
    }

    /**
     * Ends import {@code importId}: drops its claims, deletes the objects the journal says it wrote that nothing
     * references and no other running import uses, then its journal entries. The caller holds the store's write
     * lock, so no commit runs meanwhile. Returns how many objects were deleted.
     */
    int release(String importId, Set<String> claimed) {
        synchronized (lock) {
            live.remove(importId);
            claimed.forEach(sha -> unclaim(importId, sha));
            return clean(importId);
        }
    }

    /**
     * Cleans up after every import in the journal that is not running in this process (they died). Called with
     * the store's write lock held. Returns how many objects were deleted.
     */
    int recover() {
        synchronized (lock) {
            int deleted = 0;
            for (String id : journalImports()) {
                if (!live.contains(id)) {
                    deleted += clean(id);
                }
            }
            return deleted;
        }
    }

    /** Objects running imports wrote or reuse: not to be reported as unreferenced. */
    Set<String> claimed() {
        synchronized (lock) {
            return new HashSet<>(claims.keySet());
        }
    }

    private List<String> journalImports() {
        List<String> ids = new ArrayList<>();
        try (Connection c = catalog.connection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT import_id FROM import_journal ORDER BY started_at")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw failure("cannot read the import journal", e);
        }
        return ids;
    }

    // Object files go first, journal entries last: a crash in between leaves entries whose objects are gone,
    // which the next clean-up passes over. An object another running import uses is handed over to that import's
    // journal entries, so that it is still given back if that import does not commit it either.
    private int clean(String importId) {
        int deleted = 0;
        try (Connection c = catalog.connection()) {
            List<String> handOver = new ArrayList<>();
            for (String sha256 : CatalogQueries.unreferencedJournalObjects(c, importId)) {
                if (claims.containsKey(sha256)) {
                    handOver.add(sha256);
                } else if (objects.delete(sha256)) {
                    deleted++;
                }
            }
            c.setAutoCommit(false);
            try (PreparedStatement objs = c.prepareStatement("DELETE FROM import_journal_object WHERE import_id = ?");
                 PreparedStatement imp = c.prepareStatement("DELETE FROM import_journal WHERE import_id = ?");
                 PreparedStatement hand = c.prepareStatement("MERGE INTO import_journal_object (import_id, sha256)"
                         + " KEY (import_id, sha256) VALUES (?, ?)")) {
                for (String sha256 : handOver) {
                    hand.setString(1, claims.get(sha256).iterator().next());
                    hand.setString(2, sha256);
                    hand.addBatch();
                }
                hand.executeBatch();
                objs.setString(1, importId);
                objs.executeUpdate();
                imp.setString(1, importId);
                imp.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure("import " + importId + ": cannot clean up its journal", e);
        } catch (IOException e) {
            throw new StoreException("import " + importId + ": cannot delete an object it wrote: " + e, e);
        }
        return deleted;
    }

    private StoreException failure(String what, SQLException e) {
        if (DiskSpace.isFull(e, storeDir)) {
            return new StoreFullException(storeDir, -1, DiskSpace.usable(storeDir), "catalog: " + what, e);
        }
        return new StoreException("store " + storeDir + ": " + what + ": " + Catalog.firstLine(e), e);
    }
}
