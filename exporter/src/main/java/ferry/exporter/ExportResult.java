package ferry.exporter;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.util.List;

/**
 * What an export run did; serializes to JSON with a plain Jackson {@code ObjectMapper} ({@link #toJson()}).
 * Times are UTC ISO-8601 strings, sizes in bytes.
 *
 * @param bundleWritten  false when nothing changed since the last bundle (then no bundle, state untouched)
 * @param bundleDir      absolute path of the bundle written, or null
 * @param bundleId       the new bundle's UUID, or null
 * @param channel        the channel
 * @param sequence       the bundle's sequence number, or null when none was written
 * @param baseSequence   the sequence it builds on; null for a full bundle or when none was written
 * @param source         the source type exported, e.g. {@code wsus}
 * @param figures        what the source type found (for {@code wsus}: {@code ferry.exporter.wsus.WsusFigures}); in
 *                       JSON its properties appear at the top level, next to these
 * @param volumes        volumes written
 * @param bundleBytes    total size of the volume files
 * @param startedAt      start of the run (the options' clock)
 * @param durationMillis wall time of the run
 * @param recovery       the PAR 2.0 recovery sets written ({@code --recovery}): one for the bundle, or one per medium
 *                       of a bundle split over media; empty without recovery data
 * @param warnings       one line each
 */
public record ExportResult(boolean bundleWritten, String bundleDir, String bundleId, String channel, Long sequence,
                           Long baseSequence, String source, @JsonUnwrapped ExportFigures figures, int volumes,
                           long bundleBytes, String startedAt, long durationMillis, List<Recovery> recovery,
                           List<String> warnings) {

    public ExportResult {
        recovery = List.copyOf(recovery);
        warnings = List.copyOf(warnings);
    }

    /**
     * One PAR 2.0 recovery set: the files of one bundle directory or medium and their recovery files.
     *
     * @param medium         the medium directory ({@code medium-01}, ...), or null for the bundle directory
     * @param percent        the recovery percentage asked for
     * @param files          files covered (manifest, signatures, trust change, label, volumes)
     * @param inputSlices    slices of those files
     * @param recoverySlices recovery slices written: the most slices it can rebuild
     * @param sliceBytes     bytes per slice
     * @param recoveryFiles  recovery files written ({@code recovery.par2}, {@code recovery.vol*.par2})
     * @param recoveryBytes  their total size in bytes
     */
    public record Recovery(String medium, int percent, int files, int inputSlices, int recoverySlices, long sliceBytes,
                           int recoveryFiles, long recoveryBytes) {
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
