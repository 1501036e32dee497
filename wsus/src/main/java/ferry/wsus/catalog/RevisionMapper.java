package ferry.wsus.catalog;

import ferry.wsus.UpdateIdentity;
import ferry.wsus.metadata.PrerequisiteGroup;
import ferry.wsus.metadata.UpdateDocument;
import ferry.wsus.metadata.UpdateType;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Turns parsed update metadata into the catalog row the store keeps for it. */
final class RevisionMapper {
    // Column widths of the store's catalog; titles are for display, so a long one is cut rather than refused.
    private static final int MAX_TITLE = 4000;
    private static final int MAX_KB = 100;

    private RevisionMapper() {
    }

    /**
     * @param metadataSha256 the object holding {@code doc}'s text
     * @param fileSha1Hex    the files (40 hex) to link to the revision: those named by the document that the store
     *                       will hold
     */
    static RevisionRecord record(UpdateDocument doc, String metadataSha256, List<String> fileSha1Hex) {
        String title = doc.title().isEmpty() ? null
                : doc.title().length() > MAX_TITLE ? doc.title().substring(0, MAX_TITLE) : doc.title();
        String kb = doc.kbArticleId().filter(k -> k.length() <= MAX_KB).orElse(null);
        String categoryType = doc.updateType() == UpdateType.CATEGORY
                ? doc.categoryType().map(t -> t.xmlName()).orElse(null) : null;
        Set<String> prerequisites = new LinkedHashSet<>(doc.requiredPrerequisites());
        for (PrerequisiteGroup g : doc.prerequisiteGroups()) {
            prerequisites.addAll(g.updateIds());
        }
        List<UpdateIdentity> bundled = doc.bundledUpdates().stream()
                .map(b -> new UpdateIdentity(b.updateId(), b.revisionNumber())).distinct().toList();
        return new RevisionRecord(doc.identity().updateId(), doc.identity().revisionNumber(),
                doc.updateType().xmlName(), categoryType, title, kb, metadataSha256, doc.categoryIds(),
                List.copyOf(prerequisites), bundled, doc.supersededUpdates().stream().distinct().toList(),
                fileSha1Hex);
    }
}
