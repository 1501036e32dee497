package ferry.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/**
 * A source type's part of one import: the rows it adds to its own tables for one bundle. The store runs
 * {@link #write} inside its import transaction after the channel policy accepted the bundle and the bundle's row
 * exists, so the rows, the bundle and the channel's new position commit together or not at all.
 *
 * <p>Implementations check and normalize everything before {@link #write} (a malformed record is a
 * {@link StoreException} thrown by their constructor or factory) and throw {@link StoreException} from
 * {@link #write} when the rows contradict what is stored; the store then rolls the whole import back.
 *
 * @param <R> what the write reports
 */
public interface CatalogWrite<R extends CatalogWrite.Result> {
    /** The {@link SourceCatalog#name()} of the source type whose tables this writes; it must be open in the store. */
    String source();

    /**
     * Every object (SHA-256, 64 lower-case hex digits) the rows will reference. The store refuses the import unless
     * each is in the store, and never deletes them once it commits.
     */
    Set<String> referencedObjects();

    /**
     * Adds the rows of bundle {@code bundleId}, whose {@code bundle} row exists in this transaction.
     *
     * @throws SQLException   on a database error
     * @throws StoreException when the rows contradict what is stored; the import is rolled back
     */
    R write(Connection c, String bundleId) throws SQLException;

    /** The figures the store records with the bundle ({@code bundle.revision_count} etc., {@link BundleInfo}). */
    interface Result {
        /** Records (e.g. update revisions) the bundle carried. */
        int records();

        /** Of those, records the store did not have before. */
        int newRecords();

        /** Files the bundle carried. */
        int files();

        /** Of those, files the store did not have before. */
        int newFiles();

        /**
         * What the import did beyond records and files, one line each, for the import's own message and its audit
         * record (e.g. an approval set the bundle carried was applied); empty by default.
         */
        default java.util.List<String> summary() {
            return java.util.List.of();
        }

        /** What an operator should know about the import, one line each (e.g. files the bundle left out). */
        default java.util.List<String> notes() {
            return java.util.List.of();
        }
    }
}
