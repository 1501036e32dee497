package ferry.wsus.server;

import ferry.wsus.UpdateIdentity;
import ferry.wsus.catalog.DeploymentChanges;
import ferry.wsus.catalog.TargetGroup;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What an MS-WSUSSS upstream server serves: the update revisions it holds, their metadata documents and
 * the files each names. Implemented by the importer's store and by the sample upstream; read by
 * {@link ServerSyncHandler} to answer downstream servers. Implementations must be thread-safe.
 */
public interface UpdateCatalog {

    /**
     * The catalog's current anchor: an opaque, non-empty string that changes whenever revisions are added.
     * Handed out as {@code NewConfigAnchor}/{@code Anchor} (MS-WSUSSS 3.1.4.4, 3.1.4.5) and given back by
     * the downstream server in later GetRevisionIdList requests.
     */
    String anchor();

    /**
     * Revisions for a GetRevisionIdList request (MS-WSUSSS 3.1.4.5).
     *
     * @param getConfig          true: categories (Company, ProductFamily, Product, UpdateClassification) and
     *                           detectoids; false: software and driver updates selected by the filter
     * @param productIds         product category GUIDs (lower case); empty = all products
     * @param classificationIds  classification GUIDs (lower case); empty = all classifications
     * @param sinceAnchor        an anchor earlier returned by {@link #anchor()}, an anchor in the real form
     *                           ({@code <counter>,<yyyy-MM-dd HH:mm:ss.fff>}, UTF) from another server, or null for
     *                           everything
     * @return the matching revisions, each update at its latest revision, sorted
     * @throws InvalidAnchorException if {@code sinceAnchor} cannot be read as an anchor
     */
    List<UpdateIdentity> revisions(boolean getConfig, Set<String> productIds, Set<String> classificationIds,
                                   String sinceAnchor) throws InvalidAnchorException;

    /**
     * Every revision a GetRevisionIdList for software and drivers without product or classification filter lists:
     * the latest revision of every software and driver update changed since the anchor, and the revisions those
     * bundle (transitively), each once, in no particular order, handed to {@code sink} one at a time. A catalog
     * backed by a database hands them over as it reads them, never holding the whole list; this default collects
     * them first.
     *
     * @param sinceAnchor as in {@link #revisions}
     * @throws InvalidAnchorException if {@code sinceAnchor} cannot be read as an anchor (before {@code sink} is called)
     */
    default void forEachUnfilteredRevision(String sinceAnchor, java.util.function.Consumer<UpdateIdentity> sink)
            throws InvalidAnchorException {
        Set<UpdateIdentity> all = new java.util.TreeSet<>(revisions(false, Set.of(), Set.of(), sinceAnchor));
        withBundled(this, all);
        all.forEach(sink);
    }

    /**
     * Checks that {@link #revisions} would accept {@code sinceAnchor} (null: none). The default lists the revisions
     * of a category no catalog holds.
     *
     * @throws InvalidAnchorException if it cannot be read as an anchor
     */
    default void checkAnchor(String sinceAnchor) throws InvalidAnchorException {
        revisions(true, Set.of("00000000-0000-0000-0000-000000000000"), Set.of(), sinceAnchor);
    }

    /**
     * Adds to {@code revisions} the bundled updates of every one of them, transitively, level by level (each level
     * asked for at once).
     */
    static void withBundled(UpdateCatalog catalog, Set<UpdateIdentity> revisions) {
        List<UpdateIdentity> level = new ArrayList<>(revisions);
        while (!level.isEmpty()) {
            List<UpdateIdentity> next = new ArrayList<>();
            for (UpdateIdentity child : catalog.bundledUpdates(level)) {
                if (revisions.add(child)) {
                    next.add(child);
                }
            }
            level = next;
        }
    }

    /**
     * Reads ahead what listings need, so that the first request after start does not pay for it; called once, on a
     * background thread, when a server starts. The default does nothing.
     */
    default void prepare() {
    }

    /** The update metadata document (XML text, namespace {@code http://schemas.microsoft.com/msus/2002/12/Update}). */
    Optional<String> metadata(UpdateIdentity id);

    /**
     * The updates a revision bundles ({@code Relationships/BundledUpdates} of its metadata), each at the revision
     * the metadata names, and only those this catalog holds; empty for a revision that bundles nothing or that
     * this catalog does not hold. The server lists these with their bundle in GetRevisionIdList answers.
     */
    List<UpdateIdentity> bundledUpdates(UpdateIdentity id);

