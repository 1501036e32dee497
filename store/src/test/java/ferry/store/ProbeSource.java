package ferry.store;

import java.sql.Array;
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
 * A small but real source type for the store's own tests (the store must not depend on WSUS): tables
 * {@code probe_item} (each row references one object) and {@code probe_tag}, created by its own Flyway migrations
 * in {@code ferry/store/probe/migration}, filled by {@link ProbeWrite}.
 */
final class ProbeSource implements SourceCatalog {
    static final ProbeSource INSTANCE = new ProbeSource();
    static final String NAME = "probe";

    private ProbeSource() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String migrations() {
        return "classpath:ferry/store/probe/migration";
    }

    @Override
    public Set<String> referencedAmong(Connection c, Collection<String> sha256s) throws SQLException {
        Set<String> out = new HashSet<>();
        Array array = c.createArrayOf("VARCHAR", sha256s.toArray());
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT DISTINCT object_sha256 FROM probe_item WHERE object_sha256 = ANY(?)")) {
            ps.setArray(1, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    @Override
    public void references(Connection c, ReferenceSink sink) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT object_sha256, item_id, name, size FROM probe_item ORDER BY item_id")) {
            while (rs.next()) {
                sink.accept(rs.getString(1), "probe item " + rs.getString(2) + " (" + rs.getString(3) + ")",
                        rs.getLong(4));
            }
        }
    }

    /** {@code items}, {@code itemBytes} (bytes), {@code tags}. */
    @Override
    public List<Count> counts(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM probe_item),"
                     + " (SELECT COALESCE(SUM(size), 0) FROM probe_item), (SELECT COUNT(*) FROM probe_tag)")) {
            rs.next();
            return List.of(new Count("items", rs.getLong(1)), new Count("itemBytes", rs.getLong(2)),
                    new Count("tags", rs.getLong(3)));
        }
    }

    /** Every stored item, by id: the probe's own read through {@link Store#read}. */
    static List<ProbeWrite.Item> items(Store store) {
        return store.read(c -> {
            List<ProbeWrite.Item> out = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT item_id, object_sha256, size, name FROM probe_item ORDER BY item_id")) {
                while (rs.next()) {
                    out.add(new ProbeWrite.Item(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                            tags(c, rs.getString(1))));
                }
            }
            return out;
        });
    }

    private static List<String> tags(Connection c, String itemId) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT tag FROM probe_tag WHERE item_id = ? ORDER BY tag")) {
            ps.setString(1, itemId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** The probe's figures of {@link Store#counts}. */
    static StoreCounts.Source counts(Store store) {
        return store.counts().source(NAME).orElseThrow();
    }
}
