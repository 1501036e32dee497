package ferry.store;

import ferry.format.Entry;
import java.util.List;
import java.util.Set;

/**
 * The import half of a source type: how its bundle entries become rows of its catalog tables. The importer sorts
 * a verified manifest's entries by their source kind ({@code source.kind}), hands each source type its own, and
 * refuses a bundle carrying a kind no source type claims.
 *
 * <p>Two steps, around the copy: {@link #plan} checks the entries' paths and source identifiers before anything
 * is copied; after every object is in the store, {@link Plan#rows} reads what it needs of them (e.g. update
 * metadata) and returns the rows the store commits with the bundle.
 */
public interface SourceImport {
    /** The catalog tables this source type writes. */
    SourceCatalog catalog();

    /** The entry kinds ({@code source.kind} of a manifest entry) this source type imports, e.g. {@code wsus-content}. */
    Set<String> kinds();

    /**
     * Checks this source type's entries of a verified manifest, before anything is copied.
     *
     * @param entries the manifest's entries whose kind is one of {@link #kinds()}, in manifest order
     * @throws BundleEntryException naming the first entry that is not usable
     */
    Plan plan(List<Entry> entries) throws BundleEntryException;

    /** A checked set of entries, waiting for their objects. */
    interface Plan {
        /**
         * The rows for the bundle, once every entry's object is in {@code store} (not yet committed).
         *
         * @param bundleId the bundle's id, for messages and rows
         * @throws BundleEntryException naming the entry whose content is unusable (e.g. metadata that does not parse)
         * @throws StoreException       if the store cannot be read
         */
        CatalogWrite<?> rows(String bundleId, Store store) throws BundleEntryException;
    }
}
