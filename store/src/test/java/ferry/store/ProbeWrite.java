package ferry.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One bundle's probe items as rows of {@link ProbeSource}'s tables. An item the store already has with the same
 * object is skipped; one it has with another object is refused ({@link StoreException}), rolling the import back.
 */
final class ProbeWrite implements CatalogWrite<ProbeWrite.Result> {
    /** One item: an id, the object it references, its size in bytes, a name and tags. */
    record Item(String id, String sha256, long size, String name, List<String> tags) {
        Item {
            tags = List.copyOf(tags);
        }
    }

    /** What the write changed: every item counts as a record and as a file. */
    record Result(int records, int newRecords) implements CatalogWrite.Result {
        @Override
        public int files() {
            return records;
        }

        @Override
        public int newFiles() {
            return newRecords;
        }
    }

    private final String source;
    private final String what;
    private final Map<String, Item> items = new LinkedHashMap<>();

    private ProbeWrite(String source, String what) {
        this.source = source;
        this.what = what;
    }

    /** @throws StoreException if an item is listed twice or its object is not a SHA-256 */
    static ProbeWrite of(String bundleId, List<Item> items) {
        return as(ProbeSource.NAME, bundleId, items);
    }

    /** The same rows, claiming to be of source type {@code source} (to test that the store checks it). */
    static ProbeWrite as(String source, String bundleId, List<Item> items) {
        ProbeWrite w = new ProbeWrite(source, "bundle " + bundleId);
        for (Item i : items) {
            Item n = new Item(Ids.name(i.id(), 100, w.what + ": item id"), Ids.sha256(i.sha256(), w.what + ": item "
                    + i.id()), i.size(), i.name(), i.tags());
            if (w.items.putIfAbsent(n.id(), n) != null) {
                throw new StoreException(w.what + ": item " + n.id() + " is listed twice");
            }
        }
        return w;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public Set<String> referencedObjects() {
        Set<String> out = new LinkedHashSet<>();
        items.values().forEach(i -> out.add(i.sha256()));
        return out;
    }

    @Override
    public Result write(Connection c, String bundleId) throws SQLException {
        int added = 0;
        for (Item i : items.values()) {
            String stored = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT object_sha256 FROM probe_item WHERE item_id = ?")) {
                ps.setString(1, i.id());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        stored = rs.getString(1);
                    }
                }
            }
            if (stored != null) {
                if (!stored.equals(i.sha256())) {
                    throw new StoreException(what + ": item " + i.id() + " has SHA-256 " + i.sha256()
                            + ", but the store has it with " + stored);
                }
                continue;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO probe_item (item_id, object_sha256, size, name,"
                    + " bundle_id) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, i.id());
                ps.setString(2, i.sha256());
                ps.setLong(3, i.size());
                ps.setString(4, i.name());
                ps.setString(5, bundleId);
                ps.executeUpdate();
            }
            added++;
        }
        // All items first, then all tags: a failing tag insert fails the import after rows were written.
        for (Item i : items.values()) {
            for (String tag : i.tags()) {
                try (PreparedStatement ps = c.prepareStatement(
                        "MERGE INTO probe_tag (item_id, tag) KEY (item_id, tag) VALUES (?, ?)")) {
                    ps.setString(1, i.id());
                    ps.setString(2, tag);
                    ps.executeUpdate();
                }
            }
        }
        return new Result(items.size(), added);
    }
}
