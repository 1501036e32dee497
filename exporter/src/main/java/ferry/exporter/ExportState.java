package ferry.exporter;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/**
 * A channel's export state, {@code <stateDir>/state.json}: the last bundle recorded, and what its source type needs
 * to know of everything exported so far (for WSUS: the revisions and files the isolated side holds once it has
 * imported every bundle). The job reads and writes the whole file; only the source type reads its own part.
 *
 * @param formatVersion {@link #FORMAT_VERSION}; formats 1 (the WSUS fields at the top level) and 2
 *                      (without the source types' newer optional fields) are read and upgraded by {@link StateFormats}
 * @param channel       the channel this state belongs to
 * @param lastSequence  sequence number of the last bundle written
 * @param lastBundleId  its bundle id
 * @param lastExportAt  its createdAt (UTC, ISO-8601)
 * @param source        the source type that wrote it ({@link SourceExport#name()})
 * @param sourceState   the source type's part, a JSON object ({@link ExportPlan#nextState()})
 */
record ExportState(int formatVersion, String channel, long lastSequence, String lastBundleId, String lastExportAt,
                   String source, JsonNode sourceState) {

    static final int FORMAT_VERSION = 3;

    ExportState {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(source, "source");
        if (sourceState == null || !sourceState.isObject()) {
            throw new IllegalArgumentException("sourceState is not an object");
        }
        sourceState = sourceState.deepCopy();
    }
}
