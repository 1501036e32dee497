package ferry.importer;

import ferry.format.Entry;
import ferry.format.Manifest;
import ferry.store.SourceCatalog;
import ferry.store.SourceImport;
import ferry.wsus.catalog.WsusImport;
import ferry.apt.catalog.AptImport;

import java.util.List;

/** The source types this importer knows, and which one a bundle's entries belong to. */
final class SourceTypes {
    /** The import halves of the source types, one line each. */
    static final List<SourceImport> ALL = List.of(WsusImport.INSTANCE, AptImport.INSTANCE);

    private SourceTypes() {
    }

    /** The catalog tables of {@code sources}: a store is opened with all of them. */
    static List<SourceCatalog> catalogs(List<SourceImport> sources) {
        return sources.stream().map(SourceImport::catalog).toList();
    }

    /**
     * The source type whose entries {@code manifest} carries. A bundle holds one source type's entries (a channel is
     * of one source type); an entry of a kind no source type claims is refused rather than silently dropped, so an
     * operator never believes something was imported that was not.
     *
     * @throws BundleInvalidException naming the first entry of an unknown kind, or two entries of different types
     */
    static SourceImport of(Manifest manifest, List<SourceImport> sources) throws BundleInvalidException {
        SourceImport found = null;
        Entry first = null;
        for (Entry e : manifest.entries()) {
            String kind = e.source().get("kind");
            SourceImport s = sources.stream().filter(x -> kind != null && x.kinds().contains(kind)).findFirst()
                    .orElseThrow(() -> new BundleInvalidException("entry " + e.path() + ": " + (kind == null
                            ? "has no source kind" : "has source kind \"" + kind + "\", which this importer does not know")));
            if (found == null) {
                found = s;
                first = e;
            } else if (found != s) {
                throw new BundleInvalidException("entry " + e.path() + ": is a " + s.catalog().name() + " entry, but entry "
                        + first.path() + " is a " + found.catalog().name() + " entry; a bundle carries one source type");
            }
        }
        // A bundle without entries changes only its channel's position; any source type records that.
        return found != null ? found : sources.get(0);
    }
}
