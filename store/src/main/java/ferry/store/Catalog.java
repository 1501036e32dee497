package ferry.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.h2.api.ErrorCode;
import org.h2.jdbcx.JdbcConnectionPool;

/** The H2 catalog database: opening, migrating, handing out pooled connections. */
final class Catalog implements AutoCloseable {
    /** The catalog format this code reads and writes ({@code store_info.format_version}). */
    static final int FORMAT_VERSION = 1;

    private final JdbcConnectionPool pool;
    // Holds the database open between calls (H2 closes an embedded database with its last connection).
    private final Connection keeper;

    private Catalog(JdbcConnectionPool pool, Connection keeper) {
        this.pool = pool;
        this.keeper = keeper;
    }

    static Catalog open(Path storeDir) {
        Path base = storeDir.toAbsolutePath().resolve("catalog");
        if (base.toString().contains(";")) {
            throw new StoreException("store " + storeDir + ": the path must not contain ';'");
        }
        // WRITE_DELAY=0: a commit reaches the file before commit() returns, not up to half a second later.
        String url = "jdbc:h2:file:" + base + ";FILE_LOCK=FILE;WRITE_DELAY=0;IFEXISTS=FALSE";
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, "ferry", "");
        pool.setMaxConnections(32);
        Connection keeper = null;
        try {
            keeper = pool.getConnection();
            migrate(pool, storeDir);
            checkFormat(keeper, storeDir);
            return new Catalog(pool, keeper);
        } catch (SQLException e) {
            closeQuietly(keeper);
            pool.dispose();
            if (e.getErrorCode() == ErrorCode.DATABASE_ALREADY_OPEN_1) {
                throw new StoreLockedException("store " + storeDir + ": the catalog is open in another process", e);
            }
            throw new StoreException("store " + storeDir + ": cannot open the catalog: " + firstLine(e), e);
        } catch (RuntimeException e) {
            closeQuietly(keeper);
            pool.dispose();
            throw e;
        }
    }

    private static void migrate(JdbcConnectionPool pool, Path storeDir) {
        try {
            Flyway.configure(Catalog.class.getClassLoader())
                    .dataSource(pool)
                    .locations("classpath:db/migration")
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new StoreException("store " + storeDir + ": catalog migration failed: " + firstLine(e), e);
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
