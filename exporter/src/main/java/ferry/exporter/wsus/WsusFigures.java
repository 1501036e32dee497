package ferry.exporter.wsus;

import ferry.exporter.ExportFigures;
import ferry.exporter.FileCounts;

import java.util.List;
import java.util.Map;

/**
 * What a WSUS export found: the {@code ExportResult}'s figures when its source is {@code wsus}. In
 * {@code ferry export --json} these properties appear at the top level.
 *
 * @param upstream             the upstream base URL
 * @param upstreamAnchor       the anchor of the upstream's last GetRevisionIdList (MS-WSUSSS 3.1.4.5); the next
 *                             run lists only what changed since it
 * @param products             the resolved products
 * @param classifications      the resolved classifications (empty = all)
 * @param languages            the language codes selected (empty = all)
 * @param mode                 {@code metadata} or {@code metadata+files}
 * @param revisions            revision counts
 * @param files                file counts
 * @param unresolvedReferences references that could not be followed (also in the manifest's selection)
 * @param metadata             what was listed and fetched to get there
 */
public record WsusFigures(String upstream, String upstreamAnchor, List<CategoryRef> products,
                          List<CategoryRef> classifications, List<String> languages, String mode,
                          RevisionCounts revisions, FileCounts files, List<UnresolvedReference> unresolvedReferences,
                          MetadataCounts metadata)
        implements ExportFigures {

    public WsusFigures {
        products = List.copyOf(products);
        classifications = List.copyOf(classifications);
        languages = List.copyOf(languages);
        unresolvedReferences = List.copyOf(unresolvedReferences);
    }

    /**
     * @param listed      revisions the upstream listed for the selection (GetRevisionIdList, GetConfig=false)
     * @param total       revisions in this run's closure: listed ones not exported before (all of them for a full
     *                    export) plus their prerequisites, categories and bundled updates
     * @param added       revisions whose metadata this bundle carries (not exported before on this channel)
     * @param addedByType {@code added} per update type: Software, Driver, Category, Detectoid
     */
    public record RevisionCounts(int listed, int total, int added, Map<String, Integer> addedByType) {
        public RevisionCounts {
            addedByType = Map.copyOf(addedByType);
        }
    }

    /**
     * How the metadata was had: a nightly run against a large upstream should list and fetch little.
     *
     * @param incremental       the selection was listed with the anchor of the channel's last bundle (only what
     *                          changed since), not as a whole
     * @param categoriesListed  GetConfig=true revisions the upstream listed (all of them, or those new since the
     *                          held set's anchor)
     * @param categoriesHeld    category and detectoid documents taken from the ones kept since earlier runs
     * @param categoriesFetched category and detectoid documents fetched with GetUpdateData
     * @param updatesFetched    other documents fetched with GetUpdateData (the selection's new revisions and
     *                          what they need)
     */
    public record MetadataCounts(boolean incremental, int categoriesListed, int categoriesHeld, int categoriesFetched,
                                 int updatesFetched) {
    }
}
