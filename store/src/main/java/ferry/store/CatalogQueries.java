package ferry.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** Read-only queries of the store's own tables; each takes the connection to run on, so callers choose the transaction. */
final class CatalogQueries {
    private CatalogQueries() {
    }

    static List<BundleInfo> bundles(Connection c) throws SQLException {
        List<BundleInfo> out = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT bundle_id, channel, sequence_number, base_sequence, created_at,"
                     + " imported_at, manifest_sha256, producer, revision_count, new_revision_count, file_count,"
                     + " new_file_count FROM bundle ORDER BY imported_at, channel, sequence_number")) {
            while (rs.next()) {
                long base = rs.getLong(4);
                Long baseSequence = rs.wasNull() ? null : base;
                String id = rs.getString(1);
                out.add(new BundleInfo(id, rs.getString(2), rs.getLong(3), baseSequence, instant(rs, 5),
                        instant(rs, 6), rs.getString(7), signers(c, id), rs.getString(8), rs.getInt(9),
                        rs.getInt(10), rs.getInt(11), rs.getInt(12)));
            }
        }
        return out;
    }

    private static List<String> signers(Connection c, String bundleId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT fingerprint FROM bundle_signer WHERE bundle_id = ? ORDER BY position")) {
            ps.setString(1, bundleId);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    static boolean isImported(Connection c, String bundleId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM bundle WHERE bundle_id = ?")) {
            ps.setString(1, bundleId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static List<ChannelState> channels(Connection c) throws SQLException {
        List<ChannelState> out = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name, last_sequence, last_bundle_id FROM channel ORDER BY name")) {
            while (rs.next()) {
                out.add(new ChannelState(rs.getString(1), rs.getLong(2), rs.getString(3)));
            }
        }
        return out;
    }

    static StoreCounts counts(Connection c, List<SourceCatalog> sources) throws SQLException {
        long bundles;
        long channels;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM bundle), (SELECT COUNT(*) FROM channel)")) {
            rs.next();
            bundles = rs.getLong(1);
            channels = rs.getLong(2);
        }
        List<StoreCounts.Source> bySource = new ArrayList<>();
        for (SourceCatalog source : sources) {
            bySource.add(new StoreCounts.Source(source.name(), source.counts(c)));
        }
        return new StoreCounts(bundles, channels, bySource);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }
}
