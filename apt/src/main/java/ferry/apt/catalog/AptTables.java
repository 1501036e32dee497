package ferry.apt.catalog;

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
 * The APT source's tables in the store's catalog ({@code apt_*}, migrations in {@code ferry/apt/catalog/migration}):
 * the {@code .deb} files the store holds ({@code apt_package}, each an object of the store, kept for good so a later
 * delta bundle may name it without carrying it), and each channel's published snapshots: their signed files below
 * {@code dists/} ({@code apt_snapshot_file}, held in the catalog itself, so dropping an old snapshot leaves no object
 * behind), their pool ({@code apt_snapshot_pool}) and the snapshot served ({@code apt_current}).
 */
public final class AptTables implements SourceCatalog {
    /** The one instance: the APT source type's catalog. */
    public static final AptTables INSTANCE = new AptTables();

    private AptTables() {
    }

    @Override
    public String name() {
        return "apt";
    }

    @Override
    public String migrations() {
        return "classpath:ferry/apt/catalog/migration";
    }

    @Override
    public Set<String> referencedAmong(Connection c, Collection<String> sha256s) throws SQLException {
        return held(c, sha256s);
    }

    /**
     * Those of {@code sha256s} that have an {@code apt_package} row: one lookup by primary key each, through one
     * prepared statement. (A single {@code sha256 = ANY(?)} with an array of them is not answered from the index:
     * H2 compares every row with every element, converting each, which took seconds for 3,000 packages.)
     */
    static Set<String> held(Connection c, Collection<String> sha256s) throws SQLException {
        Set<String> out = new HashSet<>();
        if (sha256s.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM apt_package WHERE sha256 = ?")) {
            for (String sha : sha256s) {
                ps.setString(1, sha);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        out.add(sha);
                    }
                }
            }
        }
        return out;
    }

    @Override
    public void references(Connection c, ReferenceSink sink) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT sha256, package, version, architecture, size FROM apt_package"
                     + " ORDER BY package, version, architecture")) {
            while (rs.next()) {
                sink.accept(rs.getString(1), "package " + rs.getString(2) + " " + rs.getString(3) + " ("
                        + rs.getString(4) + ")", rs.getLong(5));
            }
        }
    }

    /**
     * {@code packages} (.deb files held), {@code packageBytes} (bytes), {@code publishedChannels} (channels
     * published), {@code snapshots} (snapshots kept, all channels).
     */
    @Override
    public List<Count> counts(Connection c) throws SQLException {
        List<Count> out = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM apt_package),"
                     + " (SELECT COALESCE(SUM(size), 0) FROM apt_package), (SELECT COUNT(*) FROM apt_current),"
                     + " (SELECT COUNT(*) FROM apt_snapshot)")) {
            rs.next();
            out.add(new Count("packages", rs.getLong(1)));
            out.add(new Count("packageBytes", rs.getLong(2)));
            out.add(new Count("publishedChannels", rs.getLong(3)));
            out.add(new Count("snapshots", rs.getLong(4)));
        }
        return out;
    }
}
