package ferry.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ferry.store.BundleInfo;
import ferry.store.ChannelState;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code /status.json}: one object with {@code generatedAt}, {@code changeNumber}, {@code counts} {bundles,
 * channels, updates, revisions, files, fileBytes}, {@code updatesByType}, {@code categoriesByType},
 * {@code channels} [{name, lastSequence, lastBundleId}] and {@code bundles} [{bundleId, channel, sequence,
 * baseSequence, createdAt, importedAt, producer, manifestSha256, signers [fingerprint], revisionCount,
 * newRevisionCount, fileCount, newFileCount}], oldest import first. Times are ISO-8601 UTC, sizes bytes.
 */
final class StatusJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StatusJson() {
    }

    static byte[] render(StoreStatus s) {
        ObjectNode root = JSON.createObjectNode();
        root.put("generatedAt", s.generatedAt().toString());
        root.put("changeNumber", s.changeNumber());
        ObjectNode counts = root.putObject("counts");
        counts.put("bundles", s.counts().bundles());
        counts.put("channels", s.counts().channels());
        counts.put("updates", s.counts().updates());
        counts.put("revisions", s.counts().revisions());
        counts.put("files", s.counts().files());
        counts.put("fileBytes", s.counts().fileBytes());
        putCounts(root.putObject("updatesByType"), s.updatesByType());
        putCounts(root.putObject("categoriesByType"), s.categoriesByType());
        ArrayNode channels = root.putArray("channels");
        for (ChannelState c : s.channels()) {
            ObjectNode o = channels.addObject();
            o.put("name", c.name());
            o.put("lastSequence", c.lastSequence());
            o.put("lastBundleId", c.lastBundleId());
        }
        ArrayNode bundles = root.putArray("bundles");
        for (BundleInfo b : s.bundles()) {
            ObjectNode o = bundles.addObject();
            o.put("bundleId", b.bundleId());
            o.put("channel", b.channel());
            o.put("sequence", b.sequenceNumber());
            o.put("baseSequence", b.baseSequence());
            o.put("createdAt", b.createdAt().toString());
            o.put("importedAt", b.importedAt().toString());
            o.put("producer", b.producer());
            o.put("manifestSha256", b.manifestSha256());
            ArrayNode signers = o.putArray("signers");
            b.signerFingerprints().forEach(signers::add);
            o.put("revisionCount", b.revisionCount());
            o.put("newRevisionCount", b.newRevisionCount());
            o.put("fileCount", b.fileCount());
            o.put("newFileCount", b.newFileCount());
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void putCounts(ObjectNode o, Map<String, Long> counts) {
        counts.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> o.put(e.getKey(), e.getValue()));
    }
}
