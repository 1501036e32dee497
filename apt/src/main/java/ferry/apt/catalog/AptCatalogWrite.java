package ferry.apt.catalog;

import ferry.apt.publish.SnapshotFiles;
import ferry.store.CatalogWrite;
import ferry.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One bundle's rows of the APT tables, written in the store's import transaction: the {@code .deb} files it carried
 * that the store did not have, and a new snapshot of the bundle's channel (its signed files below {@code dists/} and
 * its pool), which becomes the channel's served snapshot when the import commits; snapshots beyond the newest
 * {@code keep} are dropped in the same transaction. Refuses, rolling the import back, a pool entry whose .deb is in
 * neither the bundle nor the store.
 */
final class AptCatalogWrite implements CatalogWrite<AptCatalogWrite.Result> {

    /** A .deb the bundle carried. */
    record Package(String sha256, String name, String version, String architecture, long size) {
    }

    /**
     * What the write changed.
     *
     * @param channel     the channel published
     * @param snapshot    the number of the snapshot published (1, 2, ... per channel)
     * @param packages    distinct .deb files the snapshot's indexes name
     * @param carried     .deb files the bundle carried
     * @param newPackages of those, ones the store did not have
     * @param dropped     older snapshots dropped (beyond the number kept)
     */
    record Result(String channel, long snapshot, int packages, int carried, int newPackages, int dropped)
            implements CatalogWrite.Result {
        @Override
        public int records() {
            return packages;
        }

        @Override
        public int newRecords() {
            return newPackages;
        }

        @Override
        public int files() {
            return carried;
        }

        @Override
        public int newFiles() {
            return newPackages;
        }

        @Override
        public List<String> notes() {
            return List.of("APT channel " + channel + ": published snapshot " + snapshot + " (" + packages
                    + " package(s))" + (dropped > 0 ? ", dropped " + dropped + " older snapshot(s)" : ""));
        }
    }

    private final String bundleId;
    private final List<Package> carried;
    private final Map<String, String> pool;
    private final List<SnapshotFiles.File> files;
    private final int keep;
    private final Instant publishedAt;
    private final int packages;

    /**
     * @param pool     Filename to .deb SHA-256, for every package the snapshot's indexes name
     * @param files    the snapshot's files below {@code dists/}
     * @param keep     snapshots kept per channel, at least 1
     * @param packages distinct .deb files the indexes name
     */
    AptCatalogWrite(String bundleId, List<Package> carried, Map<String, String> pool, List<SnapshotFiles.File> files,
                    int keep, Instant publishedAt, int packages) {
        if (keep < 1) {
            throw new StoreException("bundle " + bundleId + ": snapshots kept must be at least 1");
        }
        this.bundleId = bundleId;
        this.carried = List.copyOf(carried);
        this.pool = Map.copyOf(pool);
        this.files = List.copyOf(files);
        this.keep = keep;
        this.publishedAt = publishedAt;
        this.packages = packages;
    }

    @Override
    public String source() {
        return AptTables.INSTANCE.name();
    }

    @Override
    public Set<String> referencedObjects() {
        Set<String> out = new LinkedHashSet<>(pool.values());
        carried.forEach(p -> out.add(p.sha256()));
        return out;
    }

    @Override
    public Result write(Connection c, String bundleId) throws SQLException {
        String channel;
        try (PreparedStatement ps = c.prepareStatement("SELECT channel FROM bundle WHERE bundle_id = ?")) {
            ps.setString(1, bundleId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new StoreException("bundle " + bundleId + ": no bundle row to publish it for");
                }
                channel = rs.getString(1);
            }
        }
        // one lookup per .deb through one prepared statement, one batch of inserts (all in the import's transaction)
        Set<String> carriedSha = new LinkedHashSet<>();
        carried.forEach(p -> carriedSha.add(p.sha256()));
        Set<String> held = AptTables.held(c, carriedSha);
        int fresh = 0;
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO apt_package (sha256, package, version,"
                + " architecture, size, bundle_id) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (Package p : carried) {
                if (held.add(p.sha256())) {
                    insert.setString(1, p.sha256());
                    insert.setString(2, p.name());
                    insert.setString(3, p.version());
                    insert.setString(4, p.architecture());
                    insert.setLong(5, p.size());
                    insert.setString(6, bundleId);
                    insert.addBatch();
                    fresh++;
                }
            }
            if (fresh > 0) {
                insert.executeBatch();
            }
        }
        Set<String> named = new LinkedHashSet<>(pool.values());
        named.removeAll(held);
        Set<String> missing = new LinkedHashSet<>(named);
        missing.removeAll(AptTables.held(c, named));
        for (Map.Entry<String, String> e : pool.entrySet()) {
            if (missing.contains(e.getValue())) {
                throw new StoreException("bundle " + bundleId + ": " + e.getKey() + " (SHA-256 " + e.getValue()
                        + ") is neither in the bundle nor in the store");
            }
        }
        Snapshots.Published p = Snapshots.publish(c, channel, bundleId, publishedAt, null, files, pool, keep);
        return new Result(channel, p.number(), packages, carried.size(), fresh, p.dropped());
    }

    @Override
    public String toString() {
        return "apt snapshot of bundle " + bundleId + " (" + files.size() + " files, " + pool.size() + " in the pool)";
    }
}
