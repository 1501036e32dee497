package ferry.wsus.wusp;

import ferry.store.StoreException;
import ferry.wsus.wusp.ClientRequest.ComputerInfo;
import ferry.wsus.wusp.ClientRequest.ReportingEvent;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.h2.engine.SysProperties;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The Windows clients of a served store: registered computers, the events they report and what ferry knows of each
 * approved update on each of them. An H2 database of its own, {@code <store>/clients.mv.db} (Flyway history
 * {@code clients_schema_history}), not tables of the store's catalog: the catalog is written by imports only and
 * {@code ferry serve} opens it read-only ({@code Store.openForServing}) while an import may run in another process;
 * client reports are written all day by the serving process, are not carried by bundles and must never contend with
 * an import's commit. The process serving the store is the only writer (it holds the store's serve lock); H2's
 * automatic mixed mode on loopback lets {@code ferry clients list} read it meanwhile.
 *
 * <p>Thread-safe. Times are UTC; client and update ids lower-case GUIDs. Failures are {@link StoreException}s with a
 * one-line message naming the file.
 */
public final class ClientRegistry implements AutoCloseable {
    /** The database file inside the store directory. */
    public static final String FILE = "clients.mv.db";
    private static final String BIND_PROPERTY = "h2.bindAddress";

    static {
        // Before H2's SysProperties loads: the auto-server listener must never face the network.
        if (System.getProperty(BIND_PROPERTY) == null) {
            System.setProperty(BIND_PROPERTY, "127.0.0.1");
        }
    }

    /** What ferry knows of one approved update on one computer. */
    public enum Status {
        OFFERED("offered"), NEEDED("needed"), DOWNLOADING("downloading"), DOWNLOADED("downloaded"),
        INSTALLING("installing"), INSTALLED("installed"), PENDING_RESTART("pending-restart"), FAILED("failed");

        private final String text;

        Status(String text) {
            this.text = text;
        }

        /** The name in the database, {@code ferry clients list} and the status page. */
        public String text() {
            return text;
        }

        static Status of(String text) {
            for (Status s : values()) {
                if (s.text.equals(text)) {
                    return s;
                }
            }
            throw new IllegalArgumentException(text);
        }
    }

    /** An approved update offered to a computer for install (SyncUpdates, Action Install). */
    public record Offer(String updateId, int revisionNumber, String title) {
    }

    /**
     * One approved update on one computer.
     *
     * @param win32HResult the result code of the event that set the status, or null
     */
    public record UpdateStatus(String updateId, int revisionNumber, String title, Status status, Integer win32HResult,
                               Instant changedAt) {
    }

    /** A computer as registered, with the updates ferry offered it and what it reported of them. */
    public record Computer(String clientId, String dnsName, String targetGroup, String osVersion, String osDescription,
                           String architecture, String clientVersion, Instant firstContact, Instant lastContact,
                           Instant registeredAt, Instant lastSync, Instant lastReport, List<UpdateStatus> updates) {
        public Computer {
            updates = List.copyOf(updates);
        }
    }

    private final Path file;
    private final JdbcConnectionPool pool;
    private final String serverId;
    private final byte[] cookieKey;
    private final Instant createdAt;

    private ClientRegistry(Path file, JdbcConnectionPool pool, String serverId, byte[] cookieKey, Instant createdAt) {
        this.file = file;
        this.pool = pool;
        this.serverId = serverId;
        this.cookieKey = cookieKey;
        this.createdAt = createdAt;
    }

    /**
     * Opens (creating and migrating as needed) the clients database of the store in {@code storeDir}: for the
     * process serving the store.
     *
     * @throws StoreException if it cannot be created, opened or migrated
     */
    public static ClientRegistry open(Path storeDir) {
        return open(storeDir, true);
    }

    /**
     * Opens the clients database of the store in {@code storeDir} if there is one, without creating or migrating
     * anything (for {@code ferry clients list}, also while {@code ferry serve} runs).
     *
     * @return empty if the store has no clients database (no client was ever served)
     * @throws StoreException if it exists but cannot be opened, or was written by another ferry
     */
    public static Optional<ClientRegistry> openExisting(Path storeDir) {
        if (!Files.exists(storeDir.resolve(FILE))) {
            return Optional.empty();
        }
        return Optional.of(open(storeDir, false));
    }

