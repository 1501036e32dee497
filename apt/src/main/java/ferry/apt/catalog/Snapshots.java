package ferry.apt.catalog;

import ferry.apt.publish.SnapshotFiles;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Records a new snapshot of a channel, serves it, and drops those beyond the newest {@code keep}. */
final class Snapshots {
    /** @param number the new snapshot's number; @param dropped older snapshots dropped */
    record Published(long number, int dropped) {
    }

    private Snapshots() {
    }

    /**
     * @param contentOf the snapshot whose content this one repeats (a rollback), or null
     * @param pool      Filename to .deb SHA-256; each must be in {@code apt_package}
     */
    static Published publish(Connection c, String channel, String bundleId, Instant publishedAt, Long contentOf,
                             List<SnapshotFiles.File> files, Map<String, String> pool, int keep) throws SQLException {
        long number;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT COALESCE(MAX(number), 0) + 1 FROM apt_snapshot WHERE channel = ?")) {
            ps.setString(1, channel);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                number = rs.getLong(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO apt_snapshot (channel, number, bundle_id,"
                + " published_at, content_of) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, channel);
            ps.setLong(2, number);
            ps.setString(3, bundleId);
            ps.setTimestamp(4, Timestamp.from(publishedAt));
            ps.setObject(5, contentOf);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO apt_snapshot_file (channel, number, path, sha256,"
                + " size, content) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (SnapshotFiles.File f : files) {
                ps.setString(1, channel);
                ps.setLong(2, number);
                ps.setString(3, f.path());
                ps.setString(4, f.sha256());
                ps.setLong(5, f.size());
                ps.setBytes(6, f.bytes());
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO apt_snapshot_pool (channel, number, filename, sha256) VALUES (?, ?, ?, ?)")) {
            for (Map.Entry<String, String> e : pool.entrySet()) {
                ps.setString(1, channel);
                ps.setLong(2, number);
                ps.setString(3, e.getKey());
                ps.setString(4, e.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "MERGE INTO apt_current (channel, number) KEY (channel) VALUES (?, ?)")) {
            ps.setString(1, channel);
            ps.setLong(2, number);
            ps.executeUpdate();
        }
        int dropped;
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM apt_snapshot WHERE channel = ? AND number <= ?")) {
            ps.setString(1, channel);
            ps.setLong(2, number - keep);
            dropped = ps.executeUpdate();
        }
        return new Published(number, dropped);
    }
}
