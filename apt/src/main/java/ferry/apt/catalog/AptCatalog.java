package ferry.apt.catalog;

import ferry.apt.publish.PublishSettings;
import ferry.apt.publish.Resign;
import ferry.apt.publish.SiteKey;
import ferry.apt.publish.SnapshotFiles;
import ferry.format.pgp.SigningKey;
import ferry.store.Store;
import ferry.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads of the APT tables for serving and for {@code ferry apt}: a channel's served snapshot and its files, the
 * indexes of every kept snapshot by hash, the pool; and the one change outside an import, serving an older kept
 * snapshot's content again ({@link #rollback}). Each method sees one committed state of the catalog.
 */
public final class AptCatalog {
    private final Store store;

    public AptCatalog(Store store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * A kept snapshot of a channel.
     *
     * @param bundleId  the bundle whose import published its content
     * @param current   whether the channel serves it
     * @param contentOf for a rollback, the snapshot whose content it publishes again; else null
     */
    public record Snapshot(String channel, long number, String bundleId, Instant publishedAt, boolean current,
                           Long contentOf) {
    }

    /**
     * The file at {@code path} below {@code dists/} of the snapshot {@code channel} serves, e.g.
     * {@code stable/InRelease}; empty if the channel or file does not exist.
     *
     * @throws StoreException on a database error
     */
    public Optional<SnapshotFiles.File> current(String channel, String path) {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT f.path, f.content, f.sha256 FROM apt_snapshot_file f"
                    + " JOIN apt_current k ON k.channel = f.channel AND k.number = f.number"
                    + " WHERE f.channel = ? AND f.path = ?")) {
                ps.setString(1, channel);
                ps.setString(2, path);
                return one(ps);
            }
        });
    }

    /**
     * The index {@code sha256} below directory {@code dir} (below {@code dists/}, e.g. {@code stable/main/binary-amd64})
     * of any kept snapshot of {@code channel}: a client that read an older snapshot's InRelease still gets the indexes
     * it names after a switch.
     *
     * @throws StoreException on a database error
     */
    public Optional<SnapshotFiles.File> byHash(String channel, String dir, String sha256) {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT path, content, sha256 FROM apt_snapshot_file"
                    + " WHERE channel = ? AND sha256 = ? AND path LIKE ? ESCAPE '\\' LIMIT 1")) {
                ps.setString(1, channel);
                ps.setString(2, sha256);
                ps.setString(3, dir.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "/%");
                Optional<SnapshotFiles.File> f = one(ps);
                // the index must sit directly in dir, not deeper
                return f.filter(x -> x.path().lastIndexOf('/') == dir.length());
            }
        });
    }

    /**
     * The object (SHA-256) of {@code filename} (e.g. {@code pool/main/h/hello/hello_2.10-3_amd64.deb}) in any kept
     * snapshot of {@code channel}, newest first; empty if none names it.
     *
     * @throws StoreException on a database error
     */
    public Optional<String> pool(String channel, String filename) {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT sha256 FROM apt_snapshot_pool WHERE channel = ?"
                    + " AND filename = ? ORDER BY number DESC LIMIT 1")) {
                ps.setString(1, channel);
                ps.setString(2, filename);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    /** Where the store keeps object {@code sha256} (it may be absent). */
    public java.nio.file.Path objectPath(String sha256) {
        return store.objectPath(sha256);
    }

    /** The kept snapshots of {@code channel}, oldest first (empty if it has none). @throws StoreException on a database error */
    public List<Snapshot> snapshots(String channel) {
        return store.read(c -> snapshots(c, channel));
    }

    /** The channels with a published snapshot, by name. @throws StoreException on a database error */
    public List<String> channels() {
        return store.read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT channel FROM apt_current ORDER BY channel");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    /**
     * Serves the content of an older kept snapshot of {@code channel} again: publishes it as a new snapshot (same
     * indexes and pool, its Release dated {@code now} and signed afresh with the store's repository key, since apt
     * keeps a Release newer than the one offered) and switches to it in one update, so a client sees the old snapshot
     * or the new one, never a mix. The next import publishes its own snapshot and serves that.
     *
     * @param store the store, open for import (the writer)
     * @param to    the snapshot whose content to serve, or empty for the kept snapshot just before the content served
     * @return the snapshot now served
     * @throws RollbackException      if the channel has no snapshot, {@code to} is not kept, or no older one is kept
     * @throws ferry.apt.publish.PublishConfigException if the repository key or the settings are unusable
     * @throws StoreException         on a database error
     */
    public static Snapshot rollback(Store store, String channel, Optional<Long> to, Instant now) {
        PublishSettings settings = PublishSettings.load(store.directory());
        SigningKey key = SiteKey.loadOrCreate(store.directory());
        Instant date = now.truncatedTo(ChronoUnit.SECONDS);
        return store.change("apt rollback", false, c -> {
            List<Snapshot> kept = snapshots(c, channel);
            Snapshot current = kept.stream().filter(Snapshot::current).findFirst()
                    .orElseThrow(() -> new RollbackException("APT channel " + channel + " has no published snapshot"));
            long served = current.contentOf() != null ? current.contentOf() : current.number();
            Snapshot target;
            if (to.isPresent()) {
                target = kept.stream().filter(s -> s.number() == to.get()).findFirst()
                        .orElseThrow(() -> new RollbackException("APT channel " + channel + " keeps no snapshot "
                                + to.get() + " (kept: " + numbers(kept) + ")"));
            } else {
                target = kept.stream().filter(s -> s.number() < served).reduce((a, b) -> b)
                        .orElseThrow(() -> new RollbackException("APT channel " + channel + " keeps no snapshot older"
                                + " than " + served + " (kept: " + numbers(kept) + ")"));
            }
            long content = target.contentOf() != null ? target.contentOf() : target.number();
            List<SnapshotFiles.File> files = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT path, content, sha256 FROM apt_snapshot_file"
                    + " WHERE channel = ? AND number = ? ORDER BY path")) {
                ps.setString(1, channel);
                ps.setLong(2, target.number());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String path = rs.getString(1);
                        byte[] bytes = rs.getBytes(2);
                        if (path.endsWith("/Release")) {
                            files.addAll(Resign.of(path.substring(0, path.length() - "/Release".length()),
                                    new String(bytes, StandardCharsets.UTF_8), key, date,
                                    settings.validFor().map(date::plus)));
                        } else if (!path.endsWith("/InRelease") && !path.endsWith("/Release.gpg")) {
                            files.add(new SnapshotFiles.File(path, bytes, rs.getString(3)));
                        }
                    }
                }
            }
            Map<String, String> pool = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT filename, sha256 FROM apt_snapshot_pool"
                    + " WHERE channel = ? AND number = ? ORDER BY filename")) {
                ps.setString(1, channel);
                ps.setLong(2, target.number());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        pool.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            Snapshots.Published p = Snapshots.publish(c, channel, target.bundleId(), date, content, files, pool,
                    settings.keepSnapshots());
            return new Snapshot(channel, p.number(), target.bundleId(), date, true, content);
        });
    }

    private static String numbers(List<Snapshot> kept) {
        return String.join(", ", kept.stream().map(s -> Long.toString(s.number())).toList());
    }

    private static List<Snapshot> snapshots(Connection c, String channel) throws SQLException {
        List<Snapshot> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT s.number, s.bundle_id, s.published_at,"
                + " k.number IS NOT NULL, s.content_of FROM apt_snapshot s LEFT JOIN apt_current k ON k.channel = s.channel"
                + " AND k.number = s.number WHERE s.channel = ? ORDER BY s.number")) {
            ps.setString(1, channel);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Snapshot(channel, rs.getLong(1), rs.getString(2),
                            rs.getObject(3, java.time.OffsetDateTime.class).toInstant(), rs.getBoolean(4),
                            rs.getObject(5, Long.class)));
                }
            }
        }
        return out;
    }

    private static Optional<SnapshotFiles.File> one(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(new SnapshotFiles.File(rs.getString(1), rs.getBytes(2), rs.getString(3)))
                    : Optional.empty();
        }
    }
}