    private static ClientRegistry open(Path storeDir, boolean create) {
        Path base = storeDir.toAbsolutePath().resolve("clients");
        Path file = storeDir.resolve(FILE);
        if (base.toString().contains(";")) {
            throw new StoreException("clients database " + file + ": the path must not contain ';'");
        }
        requireLoopbackListener(file);
        String url = "jdbc:h2:file:" + base + ";FILE_LOCK=FILE;AUTO_SERVER=TRUE;WRITE_DELAY=0;TRACE_LEVEL_FILE=0;IFEXISTS="
                + (create ? "FALSE" : "TRUE");
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, "ferry", "");
        pool.setMaxConnections(32);
        try {
            if (create) {
                Flyway.configure(ClientRegistry.class.getClassLoader()).dataSource(pool)
                        .locations("classpath:ferry/wsus/clients/migration").table("clients_schema_history")
                        .failOnMissingLocations(true).load().migrate();
            }
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                if (create) {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO client_server (id, server_id, cookie_key,"
                            + " created_at, config_since) SELECT 1, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM client_server)")) {
                        byte[] key = new byte[32];
                        new SecureRandom().nextBytes(key);
                        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                        ps.setString(1, UUID.randomUUID().toString());
                        ps.setBytes(2, key);
                        ps.setObject(3, utc(now));
                        ps.setObject(4, utc(now));
                        ps.executeUpdate();
                    }
                }
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT server_id, cookie_key, created_at FROM client_server")) {
                    if (!rs.next()) {
                        throw new StoreException("clients database " + file + " has no server identity");
                    }
                    ClientRegistry r = new ClientRegistry(file, pool, rs.getString(1), rs.getBytes(2),
                            instant(rs, 3));
                    c.commit();
                    return r;
                }
            }
        } catch (SQLException | FlywayException e) {
            pool.dispose();
            throw new StoreException("clients database " + file + ": cannot open: " + firstLine(e), e);
        } catch (RuntimeException e) {
            pool.dispose();
            throw e;
        }
    }

    /** The clients database's own id (a new database, a new id); cookies name the store instead. */
    public String serverId() {
        return serverId;
    }

    /** The 32-byte key sealing cookies (a copy). */
    public byte[] cookieKey() {
        return cookieKey.clone();
    }

    /** When the database was created (UTC). */
    public Instant createdAt() {
        return createdAt;
    }

    /**
     * Records the configuration this process advertises and returns GetConfig's LastChange: the moment the
     * configuration last changed. The same digest as recorded keeps the recorded moment (a restart is no change); a
     * different one is recorded with {@code now} (to the millisecond), which makes every earlier cookie ConfigChanged.
     * A database without a recorded digest (written by a ferry from before configurations were recorded) takes the
     * digest and keeps its moment, the LastChange that ferry advertised.
     *
     * @param digest {@link ClientConfiguration#digest()}
     * @throws StoreException if the database cannot be read or written
     */
    public Instant configuration(String digest, Instant now) {
        Instant[] since = new Instant[1];
        write(c -> {
            String recorded;
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT config_digest, config_since FROM client_server FOR UPDATE")) {
                if (!rs.next()) {
                    throw new SQLException("no server identity");
                }
                recorded = rs.getString(1);
                since[0] = instant(rs, 2);
            }
            if (digest.equals(recorded)) {
                return;
            }
            if (recorded != null) {
                since[0] = now.truncatedTo(ChronoUnit.MILLIS);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE client_server SET config_digest = ?, config_since = ?")) {
                ps.setString(1, digest);
                ps.setObject(2, utc(since[0]));
                ps.executeUpdate();
            }
        });
        return since[0];
    }

    /** GetAuthorizationCookie: the computer is known from now on, in the groups it named (null: none). */
    public void authorized(String clientId, String dnsName, String targetGroup, Instant now) {
        write(c -> {
            try (PreparedStatement ps = c.prepareStatement("MERGE INTO client_computer t USING (VALUES (?, ?, ?, ?))"
                    + " AS s (client_id, dns_name, target_group, at) ON t.client_id = s.client_id"
                    + " WHEN MATCHED THEN UPDATE SET dns_name = COALESCE(s.dns_name, t.dns_name),"
                    + " target_group = s.target_group, last_contact = s.at"
                    + " WHEN NOT MATCHED THEN INSERT (client_id, dns_name, target_group, first_contact, last_contact)"
                    + " VALUES (s.client_id, s.dns_name, s.target_group, s.at, s.at)")) {
                ps.setString(1, clientId);
                ps.setString(2, dnsName);
                ps.setString(3, targetGroup);
                ps.setObject(4, utc(now));
                ps.executeUpdate();
            }
        });
    }

    /** RegisterComputer: the computer's description as it sent it. */
    public void registered(String clientId, ComputerInfo info, Instant now) {
        write(c -> {
            ensure(c, clientId, now);
            try (PreparedStatement ps = c.prepareStatement("UPDATE client_computer SET dns_name = COALESCE(?, dns_name),"
                    + " os_version = ?, os_description = ?, os_locale = ?, manufacturer = ?, model = ?, architecture = ?,"
                    + " client_version = ?, registered_at = ?, last_contact = ? WHERE client_id = ?")) {
                ps.setString(1, info.dnsName());
                ps.setString(2, info.osVersion());
                ps.setString(3, info.osDescription());
                ps.setString(4, info.osLocale());
                ps.setString(5, info.manufacturer());
                ps.setString(6, info.model());
                ps.setString(7, info.processorArchitecture());
                ps.setString(8, info.clientVersion());
                ps.setObject(9, utc(now));
                ps.setObject(10, utc(now));
                ps.setString(11, clientId);
                ps.executeUpdate();
            }
        });
    }

    /** The computer's registration state: null if unknown; its target group text (may be null) otherwise. */
    public Optional<Known> known(String clientId) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT target_group, registered_at IS NOT NULL FROM client_computer WHERE client_id = ?")) {
                ps.setString(1, clientId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Known(rs.getString(1), rs.getBoolean(2))) : Optional.empty();
                }
            }
        });
    }

    /** What SyncUpdates needs to know of a computer: the groups it named, and whether it registered. */
    public record Known(String targetGroup, boolean registered) {
    }

    /** SyncUpdates: the computer was in contact, and these approved updates were offered to it for install. */
    public void synced(String clientId, List<Offer> offers, Instant now) {
        write(c -> {
            ensure(c, clientId, now);
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE client_computer SET last_sync = ?, last_contact = ? WHERE client_id = ?")) {
                ps.setObject(1, utc(now));
                ps.setObject(2, utc(now));
                ps.setString(3, clientId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("MERGE INTO client_update_status t USING (VALUES (?, ?, ?, ?, ?))"
                    + " AS s (client_id, update_id, revision_number, title, at)"
                    + " ON t.client_id = s.client_id AND t.update_id = s.update_id"
                    + " WHEN MATCHED AND t.revision_number <> s.revision_number THEN UPDATE SET"
                    + " revision_number = s.revision_number, title = s.title, status = 'offered', win32_hresult = NULL,"
                    + " changed_at = s.at"
                    + " WHEN NOT MATCHED THEN INSERT (client_id, update_id, revision_number, title, status, changed_at)"
                    + " VALUES (s.client_id, s.update_id, s.revision_number, s.title, 'offered', s.at)")) {
                for (Offer o : offers) {
                    ps.setString(1, clientId);
                    ps.setString(2, o.updateId());
                    ps.setInt(3, o.revisionNumber());
                    ps.setString(4, o.title());
                    ps.setObject(5, utc(now));
                    ps.addBatch();
                }
                if (!offers.isEmpty()) {
                    ps.executeBatch();
                }
            }
        });
    }

    /** Any other call with a valid cookie: the computer was in contact. */
    public void contacted(String clientId, Instant now) {
        write(c -> {
            ensure(c, clientId, now);
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE client_computer SET last_contact = ? WHERE client_id = ?")) {
                ps.setObject(1, utc(now));
                ps.setString(2, clientId);
                ps.executeUpdate();
            }
        });
    }

    /**
     * ReportEventBatch: keeps the events and moves the status of the updates they name. Event ids of the client
     * namespace (as the real WSUS names them, inventory 9.10): 167/168 download started/queued, 161 download failed,
     * 162 download succeeded, 181 installation started, 182 installation failure, 183 installation successful,
     * 184 and 201 installed, restart required (pending), 203 installed after a restart, 204 failed after a restart;
     * 156 (client status) lists needed ({@code U=}) and installed ({@code V=}) update ids in its MiscData. An event
     * sent twice (same EventInstanceID) counts once.
     */
    public void reported(String clientId, List<ReportingEvent> events, Instant now) {
        write(c -> {
            ensure(c, clientId, now);
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE client_computer SET last_report = ?, last_contact = ? WHERE client_id = ?")) {
                ps.setObject(1, utc(now));
                ps.setObject(2, utc(now));
                ps.setString(3, clientId);
                ps.executeUpdate();
            }
            for (ReportingEvent e : events) {
                String updateId = e.update().updateId().toLowerCase(Locale.ROOT);
                boolean noUpdate = updateId.equals(ZERO_GUID);
                if (e.eventId() == 156) {
                    statusLists(c, clientId, e, now);
                    continue;
                }
                if (noUpdate) {
                    try (PreparedStatement del = c.prepareStatement("DELETE FROM client_event WHERE client_id = ?"
                            + " AND event_id = ? AND update_id = ?")) {
                        del.setString(1, clientId);
                        del.setInt(2, e.eventId());
                        del.setString(3, ZERO_GUID);
                        del.executeUpdate();
                    }
                }
                if (!insertEvent(c, clientId, e, updateId, now) || noUpdate) {
                    continue;
                }
                Status s = switch (e.eventId()) {
                    case 167, 168 -> Status.DOWNLOADING;
                    case 162 -> Status.DOWNLOADED;
                    case 181 -> Status.INSTALLING;
                    case 183, 203 -> Status.INSTALLED;
                    case 184, 201 -> Status.PENDING_RESTART;
                    case 161, 182, 204 -> Status.FAILED;
                    default -> null;
                };
                if (s != null) {
                    setStatus(c, clientId, updateId, e.update().revisionNumber(), title(e), s, e.win32HResult(), now,
                            true);
                }
            }
        });
    }

    private static final String ZERO_GUID = "00000000-0000-0000-0000-000000000000";

    private static boolean insertEvent(Connection c, String clientId, ReportingEvent e, String updateId, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO client_event (client_id, event_instance_id,"
                + " event_id, source_id, update_id, revision_number, win32_hresult, time_at_target, time_at_server,"
                + " app_name, replacement_strings, misc_data) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS"
                + " (SELECT 1 FROM client_event WHERE client_id = ? AND event_instance_id = ?)")) {
            ps.setString(1, clientId);
            ps.setString(2, e.eventInstanceId());
            ps.setInt(3, e.eventId());
            ps.setInt(4, e.sourceId());
            ps.setString(5, updateId);
            ps.setInt(6, e.update().revisionNumber());
            ps.setInt(7, e.win32HResult());
            ps.setString(8, clip(e.timeAtTarget(), 64));
            ps.setObject(9, utc(now));
            ps.setString(10, clip(e.appName(), 1024));
            ps.setString(11, String.join("\n", e.replacementStrings()));
            ps.setString(12, String.join("\n", e.miscData()));
            ps.setString(13, clientId);
            ps.setString(14, e.eventInstanceId());
            return ps.executeUpdate() == 1;
        }
    }

    // 156: U= updates needed, V= updates installed; only updates ferry offered this computer are tracked.
    private static void statusLists(Connection c, String clientId, ReportingEvent e, Instant now) throws SQLException {
        for (String misc : e.miscData()) {
            Status s = misc.startsWith("U=") ? Status.NEEDED : misc.startsWith("V=") ? Status.INSTALLED : null;
            if (s == null) {
                continue;
            }
            for (String id : misc.substring(2).split(";")) {
                String u = id.trim().toLowerCase(Locale.ROOT);
                if (!u.isEmpty()) {
                    setStatus(c, clientId, u, -1, null, s, null, now, false);
                }
            }
        }
    }

    private static void setStatus(Connection c, String clientId, String updateId, int revision, String title, Status s,
                                  Integer hresult, Instant now, boolean insert) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE client_update_status SET status = ?, win32_hresult = ?,"
                + " changed_at = ?, title = COALESCE(title, ?), revision_number = CASE WHEN ? < 0 THEN revision_number"
                + " ELSE ? END WHERE client_id = ? AND update_id = ?")) {
            ps.setString(1, s.text());
            if (hresult == null) {
                ps.setNull(2, Types.INTEGER);
            } else {
                ps.setInt(2, hresult);
            }
            ps.setObject(3, utc(now));
            ps.setString(4, title);
            ps.setInt(5, revision);
            ps.setInt(6, revision);
            ps.setString(7, clientId);
            ps.setString(8, updateId);
            if (ps.executeUpdate() > 0 || !insert) {
                return;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO client_update_status (client_id, update_id,"
                + " revision_number, title, status, win32_hresult, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, clientId);
            ps.setString(2, updateId);
            ps.setInt(3, Math.max(revision, 0));
            ps.setString(4, title);
            ps.setString(5, s.text());
            if (hresult == null) {
                ps.setNull(6, Types.INTEGER);
            } else {
                ps.setInt(6, hresult);
            }
            ps.setObject(7, utc(now));
            ps.executeUpdate();
        }
    }

    // The update's title: the last replacement string that is not a result code (182 sends the code first).
    private static String title(ReportingEvent e) {
        for (int i = e.replacementStrings().size() - 1; i >= 0; i--) {
            String s = e.replacementStrings().get(i);
            if (!s.isBlank() && !s.startsWith("0x")) {
                return clip(s, 4000);
            }
        }
        return null;
    }

    /** Every computer, by DNS name then client id, with its updates by title then update id. */
    public List<Computer> computers() {
        return read(c -> {
            Map<String, List<UpdateStatus>> updates = new LinkedHashMap<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT client_id, update_id, revision_number, title, status,"
                         + " win32_hresult, changed_at FROM client_update_status ORDER BY client_id, title, update_id")) {
                while (rs.next()) {
                    Integer hr = rs.getInt(6);
                    if (rs.wasNull()) {
                        hr = null;
                    }
                    updates.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new UpdateStatus(
                            rs.getString(2), rs.getInt(3), rs.getString(4), Status.of(rs.getString(5)), hr,
                            instant(rs, 7)));
                }
            }
            List<Computer> out = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT client_id, dns_name, target_group, os_version, os_description,"
                         + " architecture, client_version, first_contact, last_contact, registered_at, last_sync,"
                         + " last_report FROM client_computer ORDER BY LOWER(dns_name), client_id")) {
                while (rs.next()) {
                    out.add(new Computer(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), instant(rs, 8), instant(rs, 9),
                            instant(rs, 10), instant(rs, 11), instant(rs, 12),
                            updates.getOrDefault(rs.getString(1), List.of())));
                }
            }
            return out;
        });
    }

    // A cookie outlives a deleted row only if someone edited the database; the computer is then known again.
    private static void ensure(Connection c, String clientId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO client_computer (client_id, first_contact,"
                + " last_contact) SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM client_computer WHERE client_id = ?)")) {
            ps.setString(1, clientId);
            ps.setObject(2, utc(now));
            ps.setObject(3, utc(now));
            ps.setString(4, clientId);
            ps.executeUpdate();
        }
    }

    @FunctionalInterface
    private interface Work {
        void run(Connection c) throws SQLException;
    }

    @FunctionalInterface
    private interface Query<T> {
        T run(Connection c) throws SQLException;
    }

    private void write(Work work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("clients database " + file + ": " + firstLine(e), e);
        }
    }

    private <T> T read(Query<T> query) {
        try (Connection c = pool.getConnection()) {
            return query.run(c);
        } catch (SQLException e) {
            throw new StoreException("clients database " + file + ": " + firstLine(e), e);
        }
    }

    private static OffsetDateTime utc(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static void requireLoopbackListener(Path file) {
        String bind = SysProperties.BIND_ADDRESS;
        boolean loopback;
        try {
            loopback = bind != null && !bind.isEmpty() && InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            loopback = false;
        }
        if (!loopback) {
            throw new StoreException("clients database " + file + ": H2 would share it with other processes on "
                    + (bind == null || bind.isEmpty() ? "every network interface" : bind) + ", not on loopback only;"
                    + " start ferry with -D" + BIND_PROPERTY + "=127.0.0.1");
        }
    }

    @Override
    public void close() {
        pool.dispose();
    }
}
