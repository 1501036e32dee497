package ferry.wsus.metadata;

import ferry.wsus.UpdateIdentity;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One update metadata document (namespace {@code http://schemas.microsoft.com/msus/2002/12/Update}), as sent in
 * GetUpdateData (MS-WSUSSS 3.1.4.6) and described in MS-WSUSSS 3.1.1.1. Immutable; {@link #xml()} is the exact
 * text that was parsed. GUIDs are lower case.
 */
public final class UpdateDocument {

    /** Longest document accepted, in UTF-16 chars (real documents are well under 1 MiB). */
    public static final int MAX_CHARS = 16 << 20;

    private final String xml;
    private final UpdateIdentity identity;
    private final UpdateType updateType;
    private final CategoryType categoryType;
    private final String title;
    private final String kbArticleId;
    private final String msrcNumber;
    private final String msrcSeverity;
    private final List<String> requiredPrerequisites;
    private final List<PrerequisiteGroup> prerequisiteGroups;
    private final List<UpdateIdentity> bundledUpdates;
    private final List<String> supersededUpdates;
    private final List<UpdateFile> files;

    UpdateDocument(String xml, UpdateIdentity identity, UpdateType updateType, CategoryType categoryType, String title,
                   String kbArticleId, String msrcNumber, String msrcSeverity, List<String> requiredPrerequisites,
                   List<PrerequisiteGroup> prerequisiteGroups, List<UpdateIdentity> bundledUpdates,
                   List<String> supersededUpdates, List<UpdateFile> files) {
        this.xml = Objects.requireNonNull(xml);
        this.identity = Objects.requireNonNull(identity);
        this.updateType = Objects.requireNonNull(updateType);
        this.categoryType = categoryType;
        this.title = title;
        this.kbArticleId = kbArticleId;
        this.msrcNumber = msrcNumber;
        this.msrcSeverity = msrcSeverity;
        this.requiredPrerequisites = List.copyOf(requiredPrerequisites);
        this.prerequisiteGroups = List.copyOf(prerequisiteGroups);
        this.bundledUpdates = List.copyOf(bundledUpdates);
        this.supersededUpdates = List.copyOf(supersededUpdates);
        this.files = List.copyOf(files);
    }

    /**
     * Parses a metadata document with the hardened reader (no DTD, no entities, bounded depth and sizes).
     *
     * @param xml the document text, at most {@link #MAX_CHARS} chars
     * @throws MetadataException naming the update (when known) and the field at fault
     */
    public static UpdateDocument parse(String xml) throws MetadataException {
        return new UpdateDocumentParser(xml).parse();
    }

    /** The original text, unchanged. */
    public String xml() {
        return xml;
    }

    /** {@code UpdateIdentity} (update GUID lower case, revision). */
    public UpdateIdentity identity() {
        return identity;
    }

    /** {@code Properties/@UpdateType}. */
    public UpdateType updateType() {
        return updateType;
    }

    /** For categories: Company, ProductFamily, Product or UpdateClassification; empty for other updates. */
    public Optional<CategoryType> categoryType() {
        return Optional.ofNullable(categoryType);
    }

    /**
     * The first {@code LocalizedProperties/Title} whose {@code Language} is {@code en}, else the first title
     * of all; empty string when the document has none.
     */
    public String title() {
        return title == null ? "" : title;
    }

    /** {@code Properties/KBArticleID} (digits, without "KB"), if present. */
    public Optional<String> kbArticleId() {
        return Optional.ofNullable(kbArticleId);
    }

    /** {@code Properties/SecurityBulletinID} (e.g. {@code MS08-067}), if present. */
    public Optional<String> msrcNumber() {
        return Optional.ofNullable(msrcNumber);
    }

    /** {@code Properties/@MsrcSeverity} (e.g. {@code Critical}), if present. */
    public Optional<String> msrcSeverity() {
        return Optional.ofNullable(msrcSeverity);
    }

    /** Bare {@code Prerequisites/UpdateIdentity} references: all are required (AND). */
    public List<String> requiredPrerequisites() {
        return requiredPrerequisites;
    }

    /** {@code Prerequisites/AtLeastOne} groups (OR within a group, AND between groups), in document order. */
    public List<PrerequisiteGroup> prerequisiteGroups() {
        return prerequisiteGroups;
    }

    /** The products and classifications this update belongs to: ids of all {@code IsCategory="true"} groups. */
    public List<String> categoryIds() {
        return prerequisiteGroups.stream().filter(PrerequisiteGroup::isCategory)
                .flatMap(g -> g.updateIds().stream()).distinct().toList();
    }

    /** {@code BundledUpdates} members, each with its revision. */
    public List<UpdateIdentity> bundledUpdates() {
        return bundledUpdates;
    }

    /** {@code SupersededUpdates} update GUIDs. */
    public List<String> supersededUpdates() {
        return supersededUpdates;
    }

    /** {@code Files/File} entries, in document order. */
    public List<UpdateFile> files() {
        return files;
    }

    @Override
    public String toString() {
        return "UpdateDocument[" + identity + " " + updateType.xmlName() + " \"" + title() + "\"]";
    }
}
