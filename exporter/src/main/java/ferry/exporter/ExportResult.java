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
 * @param warnings       one line each
 */
public record ExportResult(boolean bundleWritten, String bundleDir, String bundleId, String channel, Long sequence,
                           Long baseSequence, String source, @JsonUnwrapped ExportFigures figures, int volumes,
                           long bundleBytes, String startedAt, long durationMillis, List<String> warnings) {

    public ExportResult {
        warnings = List.copyOf(warnings);
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
