package ferry.wsus.catalog;

import ferry.store.SourceCatalog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The WSUS source's tables in the store's catalog ({@code wsus_*}, migrations in
 * {@code ferry/wsus/catalog/migration}): update revisions with their categories, prerequisites, bundled and
 * superseded updates, and update files. Update metadata and update files are objects of the store, referenced by
 * {@code wsus_update_revision.metadata_sha256} and {@code wsus_file.sha256}.
 */
public final class WsusTables implements SourceCatalog {
    /** The one instance: the WSUS source type's catalog. */
    public static final WsusTables INSTANCE = new WsusTables();

    private WsusTables() {
    }

    @Override
    public String name() {
        return "wsus";
    }

    @Override
    public String migrations() {
        return "classpath:ferry/wsus/catalog/migration";
    }

    /** Digests per query: each is an index lookup, and a statement of this many parameters is parsed once. */
    private static final int LOOKUP_CHUNK = 500;

    @Override
    public Set<String> referencedAmong(Connection c, Collection<String> sha256s) throws SQLException {
        // IN lists of parameters, which H2 answers from the digest indexes. (An `= ANY(array)` condition made H2
        // compare every row with every digest: an import of 25,000 metadata objects into a store of as many
        // revisions spent minutes of CPU in its clean-up.)
        Set<String> out = new HashSet<>();
        List<String> all = List.copyOf(sha256s);
        for (int from = 0; from < all.size(); from += LOOKUP_CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + LOOKUP_CHUNK));
            String in = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
            for (String sql : List.of("SELECT DISTINCT sha256 FROM wsus_file WHERE sha256 IN (" + in + ")",
                    "SELECT DISTINCT metadata_sha256 FROM wsus_update_revision WHERE metadata_sha256 IN (" + in + ")")) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
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
        }
        return out;
    }

    @Override
    public void references(Connection c, ReferenceSink sink) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT sha256, sha1_hex, file_name, size FROM wsus_file ORDER BY sha1_hex")) {
            while (rs.next()) {
                sink.accept(rs.getString(1), "update file " + rs.getString(3) + " (SHA-1 " + rs.getString(2) + ")",
                        rs.getLong(4));
            }
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT metadata_sha256, update_id, revision_number"
                     + " FROM wsus_update_revision ORDER BY update_id, revision_number")) {
            while (rs.next()) {
                sink.accept(rs.getString(1), "metadata of update " + rs.getString(2) + " revision " + rs.getInt(3),
                        null);
            }
        }
    }

    /**
     * {@code updates}, {@code revisions}, {@code files}, {@code fileBytes} (bytes), {@code changeNumber}, then the
     * served updates (each at its latest revision) by update type ({@code updatesSoftware}, {@code updatesDriver},
     * {@code updatesCategory}, {@code updatesDetectoid}) and the categories among them by category type
     * ({@code categoriesCompany}, {@code categoriesProductFamily}, {@code categoriesProduct},
     * {@code categoriesUpdateClassification}); types the store has none of are left out.
     */
    @Override
    public List<Count> counts(Connection c) throws SQLException {
        // The counts read every revision (an update's latest revision is a lookup per row): seconds at 50,000
        // revisions, so they are kept per catalog and read again only when an import has changed it. Every import
        // adds a bundle row, and every new revision draws a change number.
        String catalog = c.getMetaData().getURL();
        String state;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM bundle), (SELECT BASE_VALUE FROM"
                     + " INFORMATION_SCHEMA.SEQUENCES WHERE SEQUENCE_NAME = 'CHANGE_NUMBER_SEQ')")) {
            rs.next();
            state = rs.getLong(1) + "/" + rs.getLong(2);
        }
        CachedCounts cached = COUNTS.get(catalog);
        if (cached != null && cached.state().equals(state)) {
            return cached.counts();
        }
        List<Count> out = List.copyOf(countAll(c));
        if (COUNTS.size() > 64) {
            COUNTS.clear(); // many catalogs in one process (tests): never grow without bound
        }
        COUNTS.put(catalog, new CachedCounts(state, out));
        return out;
    }

    private record CachedCounts(String state, List<Count> counts) {
    }

    private static final java.util.Map<String, CachedCounts> COUNTS = new java.util.concurrent.ConcurrentHashMap<>();

    private static List<Count> countAll(Connection c) throws SQLException {
        List<Count> out = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(DISTINCT update_id) FROM wsus_update_revision),"
                     + " (SELECT COUNT(*) FROM wsus_update_revision), (SELECT COUNT(*) FROM wsus_file),"
                     + " (SELECT COALESCE(SUM(size), 0) FROM wsus_file),"
                     + " (SELECT COALESCE(MAX(change_number), 0) FROM wsus_update_revision)")) {
            rs.next();
            out.add(new Count("updates", rs.getLong(1)));
            out.add(new Count("revisions", rs.getLong(2)));
            out.add(new Count("files", rs.getLong(3)));
            out.add(new Count("fileBytes", rs.getLong(4)));
            out.add(new Count("changeNumber", rs.getLong(5)));
        }
        String latest = " FROM wsus_update_revision r WHERE r.revision_number = (SELECT MAX(m.revision_number)"
                + " FROM wsus_update_revision m WHERE m.update_id = r.update_id)";
        byType(c, "SELECT r.update_type, COUNT(*)" + latest + " GROUP BY r.update_type ORDER BY r.update_type",
                "updates", out);
        byType(c, "SELECT r.category_type, COUNT(*)" + latest + " AND r.category_type IS NOT NULL"
                + " GROUP BY r.category_type ORDER BY r.category_type", "categories", out);
        return out;
    }

    private static void byType(Connection c, String sql, String prefix, List<Count> out) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(new Count(prefix + rs.getString(1), rs.getLong(2)));
            }
        }
    }
}
