package ferry.exporter.wsus;

import ferry.wsus.UpdateIdentity;
import ferry.wsus.metadata.CategoryType;
import ferry.wsus.metadata.PrerequisiteGroup;
import ferry.wsus.metadata.UpdateDocument;
import ferry.wsus.metadata.UpdateFile;
import ferry.wsus.metadata.UpdateType;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the export keeps of one received revision: the parsed facts closure, selection and file download need,
 * while the document text itself waits on disk in the spool (a first export of a real selection holds tens of
 * thousands of documents; keeping their text in memory would not scale).
 *
 * @param identity        the revision
 * @param type            Software, Driver, Category or Detectoid
 * @param categoryType    for categories, else null
 * @param title           English title (or the first one)
 * @param prerequisiteIds every update GUID named under {@code Prerequisites}: bare ones, AtLeastOne members,
 *                        category groups (categories and their parents), in document order, distinct
 * @param bundled         {@code BundledUpdates} members with their revisions
 * @param files           {@code Files/File} entries
 * @param fileUrls        per file SHA-1 (base64), the URL the upstream gave (UssUrl, else MUUrl); absent when none
 * @param spooled         the document text as UTF-8, exactly as decoded
 * @param xmlBytes        size of {@code spooled}
 */
record FetchedUpdate(UpdateIdentity identity, UpdateType type, CategoryType categoryType, String title,
                     List<String> prerequisiteIds, List<UpdateIdentity> bundled, List<UpdateFile> files,
                     Map<String, URI> fileUrls, Path spooled, long xmlBytes) {

    static FetchedUpdate of(UpdateDocument doc, Map<String, URI> fileUrls, Path spooled, long xmlBytes) {
        Set<String> prereqs = new LinkedHashSet<>(doc.requiredPrerequisites());
        for (PrerequisiteGroup g : doc.prerequisiteGroups()) {
            prereqs.addAll(g.updateIds());
        }
        return new FetchedUpdate(doc.identity(), doc.updateType(), doc.categoryType().orElse(null), doc.title(),
                List.copyOf(prereqs), doc.bundledUpdates(), doc.files(), Map.copyOf(fileUrls), spooled, xmlBytes);
    }
}
