package ferry.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.h2.tools.Restore;

/**
 * A copy of an existing catalog taken before a migration changes it, so that a migration cut off half-way (a full
 * disk, a script that fails) leaves the catalog as it was rather than half-migrated: H2 commits every DDL statement
 * at once, so Flyway cannot roll a failed migration back by itself.
 *
 * <p>The copy is H2's own {@code BACKUP TO} (a consistent copy of the open database, zipped) in
 * {@code <store>/catalog.pre-migration.zip}; it needs about the catalog's size in free space and is deleted once the
 * migrations succeed. Putting it back needs the database closed in every process: when another process still has the
 * catalog open (through H2's auto-server, e.g. an older {@code ferry serve}), the copy is kept and the message says
 * where.
 */
final class MigrationBackup {
    static final String FILE = "catalog.pre-migration.zip";

    private final Path storeDir;
    private final Path zip;

    private MigrationBackup(Path storeDir, Path zip) {
        this.storeDir = storeDir;
        this.zip = zip;
    }

    /**
     * Copies the catalog {@code c} is connected to.
     *
     * @throws StoreFullException if the file system has no room for the copy (the partial copy is removed and the
     *                            catalog is unchanged)
     * @throws StoreException     if the copy cannot be written for another reason (the catalog is unchanged)
     */
    static MigrationBackup take(Connection c, Path storeDir) {
        Path zip = storeDir.toAbsolutePath().resolve(FILE);
        try {
            Files.deleteIfExists(zip); // left by a run that was killed: the catalog it copied was not changed since
            try (Statement s = c.createStatement()) {
                s.execute("BACKUP TO '" + zip.toString().replace("'", "''") + "'");
            }
            return new MigrationBackup(storeDir, zip);
        } catch (SQLException | IOException e) {
            deleteQuietly(zip);
            if (DiskSpace.isFull(e, storeDir)) {
                throw new StoreFullException(storeDir, -1, DiskSpace.usable(storeDir),
                        "copying the catalog before migrating it; nothing was changed", e);
            }
            throw new StoreException("store " + storeDir + ": cannot copy the catalog before migrating it to " + zip
                    + " (nothing was changed): " + e.getMessage(), e);
        }
    }

    /** The migrations succeeded: the copy is no longer needed. */
    void discard() {
        deleteQuietly(zip);
    }

    /**
     * Puts the copy back in place of the catalog, once every connection of this process to it is closed.
     *
     * @return what happened, for the operator's message: the catalog put back, or where the copy was kept
     */
    String restore() {
        if (Files.exists(storeDir.resolve("catalog.lock.db"))) {
            // the database is still open in another process (its lock file is removed when the last user closes it)
            return "another process has the catalog open, so it could not be put back as it was before the migration:"
                    + " stop it and restore " + zip + " (docs/store.md, Recovery)";
        }
        try {
            Restore.execute(zip.toString(), storeDir.toAbsolutePath().toString(), "catalog");
        } catch (RuntimeException e) {
            return "putting the catalog back as it was before the migration failed (" + e.getMessage() + "): restore "
                    + zip + " (docs/store.md, Recovery)";
        }
        deleteQuietly(zip);
        return "the catalog was put back as it was before the migration";
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover copy is harmless: the next migration replaces it
        }
    }
}
