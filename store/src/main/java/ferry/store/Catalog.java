package ferry.store;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.h2.api.ErrorCode;
import org.h2.engine.SysProperties;
import org.h2.jdbcx.JdbcConnectionPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The H2 catalog database: opening, migrating, handing out pooled connections.
 *
 * <p>A catalog may be open in two processes at once ({@code ferry serve} and one {@code ferry import}, see
 * {@link StoreLock}), through H2's automatic mixed mode ({@code AUTO_SERVER=TRUE}): the first process to open it
 * opens the file and serves the database to the others over TCP, at the address and with the random key it writes
 * into {@code catalog.lock.db}. That listener is bound to the loopback address only ({@code h2.bindAddress}, set
 * here before H2 loads and checked at every open) and answers only a client naming the key. When the serving
 * process closes, the others' connections reopen the file themselves (one becomes the server); a read that was
 * cut off that way is run again ({@link #read}), a write transaction fails and is rolled back.
 */
final class Catalog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Catalog.class);
    /** H2's system property for the address its TCP listeners bind to. */
    static final String BIND_PROPERTY = "h2.bindAddress";
    /** The file H2 keeps beside the catalog while it is open: lock, and the TCP address and key of its server. */
    static final String LOCK_FILE = "catalog.lock.db";
    // How long a read waits for the catalog to come back when the process serving it to us went away: H2 needs
    // about two seconds to judge a killed holder's lock file stale, a few more to reopen.
    private static final Duration FAILOVER = Duration.ofSeconds(30);

    static {
        // Must happen before H2's SysProperties loads: the auto-server listener must never face the network.
        if (System.getProperty(BIND_PROPERTY) == null) {
            System.setProperty(BIND_PROPERTY, "127.0.0.1");
        }
    }

    /** The catalog format this code reads and writes ({@code store_info.format_version}). */
    static final int FORMAT_VERSION = 2;
    /** The H2 database file inside the store directory. */
    static final String FILE = "catalog.mv.db";

    /** Where the store's own migrations are; each source type has its own ({@link SourceCatalog#migrations}). */
    static final String MIGRATIONS = "classpath:ferry/store/migration";
    // The store's own tables; every other table belongs to a source type and is named <source>_*.
    private static final Set<String> OWN_TABLES = Set.of("STORE_INFO", "BUNDLE", "BUNDLE_SIGNER", "CHANNEL",
            "FLYWAY_SCHEMA_HISTORY");
    // Flyway checksums of the store's V1 and V2 as they were when they also created the WSUS tables. A store whose
    // history holds them is adopted: its WSUS tables are already there, and the WSUS migrations only record them.
    private static final int LEGACY_V1_CHECKSUM = 1656807224;

    private final String url;
    private volatile JdbcConnectionPool pool;
    // Holds the database open between calls (H2 closes an embedded database with its last connection).
    private volatile Connection keeper;
    private final List<SourceCatalog> sources;

    private Catalog(String url, JdbcConnectionPool pool, Connection keeper, List<SourceCatalog> sources) {
        this.url = url;
        this.pool = pool;
        this.keeper = keeper;
        this.sources = sources;
    }

    /**
     * Opens (and migrates) the catalog of {@code storeDir}.
     *
     * @param existing   true when the directory holds an existing store: the catalog must then be there and be a
     *                   ferry catalog; it is never created afresh
     * @param expectedId the store id of the directory's marker, or null if it has none. A catalog holding
     *                   another id is refused before anything is written to it; a catalog from before store ids
     *                   (format 1, e.g. a backup restored) takes this one.
     * @param sources    the source types whose tables the catalog holds or may hold: each is migrated; a catalog
     *                   holding tables of a source type not among them is refused, since their objects would look
     *                   unreferenced
     * @throws StoreDamagedException if {@code existing} and the catalog is missing, empty, unreadable, not a
     *                               ferry catalog or another store's
     * @throws StoreFullException    if the file system holding {@code storeDir} is full (the catalog could not be
     *                               created, opened or migrated for lack of space)
     */
    static Catalog open(Path storeDir, boolean existing, String expectedId, List<SourceCatalog> sources) {
        return open(storeDir, existing, expectedId, sources, true);
    }

    /**
     * As {@link #open(Path, boolean, String, List)}; with {@code maintain} false (the caller is not the store's writer)
     * nothing is written: no migration, no store id adopted, and a catalog that still needs a migration is refused
     * with {@link StoreLockedException} (the writer holding the store is creating or upgrading it).
     */
    static Catalog open(Path storeDir, boolean existing, String expectedId, List<SourceCatalog> sources,
                        boolean maintain) {
        Path base = storeDir.toAbsolutePath().resolve("catalog");
        if (base.toString().contains(";")) {
            throw new StoreException("store " + storeDir + ": the path must not contain ';'");
        }
        requireLoopbackListener(storeDir);
        // WRITE_DELAY=0: a commit reaches the file before commit() returns, not up to half a second later.
        // IFEXISTS=TRUE for an existing store: H2 must not quietly create an empty database in its place.
        // TRACE_LEVEL_FILE=0: errors reach the operator through ferry's messages and logs, never as a catalog.trace.db
        // file H2 would otherwise leave beside a catalog it could not read.
        // AUTO_SERVER=TRUE: shared with the other process that may have the store open (see the class comment).
        String url = "jdbc:h2:file:" + base + ";FILE_LOCK=FILE;AUTO_SERVER=TRUE;WRITE_DELAY=0;TRACE_LEVEL_FILE=0;IFEXISTS="
                + (existing ? "TRUE" : "FALSE");
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, "ferry", "");
        pool.setMaxConnections(32);
        Connection keeper = null;
        MigrationBackup backup = null;
        try {
            keeper = pool.getConnection();
            requireOwnFile(keeper, storeDir, base);
            if (existing) {
                requireFerryCatalog(keeper, storeDir);
            }
            String recorded = recordedStoreId(keeper);
            if (expectedId != null && recorded != null && !recorded.equals(expectedId)) {
                throw unusable(storeDir, "belongs to store " + recorded + ", not to this store " + expectedId, null);
            }
            if (maintain) {
                if (!upToDate(pool, Catalog.class.getClassLoader(), sources)) {
                    // H2 commits each DDL statement: only a copy can undo a migration of an existing catalog cut off
                    // half-way; it is taken only when Flyway is about to change something
                    Connection c = keeper;
                    MigrationBackup[] taken = new MigrationBackup[1];
                    try {
                        migrate(pool, storeDir, sources, () -> {
                            if (existing) {
                                taken[0] = MigrationBackup.take(c, storeDir);
                            }
                        });
                    } finally {
                        backup = taken[0];
                    }
                    if (backup != null) {
                        backup.discard();
                        backup = null;
                    }
                }
            } else {
                requireMigrated(pool, storeDir, sources);
            }
            requireKnownSources(keeper, storeDir, sources);
            if (maintain && expectedId != null && recorded == null) {
                try (PreparedStatement ps = keeper.prepareStatement("UPDATE store_info SET store_id = ?")) {
                    ps.setString(1, expectedId);
                    ps.executeUpdate();
                }
            }
            checkFormat(keeper, storeDir);
            ownerOnly(storeDir.resolve(LOCK_FILE));
            return new Catalog(url, pool, keeper, sources);
        } catch (SQLException e) {
            closeQuietly(keeper);
            pool.dispose();
            if (backup != null) {
                throw afterRestore(new StoreException("store " + storeDir + ": catalog migration failed: "
                        + firstLine(e), e), backup.restore());
            }
            if (e.getErrorCode() == ErrorCode.DATABASE_ALREADY_OPEN_1) {
                throw new StoreLockedException("store " + storeDir + ": the catalog is open in another process", e);
            }
            if (DiskSpace.isFull(e, storeDir)) {
                // H2 writes to the catalog as it opens it: on a full disk that is no sign of a damaged catalog.
                throw full(storeDir, existing ? "opening the catalog" : "creating the catalog", e);
            }
            if (existing) {
                throw unusable(storeDir, "cannot be read (" + firstLine(e) + ")", e);
            }
            throw new StoreException("store " + storeDir + ": cannot open the catalog: " + firstLine(e), e);
        } catch (RuntimeException e) {
            closeQuietly(keeper);
            pool.dispose();
            if (backup != null) {
                throw afterRestore(e, backup.restore());
            }
            throw e;
        }
    }

    // The failure of a migration whose catalog copy was put back (or kept): the same kind of failure, its message
    // saying which.
    private static RuntimeException afterRestore(RuntimeException failure, String restored) {
        if (failure instanceof StoreFullException f) {
            return new StoreFullException(f.path(), f.neededBytes(), f.freeBytes(), "migrating the catalog; " + restored,
                    f.getCause());
        }
        if (failure.getClass() == StoreException.class) {
            return new StoreException(failure.getMessage() + "; " + restored, failure.getCause());
        }
        LOG.warn("catalog migration failed: {}", restored);
        return failure;
    }

    /** A refusal to open an existing store whose catalog is unusable; says what to do. */
    static StoreDamagedException unusable(Path storeDir, String what, Throwable cause) {
        return new StoreDamagedException("store " + storeDir + ": the catalog " + storeDir.resolve(FILE) + " " + what
                + ", but the directory holds a store; refusing to start a new catalog over it. Restore the catalog"
                + " from a backup, or import the channels' bundles into a new store (docs/store.md, Recovery)", cause);
    }

    // A database without ferry's tables is not this store's catalog (an emptied or replaced file).
    private static void requireFerryCatalog(Connection c, Path storeDir) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'PUBLIC'"
                     + " AND UPPER(table_name) IN ('STORE_INFO', 'FLYWAY_SCHEMA_HISTORY')")) {
            rs.next();
            if (rs.getInt(1) != 2) {
                throw unusable(storeDir, "holds no ferry catalog", null);
            }
        }
    }

    // Null for a new catalog or one from before store ids.
    private static String recordedStoreId(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = 'PUBLIC'"
                     + " AND UPPER(table_name) = 'STORE_INFO' AND UPPER(column_name) = 'STORE_ID'")) {
            rs.next();
            if (rs.getInt(1) == 0) {
                return null;
            }
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT store_id FROM store_info")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** The store id recorded in the catalog ({@code store_info.store_id}). */
    String storeId() {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT store_id FROM store_info")) {
            if (!rs.next()) {
                throw new StoreException("catalog: store_info is empty");
            }
            return rs.getString(1);
        } catch (SQLException e) {
            throw new StoreException("catalog: cannot read the store id: " + firstLine(e), e);
        }
    }

    // beforeChanging runs once, before the first change Flyway is about to make (none when there is nothing to apply:
    // e.g. a catalog of a newer ferry, which checkFormat then refuses)
    private static void migrate(JdbcConnectionPool pool, Path storeDir, List<SourceCatalog> sources,
                                Runnable beforeChanging) throws SQLException {
        ClassLoader loader = Catalog.class.getClassLoader();
        try {
            Flyway own = Flyway.configure(loader)
                    .dataSource(pool)
                    .locations(MIGRATIONS)
                    .failOnMissingLocations(true)
                    .load();
            List<Flyway> all = new ArrayList<>(List.of(own));
            for (SourceCatalog source : sources) {
                // Baseline 0: the history table starts empty in a catalog that already has the store's tables.
                all.add(Flyway.configure(loader)
                        .dataSource(pool)
                        .locations(source.migrations())
                        .table(source.name() + "_schema_history")
                        .baselineOnMigrate(true)
                        .baselineVersion("0")
                        .failOnMissingLocations(true)
                        .load());
            }
            boolean repair = madeBeforeSourceTables(pool);
            if (repair || all.stream().anyMatch(f -> f.info().pending().length > 0)) {
                beforeChanging.run();
            }
            if (repair) {
                own.repair(); // realigns the recorded checksums of V1 and V2 with their current text
            }
            for (Flyway f : all) {
                f.migrate();
            }
        } catch (FlywayException e) {
            // H2 closes a database whose write failed, so the disk running full mid-migration reaches here as
            // whatever Flyway was doing next ("Unable to lock table"), the ENOSPC itself no longer in the causes.
            if (DiskSpace.isFull(e, storeDir)) {
                throw full(storeDir, "migrating the catalog", e);
            }
            throw new StoreException("store " + storeDir + ": catalog migration failed: " + firstLine(e), e);
        }
    }

    // Whether every history table already records every migration this build knows (AppliedMigrations): then
    // Flyway's validate would pass and its migrate do nothing, and the store opens without loading Flyway at all.
    private static boolean upToDate(JdbcConnectionPool pool, ClassLoader loader, List<SourceCatalog> sources)
            throws SQLException {
        try (Connection c = pool.getConnection()) {
            if (!AppliedMigrations.upToDate(c, loader, MIGRATIONS, "flyway_schema_history", false)) {
                return false;
            }
            for (SourceCatalog source : sources) {
                if (!AppliedMigrations.upToDate(c, loader, source.migrations(), source.name() + "_schema_history",
                        true)) {
                    return false;
                }
            }
            return true;
        }
    }

    private static StoreFullException full(Path storeDir, String what, Throwable cause) {
        return new StoreFullException(storeDir, -1, DiskSpace.usable(storeDir), what, cause);
    }

    // Through the auto-server, a catalog.lock.db copied along with a store that was open would lead to the original's
    // database, still served by its process: the database reached must be this directory's file.
    private static void requireOwnFile(Connection c, Path storeDir, Path base) throws SQLException {
        String path;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("CALL DATABASE_PATH()")) {
            rs.next();
            path = rs.getString(1);
        }
        Path ours = base.resolveSibling(FILE);
        boolean same;
        try {
            same = path != null && Files.isSameFile(Path.of(path + ".mv.db"), ours);
        } catch (IOException | RuntimeException e) {
            same = false;
        }
        if (!same) {
            throw new StoreException("store " + storeDir + ": H2 connected to the catalog " + path + ".mv.db of another"
                    + " running process, not to " + ours + " (was " + storeDir.resolve(LOCK_FILE) + " copied from an open"
                    + " store? delete it while no ferry runs on this store)");
        }
    }

    // A reader opening a catalog that an import is still creating or upgrading must not read half a schema.
    private static void requireMigrated(JdbcConnectionPool pool, Path storeDir, List<SourceCatalog> sources) {
        ClassLoader loader = Catalog.class.getClassLoader();
        try {
            if (upToDate(pool, loader, sources)) {
                return;
            }
        } catch (SQLException e) {
            throw new StoreException("store " + storeDir + ": cannot read the catalog's migrations: " + firstLine(e), e);
        }
        try {
            boolean pending = Flyway.configure(loader).dataSource(pool).locations(MIGRATIONS)
                    .load().info().pending().length > 0;
            for (SourceCatalog source : sources) {
                pending |= Flyway.configure(loader).dataSource(pool).locations(source.migrations())
                        .table(source.name() + "_schema_history").baselineOnMigrate(true).baselineVersion("0")
                        .load().info().pending().length > 0;
            }
            if (pending) {
                throw new StoreLockedException("store " + storeDir + ": its catalog is being created or upgraded by"
                        + " the import holding the store; serve it once that import is done");
            }
        } catch (FlywayException e) {
            throw new StoreException("store " + storeDir + ": cannot read the catalog's migrations: " + firstLine(e), e);
        }
    }

    // H2's auto-server listener is bound where h2.bindAddress says, read once when H2 loads.
    private static void requireLoopbackListener(Path storeDir) {
        String bind = SysProperties.BIND_ADDRESS;
        boolean loopback;
        try {
            loopback = bind != null && !bind.isEmpty() && InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            loopback = false;
        }
        if (!loopback) {
            throw new StoreException("store " + storeDir + ": H2 would share the catalog with other processes on "
                    + (bind == null || bind.isEmpty() ? "every network interface" : bind) + ", not on loopback only;"
                    + " start ferry with -D" + BIND_PROPERTY + "=127.0.0.1");
        }
    }

    // The lock file holds the key that lets a client in through the loopback listener: owner only, where the file
    // system can say so (H2 creates it with the process's umask; a store directory only its owner can enter is what
    // really keeps other local users out, see docs/store.md).
    private static void ownerOnly(Path lockFile) {
        try {
            Files.setPosixFilePermissions(lockFile, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            LOG.debug("cannot restrict {} to its owner: {}", lockFile, e.toString());
        }
    }

    private static boolean madeBeforeSourceTables(JdbcConnectionPool pool) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'PUBLIC'"
                     + " AND table_name = 'flyway_schema_history'")) {
            rs.next();
            if (rs.getInt(1) == 0) {
                return false;
            }
        }
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT \"checksum\" FROM \"flyway_schema_history\" WHERE \"version\" = '1'")) {
            return rs.next() && rs.getInt(1) == LEGACY_V1_CHECKSUM;
        }
    }

    private static void requireKnownSources(Connection c, Path storeDir, List<SourceCatalog> sources)
            throws SQLException {
        Set<String> known = new HashSet<>();
        sources.forEach(s -> known.add(s.name().toUpperCase(Locale.ROOT)));
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = 'PUBLIC'"
                     + " ORDER BY table_name")) {
            while (rs.next()) {
                String table = rs.getString(1).toUpperCase(Locale.ROOT);
                int cut = table.indexOf('_');
                if (OWN_TABLES.contains(table) || (cut > 0 && known.contains(table.substring(0, cut)))) {
                    continue;
                }
                throw new StoreException("store " + storeDir + ": the catalog holds table " + table.toLowerCase(Locale.ROOT)
                        + " of a source type this ferry was not opened with (opened with: "
                        + (sources.isEmpty() ? "none" : String.join(", ", sources.stream().map(SourceCatalog::name).toList()))
                        + "); refusing, since its objects would look unreferenced");
            }
        }
    }

    /** The source types this catalog was opened with, in that order. */
    List<SourceCatalog> sources() {
        return sources;
    }

    /** Those of {@code sha256s} that any source type's rows reference. */
    Set<String> referencedAmong(Connection c, Collection<String> sha256s) throws SQLException {
        Set<String> out = new HashSet<>();
        for (SourceCatalog source : sources) {
            out.addAll(source.referencedAmong(c, sha256s));
        }
        return out;
    }

    /**
     * Runs {@code read} on a connection that sees one committed state of the whole catalog however many statements
     * it runs: a transaction at REPEATABLE READ, which H2's MVStore serves from a snapshot. Nothing it writes is
     * kept (the transaction is rolled back).
     */
    <T> T read(CatalogRead<T> read) throws SQLException {
        long deadline = System.nanoTime() + FAILOVER.toNanos();
        for (int attempt = 1; ; attempt++) {
            JdbcConnectionPool p = pool;
            try {
                return readOnce(p, read);
            } catch (SQLException e) {
                if (!lost(e) || System.nanoTime() > deadline) {
                    throw e;
                }
                if (attempt == 1) {
                    LOG.info("catalog: the process sharing it with us went away ({}); reconnecting", firstLine(e));
                }
                renew(p);
                try {
                    Thread.sleep(Math.min(500, 50L * attempt));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * Whether {@code e} says the connection to the catalog was lost (the process serving it to this one closed or
     * died), rather than anything about the statement.
     */
    static boolean lost(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                switch (s.getErrorCode()) {
                    case ErrorCode.CONNECTION_BROKEN_1, ErrorCode.DATABASE_CALLED_AT_SHUTDOWN,
                         ErrorCode.DATABASE_IS_CLOSED, ErrorCode.OBJECT_CLOSED, ErrorCode.ERROR_OPENING_DATABASE_1,
                         ErrorCode.DATABASE_ALREADY_OPEN_1 -> {
                        return true;
                    }
                    default -> {
                    }
                }
            }
        }
        return false;
    }

    /** Whether {@code e} says the connection to the process serving the catalog broke, or that it shut down. */
    static boolean connectionBroken(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && (s.getErrorCode() == ErrorCode.CONNECTION_BROKEN_1
                    || s.getErrorCode() == ErrorCode.DATABASE_CALLED_AT_SHUTDOWN)) {
                return true;
            }
        }
        return false;
    }

    /**
     * After {@code e}: if it says the connection was lost, replaces the pool, whose connections may be broken for
     * good (a remote connection lost inside a transaction does not reconnect by itself).
     */
    void discardIfLost(SQLException e) {
        if (lost(e)) {
            renew(pool);
        }
    }

    private synchronized void renew(JdbcConnectionPool broken) {
        if (pool != broken) {
            return;
        }
        JdbcConnectionPool fresh = JdbcConnectionPool.create(url, "ferry", "");
        fresh.setMaxConnections(broken.getMaxConnections());
        pool = fresh;
        broken.dispose();
        closeQuietly(keeper);
        try {
            keeper = fresh.getConnection();
        } catch (SQLException e) {
            keeper = null; // the pool's own connections hold the database open meanwhile
        }
    }

    private static <T> T readOnce(JdbcConnectionPool pool, CatalogRead<T> read) throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                return read.read(c);
            } finally {
                // The pool hands this connection out again: leave it as every other user expects it.
                c.rollback();
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                c.setAutoCommit(true);
            }
        }
    }

    private static void checkFormat(Connection c, Path storeDir) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT format_version FROM store_info")) {
            if (!rs.next()) {
                throw new StoreException("store " + storeDir + ": the catalog has no format version");
            }
            int version = rs.getInt(1);
            if (version != FORMAT_VERSION) {
                throw new StoreException("store " + storeDir + ": catalog format " + version
                        + " is not the format this ferry reads (" + FORMAT_VERSION + ")");
            }
        }
    }

    Connection connection() {
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            throw new StoreException("catalog: no connection: " + firstLine(e), e);
        }
    }

    @Override
    public void close() {
        pool.dispose();
        closeQuietly(keeper);
    }

    /** The number of bundles imported, from a fresh read: a cheap way to notice another process's commit. */
    long imports() throws SQLException {
        return read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM bundle")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    long changes() throws SQLException {
        return read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT (SELECT COUNT(*) FROM bundle) + catalog_changes FROM store_info")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // Nothing more to release.
            }
        }
    }
}
