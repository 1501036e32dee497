package ferry.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a source type (WSUS, APT) adds to the store's catalog: its own tables and migrations, and the answers the
 * store needs about them to keep objects safe. The store owns bundles, channels, signers and objects; everything a
 * source type records about its entries lives in tables named {@code <name>_*} that only it reads and writes,
 * created by its own Flyway migrations (history table {@code <name>_schema_history}), and filled inside the
 * store's import transaction through a {@link CatalogWrite}.
 *
 * <p>The store deletes an object only when no source catalog references it, so {@link #referencedAmong} must
 * never leave out a reference. A store is only ever opened with every source type that has tables in it
 * ({@link Store#open} refuses otherwise), so an unknown source's objects are never collected.
 *
 * <p>Implementations are stateless and thread-safe; every method runs on a connection the store hands in.
 */
public interface SourceCatalog {
    /** The shape of {@link #name()}: lower-case letters and digits, starting with a letter. */
    Pattern NAME = Pattern.compile("[a-z][a-z0-9]{1,15}");

    /** The source type's name, e.g. {@code wsus}: the prefix of its tables and of its Flyway history table. */
    String name();

    /** The Flyway location of its migrations, e.g. {@code classpath:ferry/wsus/catalog/migration}. */
    String migrations();

    /**
     * Those of {@code sha256s} (64 lower-case hex digits each) that a row of this source's tables references.
     *
     * @throws SQLException on a database error; the store then deletes nothing
     */
    Set<String> referencedAmong(Connection c, Collection<String> sha256s) throws SQLException;

    /**
     * Every object this source's tables reference, for {@link Store#check}: each with a description an operator
     * understands ("update file X.cab (SHA-1 ...)") and, where the catalog records it, its size in bytes.
     */
    void references(Connection c, ReferenceSink sink) throws SQLException;

    /** Sizes of this source's catalog for a status page, in the order they are shown, e.g. "updates", 42. */
    List<Count> counts(Connection c) throws SQLException;

    /** Receives one referenced object. */
    @FunctionalInterface
    interface ReferenceSink {
        /** @param sizeBytes the size the catalog records, or null if it records none */
        void accept(String sha256, String what, Long sizeBytes);
    }

    /** One figure of a status page: a lower-case name and its value (a count, or bytes where the name says so). */
    record Count(String name, long value) {
    }
}
