package ferry.wsus.catalog;

import ferry.wsus.UpdateIdentity;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** Read-only queries of the WSUS tables; each takes the connection to run on, so callers choose the transaction. */
final class WsusQueries {
    private WsusQueries() {
    }

    static long currentChangeNumber(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(change_number), 0) FROM wsus_update_revision")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static long highestChangeNumber(Connection c, Collection<String> bundleIds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT COALESCE(MAX(change_number), 0) FROM wsus_update_revision WHERE bundle_id = ANY(?)")) {
            ps.setArray(1, varchars(c, bundleIds));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static boolean holdsFiles(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1 FROM wsus_file LIMIT 1")) {
            return rs.next();
        }
    }

    static Integer latestRevisionNumber(Connection c, String updateId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT MAX(revision_number) FROM wsus_update_revision WHERE update_id = ?")) {
            ps.setString(1, updateId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                int v = rs.getInt(1);
                return rs.wasNull() ? null : v;
            }
        }
    }

    /**
     * The latest revisions for a listing. Without category filters: the covering index on update type and change
     * number, each candidate checked for being its update's latest through another covering index. With filters:
     * index ranges of {@code wsus_latest_category} (one per category id, no table rows read), products and
     * classifications intersected here rather than by a correlated lookup per candidate, which at 500,000 revisions
     * costs several times more.
     *
     * <p>A category id plays the product role unless the store knows it as a classification, and the
     * classification role unless the store knows it as something else: unknown categories still match.
     */
    static List<UpdateIdentity> latestRevisions(Connection c, boolean config, Collection<String> productIds,
                                             Collection<String> classificationIds, long sinceChangeNumber)
            throws SQLException {
        String type1 = config ? "Category" : "Software";
        String type2 = config ? "Detectoid" : "Driver";
        if (productIds.isEmpty() && classificationIds.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT r.update_id, r.revision_number"
                    + " FROM wsus_update_revision r WHERE r.update_type IN (?, ?) AND r.change_number > ?"
                    + " AND NOT EXISTS (SELECT 1 FROM wsus_update_revision m"
                    + " WHERE m.update_id = r.update_id AND m.revision_number > r.revision_number)"
                    + " ORDER BY r.change_number")) {
                ps.setString(1, type1);
                ps.setString(2, type2);
                ps.setLong(3, sinceChangeNumber);
                List<UpdateIdentity> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new UpdateIdentity(rs.getString(1), rs.getInt(2)));
                    }
                }
                return out;
            }
        }
        List<String> products = inRole(c, productIds, "category_type = 'UpdateClassification'");
        List<String> classifications = inRole(c, classificationIds,
                "category_type IS NOT NULL AND category_type <> 'UpdateClassification'");
        if (!productIds.isEmpty() && products.isEmpty() || !classificationIds.isEmpty() && classifications.isEmpty()) {
            return List.of();
        }
        // the side to keep in memory: products when given (the smaller side in practice), else classifications
        List<String> kept = products.isEmpty() ? classifications : products;
        List<String> streamed = products.isEmpty() ? List.of() : classifications;
        Map<String, Listed> candidates = new HashMap<>();
        scanLatest(c, kept, type1, type2, sinceChangeNumber, (id, revision, change) ->
                candidates.putIfAbsent(id, new Listed(id, revision, change)));
        List<Listed> matched;
        if (streamed.isEmpty()) {
            matched = new ArrayList<>(candidates.values());
        } else {
            List<Listed> both = new ArrayList<>();
            scanLatest(c, streamed, type1, type2, sinceChangeNumber, (id, revision, change) -> {
                Listed l = candidates.remove(id);
                if (l != null) {
                    both.add(l);
                }
            });
            matched = both;
        }
        matched.sort((a, b) -> Long.compare(a.changeNumber(), b.changeNumber()));
        List<UpdateIdentity> out = new ArrayList<>(matched.size());
        for (Listed l : matched) {
            out.add(new UpdateIdentity(l.updateId(), l.revisionNumber()));
        }
        return out;
    }

    /** Whether the revision {@code x} is listed without filter: its update's latest, of the types, changed since. */
    private static String listed(String x) {
        return x + ".update_type IN (?, ?) AND " + x + ".change_number > ? AND NOT EXISTS (SELECT 1 FROM"
                + " wsus_update_revision m WHERE m.update_id = " + x + ".update_id AND m.revision_number > "
                + x + ".revision_number)";
    }

    /**
     * Every revision an unfiltered listing names, each once, handed to {@code sink} as read: first the latest
     * revision of every update of the two types changed since {@code since}, then the stored revisions those
     * bundle, transitively, that are not among them (older revisions a bundle names; few).
     *
     * <p>The first part is one walk, in key order and read lazily (never the whole list in memory), over the
     * covering index on (update id, revision, change number): an update's latest revision is the last entry of its
     * run. A per-row "no newer revision" lookup instead costs a random index probe per revision (28,557 page reads
     * against 5,456 for the walk at 100,000 revisions, docs/benchmarks.md). What the index does not tell, the
     * type, comes from the revisions of the other two types, read first from the type index (a few thousand), and
     * which revisions a bundle names from one walk over the bundle rows' primary key (one entry per bundle leaf:
     * kept in memory, a fraction of the listing).
     */
    static void forEachUnfiltered(Connection c, boolean config, long since, Consumer<UpdateIdentity> sink)
            throws SQLException {
        String type1 = config ? "Category" : "Software";
        String type2 = config ? "Detectoid" : "Driver";
        Set<UpdateIdentity> otherTypes = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT update_id, revision_number FROM wsus_update_revision"
                + " WHERE update_type IN (?, ?)")) {
            ps.setString(1, config ? "Software" : "Category");
            ps.setString(2, config ? "Driver" : "Detectoid");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    otherTypes.add(new UpdateIdentity(rs.getString(1), rs.getInt(2)));
                }
            }
        }
        Set<UpdateIdentity> bundled = new HashSet<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT bundled_update_id, bundled_revision_number FROM wsus_bundled_update")) {
            while (rs.next()) {
                bundled.add(new UpdateIdentity(rs.getString(1), rs.getInt(2)));
            }
        }
        // revisions a bundle names that are not listed by themselves: candidates, if a listed bundle names them
        Set<UpdateIdentity> candidates = new HashSet<>();
        boolean lazy = lazy(c, true);
        try (PreparedStatement ps = c.prepareStatement("SELECT update_id, revision_number, change_number"
                + " FROM wsus_update_revision USE INDEX (wsus_update_revision_latest)"
                + " ORDER BY update_id, revision_number, change_number")) {
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                UpdateIdentity previous = null;
                long previousChange = 0;
                while (rs.next()) {
                    UpdateIdentity ref = new UpdateIdentity(rs.getString(1), rs.getInt(2));
                    if (previous != null) {
                        boolean latest = !previous.updateId().equals(ref.updateId());
                        settle(previous, latest, previousChange, since, otherTypes, bundled, candidates, sink);
                    }
                    previous = ref;
                    previousChange = rs.getLong(3);
                }
                if (previous != null) {
                    settle(previous, true, previousChange, since, otherTypes, bundled, candidates, sink);
                }
            }
        } finally {
            lazy(c, lazy);
        }
        bundled.clear();
        Set<UpdateIdentity> extra = new HashSet<>();
        List<UpdateIdentity> level = new ArrayList<>();
        if (!candidates.isEmpty()) {
            Map<UpdateIdentity, List<UpdateIdentity>> parentsOf = new HashMap<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT update_id, revision_number, bundled_update_id,"
                         + " bundled_revision_number FROM wsus_bundled_update")) {
                while (rs.next()) {
                    UpdateIdentity child = new UpdateIdentity(rs.getString(3), rs.getInt(4));
                    if (candidates.contains(child)) {
                        parentsOf.computeIfAbsent(child, k -> new ArrayList<>())
                                .add(new UpdateIdentity(rs.getString(1), rs.getInt(2)));
                    }
                }
            }
            Set<UpdateIdentity> parents = new HashSet<>();
            parentsOf.values().forEach(parents::addAll);
            Set<UpdateIdentity> listedParents = listedAmong(c, new ArrayList<>(parents), type1, type2, since);
            parentsOf.forEach((child, ps) -> {
                if (ps.stream().anyMatch(listedParents::contains) && extra.add(child)) {
                    level.add(child);
                }
            });
        }
        // deeper levels: what those bundle in turn (bundles within bundles), if anything
        List<UpdateIdentity> current = level;
        while (!current.isEmpty()) {
            List<UpdateIdentity> children = bundledAmong(c, current);
            Set<UpdateIdentity> listedChildren = listedAmong(c, children, type1, type2, since);
            List<UpdateIdentity> next = new ArrayList<>();
            for (UpdateIdentity child : children) {
                if (!listedChildren.contains(child) && extra.add(child)) {
                    next.add(child);
                }
            }
            current = next;
        }
        List<UpdateIdentity> sorted = new ArrayList<>(extra);
        sorted.sort(null);
        sorted.forEach(sink);
    }

    /** One revision of the walk: listed, or kept as a candidate when a bundle names it, or neither. */
    private static void settle(UpdateIdentity ref, boolean latest, long change, long since,
                               Set<UpdateIdentity> otherTypes, Set<UpdateIdentity> bundled,
                               Set<UpdateIdentity> candidates, Consumer<UpdateIdentity> sink) {
        if (latest && change > since && !otherTypes.contains(ref)) {
            sink.accept(ref);
        } else if (bundled.contains(ref)) {
            candidates.add(ref);
        }
    }

    /** Those of {@code refs} an unfiltered listing names by themselves. */
    private static Set<UpdateIdentity> listedAmong(Connection c, List<UpdateIdentity> refs, String type1,
                                                   String type2, long since) throws SQLException {
        Set<UpdateIdentity> out = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT r.update_id, r.revision_number"
                + " FROM UNNEST(CAST(? AS VARCHAR ARRAY), CAST(? AS INT ARRAY)) AS t(u, n)"
                + " JOIN wsus_update_revision r ON r.update_id = t.u AND r.revision_number = t.n WHERE " + listed("r"))) {
            for (List<UpdateIdentity> chunk : chunks(refs)) {
                bindRefs(c, ps, chunk);
                ps.setString(3, type1);
                ps.setString(4, type2);
                ps.setLong(5, since);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new UpdateIdentity(rs.getString(1), rs.getInt(2)));
                    }
                }
            }
        }
        return out;
    }

    /** Sets H2's lazy query execution (rows computed as they are fetched) on the connection; returns the old one. */
    private static boolean lazy(Connection c, boolean on) throws SQLException {
        boolean was;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                     + " WHERE SETTING_NAME = 'LAZY_QUERY_EXECUTION'")) {
            was = rs.next() && "TRUE".equalsIgnoreCase(rs.getString(1));
        }
        if (was != on) {
            try (Statement s = c.createStatement()) {
                s.execute("SET LAZY_QUERY_EXECUTION " + on);
            }
        }
        return was;
    }

    private record Listed(String updateId, int revisionNumber, long changeNumber) {
    }

    @FunctionalInterface
    private interface ListedSink {
        void accept(String updateId, int revisionNumber, long changeNumber);
    }

    /** The ids given, less those the store knows in a category role matching {@code excludedRole}. */
    private static List<String> inRole(Connection c, Collection<String> ids, String excludedRole) throws SQLException {
        if (ids.isEmpty()) {
            return List.of();
        }
        Set<String> excluded = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT update_id FROM wsus_update_revision"
                + " WHERE update_id IN (" + placeholders(ids.size()) + ") AND " + excludedRole)) {
            int i = 1;
            for (String id : ids) {
                ps.setString(i++, id);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    excluded.add(rs.getString(1));
                }
            }
        }
        List<String> out = new ArrayList<>();
        for (String id : ids) {
            if (!excluded.contains(id)) {
                out.add(id);
            }
        }
        return out;
    }

    // One index range per category id: IN with one placeholder each, which H2 turns into index lookups (an array
    // parameter is not, inside a larger query). Read lazily: a popular classification's range holds tens of
    // thousands of rows at 500,000 revisions, more than H2 keeps in memory for a result (MAX_MEMORY_ROWS, 20,000 at
    // -Xmx512m), and a result over that limit is first written to a temporary on-disk store and read back.
    private static void scanLatest(Connection c, List<String> categoryIds, String type1, String type2, long since,
                                   ListedSink sink) throws SQLException {
        boolean lazy = lazy(c, true);
        try (PreparedStatement ps = c.prepareStatement("SELECT update_id, revision_number, change_number"
                + " FROM wsus_latest_category WHERE category_id IN (" + placeholders(categoryIds.size()) + ")"
                + " AND update_type IN (?, ?) AND change_number > ?")) {
            ps.setFetchSize(1000);
            int i = 1;
            for (String id : categoryIds) {
                ps.setString(i++, id);
            }
            ps.setString(i++, type1);
            ps.setString(i++, type2);
            ps.setLong(i, since);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sink.accept(rs.getString(1), rs.getInt(2), rs.getLong(3));
                }
            }
        } finally {
            lazy(c, lazy);
        }
    }

    private static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    /**
     * The bundled updates of the given revisions that the store holds, each once, in no particular order: only the
     * revisions of updates in {@code bundling} (the updates that bundle anything, {@link #bundlingUpdates}: about one
     * update in ten) are looked up, one query per 1,000 of them. A lookup that finds nothing costs as much as one
     * that finds something (an index probe, a page read when the page has left H2's cache): at 500,000 revisions a
     * product x classification listing of 13,852 updates made 18,757 probes, for about 1,400 bundles.
     */
    static List<UpdateIdentity> storedBundledUpdates(Connection c, Set<String> bundling, Collection<UpdateIdentity> refs)
            throws SQLException {
        List<UpdateIdentity> probed = new ArrayList<>();
        for (UpdateIdentity ref : refs) {
            if (bundling.contains(ref.updateId())) { // UpdateIdentity holds ids in lower case, as the catalog does
                probed.add(ref);
            }
        }
        return bundledAmong(c, probed);
    }

    private static List<UpdateIdentity> bundledAmong(Connection c, Collection<UpdateIdentity> refs) throws SQLException {
        Set<UpdateIdentity> out = new LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT b.bundled_update_id, b.bundled_revision_number"
                + " FROM UNNEST(CAST(? AS VARCHAR ARRAY), CAST(? AS INT ARRAY)) AS t(u, n)"
                + " JOIN wsus_bundled_update b ON b.update_id = t.u AND b.revision_number = t.n"
                + " WHERE EXISTS (SELECT 1 FROM wsus_update_revision r"
                + " WHERE r.update_id = b.bundled_update_id AND r.revision_number = b.bundled_revision_number)")) {
            for (List<UpdateIdentity> chunk : chunks(refs)) {
                bindRefs(c, ps, chunk);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new UpdateIdentity(rs.getString(1), rs.getInt(2)));
                    }
                }
            }
        }
        return new ArrayList<>(out);
    }

    /**
     * What names the state of the catalog {@code c} sees, for keeping {@link #bundlingUpdates} between reads: bundle
     * rows are written only with their revision, which draws a new change number, and every import adds a bundle
     * row, so the count of bundles and the highest change number name it. Read in the same transaction as the
     * listing it serves ({@code Store.changes()} reads on a connection of its own).
     */
    static String bundlingState(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM bundle),"
                     + " (SELECT MAX(change_number) FROM wsus_update_revision)")) {
            rs.next();
            return rs.getLong(1) + "/" + rs.getLong(2);
        }
    }

    /**
     * The ids of every update that has a revision bundling anything ({@code wsus_bundled_update}), read lazily with
     * one walk over the table's primary key. About 130 bytes per bundling update (26,834 at 500,000 revisions:
     * 3.5 MB).
     */
    static Set<String> bundlingUpdates(Connection c) throws SQLException {
        Set<String> ids = new HashSet<>();
        boolean lazy = lazy(c, true);
        try (Statement s = c.createStatement()) {
            s.setFetchSize(1000);
            try (ResultSet rs = s.executeQuery("SELECT update_id FROM wsus_bundled_update ORDER BY update_id")) {
                String previous = null;
                while (rs.next()) {
                    String id = rs.getString(1);
                    if (!id.equals(previous)) {
                        ids.add(id);
                        previous = id;
                    }
                }
            }
        } finally {
            lazy(c, lazy);
        }
        return Collections.unmodifiableSet(ids);
    }

    /**
     * A stored revision's metadata object and, from catalog format 5 on, what GetUpdateData sends for it.
     *
     * @param metadataSha256 null when {@code document} is complete (a cabinet and a file list): the revision's row
     *                       was then not read
     */
    record ServedRow(String metadataSha256, ServedDocument document) {
    }

    /**
     * Each given revision that is stored: the served document the import kept (null for revisions imported before
     * catalog format 5) and, unless that document holds both a cabinet and a file list, its metadata object's
     * SHA-256. Served documents are read first (primary-key lookups); the revisions' own rows only for the rest
     * (plain documents, older revisions, revisions not stored). A revision row shares its page with dozens of
     * others whose text columns H2 decodes with it whenever the page is not in its cache, the costliest part of a
     * GetUpdateData at 500,000 revisions (docs/benchmarks.md); a served document row exists only for a stored
     * revision (foreign key), so it also says that the revision is stored.
     *
     * @throws IllegalStateException if a stored file list is malformed (the catalog was damaged)
     */
    static Map<UpdateIdentity, ServedRow> servedRows(Connection c, Collection<UpdateIdentity> refs)
            throws SQLException {
        Map<UpdateIdentity, ServedRow> out = new HashMap<>();
        Map<UpdateIdentity, ServedDocument> partial = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT d.update_id, d.revision_number, d.blob_cabinet,"
                + " d.document_files FROM UNNEST(CAST(? AS VARCHAR ARRAY), CAST(? AS INT ARRAY)) AS t(u, n)"
                + " JOIN wsus_served_document d ON d.update_id = t.u AND d.revision_number = t.n")) {
            for (List<UpdateIdentity> chunk : chunks(refs)) {
                bindRefs(c, ps, chunk);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        UpdateIdentity ref = new UpdateIdentity(rs.getString(1), rs.getInt(2));
                        ServedDocument document = new ServedDocument(rs.getBytes(3),
                                ServedDocument.decodeFiles(rs.getString(4)));
                        if (document.cabinet() != null && document.files() != null) {
                            out.put(ref, new ServedRow(null, document));
                        } else {
                            partial.put(ref, document);
                        }
                    }
                }
            }
        }
        List<UpdateIdentity> rest = new ArrayList<>();
        for (UpdateIdentity ref : refs) {
            if (!out.containsKey(ref)) {
                rest.add(ref);
            }
        }
        if (rest.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT r.update_id, r.revision_number, r.metadata_sha256"
                + " FROM UNNEST(CAST(? AS VARCHAR ARRAY), CAST(? AS INT ARRAY)) AS t(u, n)"
                + " JOIN wsus_update_revision r ON r.update_id = t.u AND r.revision_number = t.n")) {
            for (List<UpdateIdentity> chunk : chunks(rest)) {
                bindRefs(c, ps, chunk);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        UpdateIdentity ref = new UpdateIdentity(rs.getString(1), rs.getInt(2));
                        out.put(ref, new ServedRow(rs.getString(3), partial.get(ref)));
                    }
                }
            }
        }
        return out;
    }

    /** The stored files linked to each revision, by file name; revisions without any are absent. */
    static Map<UpdateIdentity, List<FileRecord>> files(Connection c, Collection<UpdateIdentity> refs)
            throws SQLException {
        Map<UpdateIdentity, List<FileRecord>> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT rf.update_id, rf.revision_number, " + FILE_COLUMNS
                + " FROM UNNEST(CAST(? AS VARCHAR ARRAY), CAST(? AS INT ARRAY)) AS t(u, n)"
                + " JOIN wsus_revision_file rf ON rf.update_id = t.u AND rf.revision_number = t.n"
                + " JOIN wsus_file f ON f.sha1_hex = rf.sha1_hex ORDER BY f.file_name, f.sha1_hex")) {
            for (List<UpdateIdentity> chunk : chunks(refs)) {
                bindRefs(c, ps, chunk);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.computeIfAbsent(new UpdateIdentity(rs.getString(1), rs.getInt(2)), k -> new ArrayList<>())
                                .add(new FileRecord(rs.getString(3), rs.getString(4), rs.getLong(5), rs.getString(6),
                                        rs.getString(7)));
                    }
                }
            }
        }
        return out;
    }

    private static final int CHUNK = 1000;

    private static List<List<UpdateIdentity>> chunks(Collection<UpdateIdentity> refs) {
        List<UpdateIdentity> all = new ArrayList<>(refs);
        List<List<UpdateIdentity>> out = new ArrayList<>();
        for (int from = 0; from < all.size(); from += CHUNK) {
            out.add(all.subList(from, Math.min(all.size(), from + CHUNK)));
        }
        return out;
    }

    private static void bindRefs(Connection c, PreparedStatement ps, List<UpdateIdentity> refs) throws SQLException {
        String[] ids = new String[refs.size()];
        Integer[] revisions = new Integer[refs.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = refs.get(i).updateId();
            revisions[i] = refs.get(i).revisionNumber();
        }
        ps.setArray(1, c.createArrayOf("VARCHAR", ids));
        ps.setArray(2, c.createArrayOf("INTEGER", revisions));
    }

    static Array varchars(Connection c, Collection<String> values) throws SQLException {
        return c.createArrayOf("VARCHAR", values.toArray(new String[0]));
    }

    static Optional<String> metadataSha256(Connection c, UpdateIdentity ref) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT metadata_sha256 FROM wsus_update_revision WHERE update_id = ? AND revision_number = ?")) {
            bind(ps, ref);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    static Optional<RevisionRecord> revision(Connection c, UpdateIdentity ref) throws SQLException {
        String type;
        String categoryType;
        String title;
        String kb;
        String metadata;
        try (PreparedStatement ps = c.prepareStatement("SELECT update_type, category_type, title, kb_article,"
                + " metadata_sha256 FROM wsus_update_revision WHERE update_id = ? AND revision_number = ?")) {
            bind(ps, ref);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                type = rs.getString(1);
                categoryType = rs.getString(2);
                title = rs.getString(3);
                kb = rs.getString(4);
                metadata = rs.getString(5);
            }
        }
        List<UpdateIdentity> bundled = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT bundled_update_id, bundled_revision_number"
                + " FROM wsus_bundled_update WHERE update_id = ? AND revision_number = ?"
                + " ORDER BY bundled_update_id, bundled_revision_number")) {
            bind(ps, ref);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    bundled.add(new UpdateIdentity(rs.getString(1), rs.getInt(2)));
                }
            }
        }
        return Optional.of(new RevisionRecord(ref.updateId(), ref.revisionNumber(), type, categoryType, title, kb,
                metadata,
                strings(c, "SELECT category_id FROM wsus_update_category", "category_id", ref),
                strings(c, "SELECT prerequisite_id FROM wsus_prerequisite", "prerequisite_id", ref),
                bundled,
                strings(c, "SELECT superseded_update_id FROM wsus_superseded", "superseded_update_id", ref),
                strings(c, "SELECT sha1_hex FROM wsus_revision_file", "sha1_hex", ref)));
    }

    private static List<String> strings(Connection c, String select, String column, UpdateIdentity ref)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                select + " WHERE update_id = ? AND revision_number = ? ORDER BY " + column)) {
            bind(ps, ref);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    private static final String FILE_COLUMNS = "f.sha1_hex, f.sha256, f.size, f.file_name, f.mu_url";

    static List<FileRecord> files(Connection c, UpdateIdentity ref) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + FILE_COLUMNS + " FROM wsus_revision_file rf"
                + " JOIN wsus_file f ON f.sha1_hex = rf.sha1_hex"
                + " WHERE rf.update_id = ? AND rf.revision_number = ? ORDER BY f.file_name, f.sha1_hex")) {
            bind(ps, ref);
            List<FileRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(file(rs));
                }
            }
            return out;
        }
    }

    static Optional<FileRecord> fileBySha1(Connection c, String sha1Hex) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + FILE_COLUMNS + " FROM wsus_file f WHERE f.sha1_hex = ?")) {
            ps.setString(1, sha1Hex);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(file(rs)) : Optional.empty();
            }
        }
    }

    /** Which of these upper-case SHA-1s wsus_file holds: IN lists of at most 500, answered from the primary key. */
    static Set<String> storedFiles(Connection c, List<String> sha1s) throws SQLException {
        Set<String> out = new HashSet<>();
        for (int from = 0; from < sha1s.size(); from += 500) {
            List<String> chunk = sha1s.subList(from, Math.min(sha1s.size(), from + 500));
            try (PreparedStatement ps = c.prepareStatement("SELECT sha1_hex FROM wsus_file WHERE sha1_hex IN ("
                    + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?")) + ")")) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
        }
        return out;
    }

    private static FileRecord file(ResultSet rs) throws SQLException {
        return new FileRecord(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5));
    }

    private static void bind(PreparedStatement ps, UpdateIdentity ref) throws SQLException {
        ps.setString(1, ref.updateId());
        ps.setInt(2, ref.revisionNumber());
    }
}
