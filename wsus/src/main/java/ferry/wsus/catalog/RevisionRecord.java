package ferry.wsus.catalog;

import ferry.wsus.UpdateIdentity;
import java.util.List;
import java.util.Objects;

/**
 * One revision of one update, as imported (and as returned by {@link WsusCatalog#revision}).
 *
 * @param updateId         the update id (GUID)
 * @param revisionNumber   the revision number
 * @param updateType       {@code Software}, {@code Driver}, {@code Category} or {@code Detectoid}
 * @param categoryType     for a category: {@code Company}, {@code ProductFamily}, {@code Product} or
 *                         {@code UpdateClassification}; otherwise {@code null}
 * @param title            the title, or {@code null}
 * @param kbArticle        the KB article number, or {@code null}
 * @param metadataSha256   SHA-256 of the object holding the update metadata XML (UTF-8)
 * @param categoryIds      ids of the categories this revision belongs to ({@code IsCategory} prerequisites:
 *                         products and classifications)
 * @param prerequisiteIds  ids of all updates named in its prerequisites (groups flattened)
 * @param bundledUpdates   the revisions it bundles
 * @param supersededIds    ids of the updates it supersedes
 * @param fileSha1Hex      SHA-1 (hex) of its files; each must be a {@link FileRecord} of the same import or
 *                         already in the store
 */
public record RevisionRecord(
        String updateId,
        int revisionNumber,
        String updateType,
        String categoryType,
        String title,
        String kbArticle,
        String metadataSha256,
        List<String> categoryIds,
        List<String> prerequisiteIds,
        List<UpdateIdentity> bundledUpdates,
        List<String> supersededIds,
        List<String> fileSha1Hex) {

    public RevisionRecord {
        Objects.requireNonNull(updateId, "updateId");
        Objects.requireNonNull(updateType, "updateType");
        Objects.requireNonNull(metadataSha256, "metadataSha256");
        categoryIds = categoryIds == null ? List.of() : List.copyOf(categoryIds);
        prerequisiteIds = prerequisiteIds == null ? List.of() : List.copyOf(prerequisiteIds);
        bundledUpdates = bundledUpdates == null ? List.of() : List.copyOf(bundledUpdates);
        supersededIds = supersededIds == null ? List.of() : List.copyOf(supersededIds);
        fileSha1Hex = fileSha1Hex == null ? List.of() : List.copyOf(fileSha1Hex);
    }

    /** @throws IllegalArgumentException if the update id is not a GUID or the revision number negative */
    public UpdateIdentity identity() {
        return new UpdateIdentity(updateId, revisionNumber);
    }
}
