package ferry.wsus.server;

import ferry.wsus.UpdateIdentity;

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
     * @param sinceAnchor        an anchor earlier returned by {@link #anchor()}, or null for everything
     * @return the matching revisions, each update at its latest revision, sorted
     * @throws InvalidAnchorException if {@code sinceAnchor} was not issued by this catalog
     */
    List<UpdateIdentity> revisions(boolean getConfig, Set<String> productIds, Set<String> classificationIds,
                                   String sinceAnchor) throws InvalidAnchorException;

    /** The update metadata document (XML text, namespace {@code http://schemas.microsoft.com/msus/2002/12/Update}). */
    Optional<String> metadata(UpdateIdentity id);

    /**
     * The updates a revision bundles ({@code Relationships/BundledUpdates} of its metadata), each at the revision
     * the metadata names, and only those this catalog holds; empty for a revision that bundles nothing or that
     * this catalog does not hold. The server lists these with their bundle in GetRevisionIdList answers.
     */
    List<UpdateIdentity> bundledUpdates(UpdateIdentity id);

    /** The update files named by a revision's metadata, for {@code FileDigestList} and {@code fileUrls}. */
    List<CatalogFile> files(UpdateIdentity id);

    /**
     * One update file.
     *
     * @param sha1Base64 the file's SHA-1 digest, base64 (the {@code @Digest} of the metadata's File element)
     * @param fileName   the original file name, used for its extension in {@code /Content/XX/SHA1.ext}
     * @param size       size in bytes
     * @param muUrl      where the upstream of this catalog got it (may be empty); advertised as {@code MUUrl}
     */
    record CatalogFile(String sha1Base64, String fileName, long size, String muUrl) {
    }

    /** Raised when a downstream server sends an anchor this catalog did not issue (fault InvalidParameters). */
    final class InvalidAnchorException extends Exception {
        private static final long serialVersionUID = 1L;

        public InvalidAnchorException(String message) {
            super(message);
        }
    }
}
