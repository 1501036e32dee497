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
import java.util.List;
import java.util.Optional;

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

    // A category id plays the product role unless the store knows it as a classification, and the
    // classification role unless the store knows it as something else: unknown categories still match.
    private static final String PRODUCT_MATCH = " AND EXISTS (SELECT 1 FROM wsus_update_category c"
            + " WHERE c.update_id = r.update_id AND c.revision_number = r.revision_number AND c.category_id = ANY(?)"
            + " AND NOT EXISTS (SELECT 1 FROM wsus_update_revision k WHERE k.update_id = c.category_id"
            + " AND k.category_type = 'UpdateClassification'))";
    private static final String CLASSIFICATION_MATCH = " AND EXISTS (SELECT 1 FROM wsus_update_category c"
            + " WHERE c.update_id = r.update_id AND c.revision_number = r.revision_number AND c.category_id = ANY(?)"
            + " AND NOT EXISTS (SELECT 1 FROM wsus_update_revision k WHERE k.update_id = c.category_id"
            + " AND k.category_type IS NOT NULL AND k.category_type <> 'UpdateClassification'))";

    static List<UpdateIdentity> latestRevisions(Connection c, boolean config, Collection<String> productIds,
                                             Collection<String> classificationIds, long sinceChangeNumber)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT r.update_id, r.revision_number FROM wsus_update_revision r"
                + " WHERE r.update_type IN (?, ?) AND r.change_number > ?"
                + " AND r.revision_number = (SELECT MAX(m.revision_number) FROM wsus_update_revision m"
                + " WHERE m.update_id = r.update_id)");
        if (!productIds.isEmpty()) {
            sql.append(PRODUCT_MATCH);
        }
        if (!classificationIds.isEmpty()) {
            sql.append(CLASSIFICATION_MATCH);
        }
        sql.append(" ORDER BY r.change_number");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            ps.setString(i++, config ? "Category" : "Software");
            ps.setString(i++, config ? "Detectoid" : "Driver");
            ps.setLong(i++, sinceChangeNumber);
            if (!productIds.isEmpty()) {
                ps.setArray(i++, varchars(c, productIds));
            }
            if (!classificationIds.isEmpty()) {
                ps.setArray(i++, varchars(c, classificationIds));
            }
            List<UpdateIdentity> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new UpdateIdentity(rs.getString(1), rs.getInt(2)));
                }
            }
            return out;
        }
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

    private static FileRecord file(ResultSet rs) throws SQLException {
        return new FileRecord(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5));
    }

    private static void bind(PreparedStatement ps, UpdateIdentity ref) throws SQLException {
        ps.setString(1, ref.updateId());
        ps.setInt(2, ref.revisionNumber());
    }
}
