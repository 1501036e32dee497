package ferry.exporter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Reads state files of earlier formats as the current one, so that a channel continues across an upgrade: an
 * operator's {@code state.json} and {@code pending.json} stay valid. Nothing is written back until the next bundle
 * is recorded (in the current format).
 *
 * <p>Format 1 (ferry before source types had their own part): {@code state.json} held the WSUS fields
 * ({@code upstream}, {@code products}, {@code classifications}, {@code languages}, {@code mode},
 * {@code allFilesExported}, {@code upstreamAnchor}, {@code exportedRevisions}, {@code exportedFiles}) next to the
 * channel's position; format 2 moves them, unchanged, into {@code sourceState} with {@code source} "wsus" (the only
 * source type format 1 knew). {@code pending.json} format 1 differs only in the state it carries.
 *
 * <p>Format 3 adds optional fields to a source type's part (for WSUS, {@code configAnchor}); a format-2 state
 * reads as format 3 without them. The version goes up so that an older ferry refuses a newer state by its
 * version, naming the file, rather than stumbling on a field it does not know. {@code pending.json} format 2
 * differs from format 3 only in the state it carries.
 */
final class StateFormats {

    /** The fields of a state that belong to the job, in every format. */
    private static final Set<String> JOB_FIELDS = Set.of("formatVersion", "channel", "lastSequence", "lastBundleId",
            "lastExportAt");

    private StateFormats() {
    }

    /** @return {@code state} in the current format; an object of format 1 is upgraded, any other returned as is */
    static JsonNode state(JsonNode state) {
        if (state instanceof ObjectNode o && o.path("formatVersion").asInt(0) == 2) {
            ObjectNode out = o.deepCopy();
            out.put("formatVersion", ExportState.FORMAT_VERSION);
            return out;
        }
        if (!(state instanceof ObjectNode o) || o.path("formatVersion").asInt(0) != 1) {
            return state;
        }
        ObjectNode out = o.objectNode();
        ObjectNode wsus = o.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (JOB_FIELDS.contains(f.getKey())) {
                out.set(f.getKey(), f.getValue());
            } else {
                wsus.set(f.getKey(), f.getValue());
            }
        }
        out.put("formatVersion", ExportState.FORMAT_VERSION);
        out.put("source", "wsus");
        out.set("sourceState", wsus);
        return out;
    }

    /** @return {@code pending} in the current format; one of format 1 or 2 gets its state upgraded */
    static JsonNode pending(JsonNode pending) {
        int v = pending instanceof ObjectNode ? pending.path("formatVersion").asInt(0) : 0;
        if (!(pending instanceof ObjectNode o) || v != 1 && v != 2) {
            return pending;
        }
        ObjectNode out = o.deepCopy();
        out.put("formatVersion", PendingBundle.FORMAT_VERSION);
        if (o.has("state")) {
            out.set("state", state(o.get("state")));
        }
        return out;
    }
}