    /**
     * {@link #bundledUpdates(UpdateIdentity)} of many revisions at once: the union, each once, in no particular
     * order. A catalog backed by a database answers this in a few queries rather than one per revision.
     */
    default List<UpdateIdentity> bundledUpdates(Collection<UpdateIdentity> ids) {
        Set<UpdateIdentity> out = new LinkedHashSet<>();
        for (UpdateIdentity id : ids) {
            out.addAll(bundledUpdates(id));
        }
        return new ArrayList<>(out);
    }

    /**
     * What GetUpdateData sends for each revision: {@link #metadata} and {@link #files(UpdateIdentity, String)}, one
     * element per id in order, empty for a revision this catalog does not hold. A catalog backed by a database reads
     * all of them in one consistent state and a few queries.
     */
    default List<Optional<UpdateContent>> updateContent(List<UpdateIdentity> ids) {
        List<Optional<UpdateContent>> out = new ArrayList<>(ids.size());
        for (UpdateIdentity id : ids) {
            out.add(metadata(id).map(xml -> new UpdateContent(xml, files(id, xml))));
        }
        return out;
    }

    /**
     * One revision as GetUpdateData serves it.
     *
     * @param metadata the update metadata document; null only when {@code cabinet} is given (read it with
     *                 {@link #metadata} if needed)
     * @param files    every file it names, as {@link #files(UpdateIdentity)}
     * @param cabinet  its {@code XmlUpdateBlobCompressed} cabinet as made at import, when it travels compressed
     *                 by default (ferry.wsus.catalog.ServedDocument); null when not made (the server makes it)
     */
    record UpdateContent(String metadata, List<CatalogFile> files, byte[] cabinet) {
        /** Content whose cabinet, if any, the server makes. */
        public UpdateContent(String metadata, List<CatalogFile> files) {
            this(metadata, files, null);
        }
    }

    /**
     * Every update file named by a revision's metadata, held here or not, for {@code FileDigestList} and
     * {@code fileUrls}; empty for a revision that names none or that this catalog does not hold.
     */
    List<CatalogFile> files(UpdateIdentity id);

    /**
     * As {@link #files(UpdateIdentity)} for a revision whose metadata the caller has just read with
     * {@link #metadata(UpdateIdentity)}, so that a catalog deriving files from the metadata need not read it again.
     */
    default List<CatalogFile> files(UpdateIdentity id, String metadata) {
        return files(id);
    }

    /**
     * How much of the content its metadata names this catalog can serve under {@code /Content/}; decides what
     * GetConfigData says (CatalogOnlySync, LazySync), so that a downstream server is never invited to download
     * files this server cannot serve. The default, {@link ContentCoverage#ALL}, suits catalogs that hold every file.
     */
    default ContentCoverage contentCoverage() {
        return ContentCoverage.ALL;
    }

    /**
     * What GetDeployments (3.1.4.10) answers a replica that last saw deployment counter {@code since}: the computer
     * groups, the approvals made and removed since, the declined updates. The default, for catalogs without
     * approvals, is the two built-in groups and nothing else.
     */
    default DeploymentChanges deploymentChanges(long since) {
        return new DeploymentChanges(0, List.of(
                new TargetGroup(TargetGroup.ALL_COMPUTERS, TargetGroup.ALL_COMPUTERS_NAME, null, true),
                new TargetGroup(TargetGroup.UNASSIGNED_COMPUTERS, TargetGroup.UNASSIGNED_COMPUTERS_NAME,
                        TargetGroup.ALL_COMPUTERS, true)), List.of(), List.of(), List.of());
    }

    /** What {@link #contentCoverage()} reports. */
    enum ContentCoverage {
        /** Every file the metadata names is held and served. */
        ALL,
        /** Some files are held, others may not be (a store fed by metadata-only or partial exports). */
        SOME,
        /** No file is held: a metadata-only catalog. */
        NONE
    }

    /**
     * One update file.
     *
     * @param sha1Base64 the file's SHA-1 digest, base64 (the {@code @Digest} of the metadata's File element)
     * @param fileName   the original file name, used for its extension in {@code /Content/XX/SHA1.ext}
     * @param size       size in bytes
     * @param muUrl      where the upstream of this catalog got it (may be empty); advertised as {@code MUUrl}
     * @param held       true when this server holds the file and serves it under {@code /Content/}
     */
    record CatalogFile(String sha1Base64, String fileName, long size, String muUrl, boolean held) {
        /** A file this server holds. */
        public CatalogFile(String sha1Base64, String fileName, long size, String muUrl) {
            this(sha1Base64, fileName, size, muUrl, true);
        }
    }

    /** Raised when a downstream server sends an anchor that cannot be read (fault InvalidParameters). */
    final class InvalidAnchorException extends Exception {
        private static final long serialVersionUID = 1L;

        public InvalidAnchorException(String message) {
            super(message);
        }
    }
}
