package ferry.wsus.wusp;

import ferry.store.Store;
import ferry.store.StoreException;
import ferry.wsus.ContentUrls;
import ferry.wsus.metadata.MetadataException;
import ferry.wsus.metadata.PrerequisiteGroup;
import ferry.wsus.metadata.UpdateDocument;
import ferry.wsus.metadata.UpdateFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Windows clients may be offered from one committed state of a store: the latest stored revision of every
 * update, with what the SyncUpdates planner needs of its document (prerequisite clauses, bundled updates) and its
 * files. Revision ids are the revisions' change numbers ({@code wsus_update_revision.change_number}): given once at
 * import and never reused, so they are stable across restarts and later imports, as MS-WUSP's Revision Table wants.
 *
 * <p>{@link #current()} reloads after an import committed (the store's import count moved), parsing only the documents
 * the previous snapshot did not hold. Immutable snapshots; thread-safe.
 */
public final class ClientScope {
    private static final Logger LOG = LoggerFactory.getLogger(ClientScope.class);

    /**
     * One latest revision.
     *
     * @param id        the server's revision id (the change number)
     * @param files     the files its document names
     * @param lastChange the date (UTC, {@code yyyy-MM-dd}) the bundle that brought it was imported
     */
    public record Entry(int id, String updateId, int revisionNumber, String updateType, String title,
                        String metadataSha256, List<List<String>> clauses, List<String> bundledUpdateIds,
                        List<UpdateFile> files, String lastChange) {
    }

    /**
     * A file of an approved update that the store does not hold: {@code updateId} names the update whose document
     * lists the file, the approved update itself or one it bundles.
     */
    public record MissingFile(String approvedUpdateId, String updateId, String fileName, String sha1Hex, long size) {
    }

    /** The snapshot of one committed state. */
    public static final class Snapshot {
        private final long imports;
        private final Map<Integer, Entry> byId;
        private final Map<String, Entry> byUpdate;
        private final Set<String> heldSha1Hex;
        private final List<SyncPlanner.Revision> revisions;

        private Snapshot(long imports, Collection<Entry> entries, Set<String> heldSha1Hex) {
            this.imports = imports;
            this.byId = new HashMap<>();
            this.byUpdate = new LinkedHashMap<>();
            List<SyncPlanner.Revision> revs = new ArrayList<>(entries.size());
            for (Entry e : entries) {
                byId.put(e.id(), e);
                byUpdate.put(e.updateId(), e);
                // the Core fragment is derived for the few revisions of each answer, not kept for all
                revs.add(new SyncPlanner.Revision(e.id(), e.updateId(), e.updateType(), e.clauses(),
                        e.bundledUpdateIds(), "", e.id(), e.lastChange()));
            }
            this.heldSha1Hex = Set.copyOf(heldSha1Hex);
            this.revisions = List.copyOf(revs);
        }

        public Entry byId(int id) {
            return byId.get(id);
        }

        public Entry byUpdate(String updateId) {
            return byUpdate.get(updateId);
        }

        /** Every latest revision as the planner takes it (Core fragments left empty). */
        public List<SyncPlanner.Revision> revisions() {
            return revisions;
        }

        /** Whether the store holds the file with this SHA-1 (40 upper-case hex digits). */
        public boolean holds(String sha1Hex) {
            return heldSha1Hex.contains(sha1Hex);
        }

        /**
         * The files of the update and of every update it bundles (transitively) that the store does not hold; empty
         * when the update can be installed from this store, or when the store does not hold the update at all.
         */
        public List<MissingFile> missingFiles(String updateId) {
            List<MissingFile> out = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            List<String> todo = new ArrayList<>(List.of(updateId));
            while (!todo.isEmpty()) {
                String u = todo.remove(todo.size() - 1);
                Entry e = byUpdate.get(u);
                if (e == null || !seen.add(u)) {
                    continue;
                }
                for (UpdateFile f : e.files()) {
                    String hex = ContentUrls.sha1Hex(f.sha1Base64());
                    if (!heldSha1Hex.contains(hex)) {
                        out.add(new MissingFile(updateId, u, f.fileName(), hex, f.size()));
                    }
                }
                todo.addAll(e.bundledUpdateIds());
            }
            return out;
        }

        /** How many bundles the store held when this was read. */
        public long imports() {
            return imports;
        }
    }

    private final Store store;
    private final AtomicLong documentsParsed = new AtomicLong();
    private volatile Snapshot current;

    public ClientScope(Store store) {
        this.store = store;
    }

    /**
     * The snapshot of the store's latest committed state, read again when an import committed since the last one.
     *
     * @throws StoreException if the catalog or an update document cannot be read
     */
    public Snapshot current() {
        long imports = store.imports();
        Snapshot s = current;
        if (s != null && s.imports() == imports) {
            return s;
        }
        synchronized (this) {
            s = current;
            if (s == null || s.imports() != imports) {
                s = load(imports);
                current = s;
            }
            return s;
        }
    }

    private record Row(int id, String updateId, int revisionNumber, String updateType, String title,
                       String metadataSha256, String lastChange) {
    }

    private Snapshot load(long imports) {
        long started = System.nanoTime();
        List<Row> rows = new ArrayList<>();
        Set<String> held = new HashSet<>();
        store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT r.change_number, r.update_id, r.revision_number,"
                    + " r.update_type, r.title, r.metadata_sha256, b.imported_at FROM wsus_update_revision r"
                    + " JOIN bundle b ON b.bundle_id = r.bundle_id WHERE r.revision_number = (SELECT MAX(m.revision_number)"
                    + " FROM wsus_update_revision m WHERE m.update_id = r.update_id) ORDER BY r.change_number");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long change = rs.getLong(1);
                    if (change > Integer.MAX_VALUE) {
                        throw new StoreException("change number " + change + " is beyond MS-WUSP's int revision ids");
                    }
                    OffsetDateTime imported = rs.getObject(7, OffsetDateTime.class);
                    rows.add(new Row((int) change, rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), imported.withOffsetSameInstant(ZoneOffset.UTC).toLocalDate().toString()));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT sha1_hex FROM wsus_file");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    held.add(rs.getString(1));
                }
            }
            return null;
        });
        // A stored document never changes (it is named by its SHA-256): what the last snapshot parsed is reused, so
        // after an import only the documents it brought are parsed, not the whole catalog again.
        Map<String, Entry> known = new HashMap<>();
        Snapshot previous = current;
        if (previous != null) {
            for (Entry e : previous.byId.values()) {
                known.put(e.metadataSha256(), e);
            }
        }
        List<Entry> entries = new ArrayList<>(rows.size());
        int parsed = 0;
        for (Row r : rows) {
            Entry old = known.get(r.metadataSha256());
            if (old != null) {
                entries.add(new Entry(r.id(), r.updateId(), r.revisionNumber(), r.updateType(), r.title(),
                        r.metadataSha256(), old.clauses(), old.bundledUpdateIds(), old.files(), r.lastChange()));
                continue;
            }
            UpdateDocument doc = document(r.metadataSha256(), r.updateId(), r.revisionNumber());
            parsed++;
            List<List<String>> clauses = new ArrayList<>();
            for (PrerequisiteGroup g : doc.prerequisiteGroups()) {
                clauses.add(g.updateIds());
            }
            for (String p : doc.requiredPrerequisites()) {
                clauses.add(List.of(p));
            }
            List<String> bundled = doc.bundledUpdates().stream().map(u -> u.updateId()).distinct().toList();
            entries.add(new Entry(r.id(), r.updateId(), r.revisionNumber(), r.updateType(), r.title(),
                    r.metadataSha256(), List.copyOf(clauses), bundled, doc.files(), r.lastChange()));
        }
        documentsParsed.addAndGet(parsed);
        LOG.info("Windows clients: {} updates in scope ({} bundles imported), {} documents parsed, read in {} ms",
                entries.size(), imports, parsed, (System.nanoTime() - started) / 1_000_000);
        return new Snapshot(imports, entries, held);
    }

    /** How many update documents this scope has parsed since it was made (for tests: reuse across imports). */
    long documentsParsed() {
        return documentsParsed.get();
    }

    /**
     * The stored update document of a revision (UTF-8 bytes, as imported).
     *
     * @throws StoreException if the object cannot be read
     */
    public byte[] documentBytes(String metadataSha256) {
        try (InputStream in = store.openObject(metadataSha256)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new StoreException("cannot read update metadata object " + metadataSha256 + ": " + e.getMessage(), e);
        }
    }

    private UpdateDocument document(String sha256, String updateId, int revision) {
        try {
            return UpdateDocument.parse(new String(documentBytes(sha256), StandardCharsets.UTF_8));
        } catch (MetadataException e) {
            throw new StoreException("update " + updateId + " revision " + revision + ": stored metadata does not parse: "
                    + e.getMessage(), e);
        }
    }
}
