package ferry.exporter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.util.List;
import java.util.Map;

/**
 * What an export run did; serializes to JSON with a plain Jackson {@code ObjectMapper} ({@link #toJson()}).
 * Times are UTC ISO-8601 strings, sizes in bytes.
 *
 * @param bundleWritten        false when nothing changed since the last bundle (then no bundle, state untouched)
 * @param bundleDir            absolute path of the bundle written, or null
 * @param bundleId             the new bundle's UUID, or null
 * @param channel              the channel
 * @param sequence             the bundle's sequence number, or null when none was written
 * @param baseSequence         the sequence it builds on; null for a full bundle or when none was written
 * @param upstream             the upstream base URL
 * @param upstreamAnchor       the anchor of the upstream's last GetRevisionIdList (MS-WSUSSS 3.1.4.5), for
 *                             information
 * @param products             the resolved products
 * @param classifications      the resolved classifications (empty = all)
 * @param languages            the language codes selected (empty = all)
 * @param mode                 {@code metadata} or {@code metadata+files}
 * @param revisions            revision counts
 * @param files                file counts
 * @param volumes              volumes written
 * @param bundleBytes          total size of the volume files
 * @param unresolvedReferences references that could not be followed (also in the manifest's selection)
 * @param startedAt            start of the run (the options' clock)
 * @param durationMillis       wall time of the run
 * @param warnings             one line each
 */
public record ExportResult(boolean bundleWritten, String bundleDir, String bundleId, String channel, Long sequence,
                           Long baseSequence, String upstream, String upstreamAnchor, List<CategoryRef> products,
                           List<CategoryRef> classifications, List<String> languages, String mode,
                           RevisionCounts revisions, FileCounts files, int volumes, long bundleBytes,
                           List<UnresolvedReference> unresolvedReferences, String startedAt, long durationMillis,
                           List<String> warnings) {

    public ExportResult {
        products = List.copyOf(products);
        classifications = List.copyOf(classifications);
        languages = List.copyOf(languages);
        unresolvedReferences = List.copyOf(unresolvedReferences);
        warnings = List.copyOf(warnings);
    }

    /**
     * @param listed    revisions the upstream listed for the selection (GetRevisionIdList, GetConfig=false)
     * @param total     revisions in this run's closure: listed ones not exported before (all of them for a full
     *                  export) plus their prerequisites, categories and bundled updates
     * @param added     revisions whose metadata this bundle carries (not exported before on this channel)
     * @param addedByType {@code added} per update type: Software, Driver, Category, Detectoid
     */
    public record RevisionCounts(int listed, int total, int added, Map<String, Integer> addedByType) {
        public RevisionCounts {
            addedByType = Map.copyOf(addedByType);
        }
    }

    /**
     * @param count           update files this bundle carries
     * @param bytes           their total size
     * @param downloaded      files downloaded from the upstream in this run
     * @param bytesDownloaded bytes downloaded
     * @param fromCache       files taken from the file cache (re-hashed first)
     * @param bytesFromCache  their bytes
     */
    public record FileCounts(int count, long bytes, int downloaded, long bytesDownloaded, int fromCache,
                             long bytesFromCache) {
    }

    /** Indented JSON of this result, for {@code --json}. */
    public String toJson() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("export result is not serializable", e);
        }
    }
}
