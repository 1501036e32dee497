package ferry.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import ferry.store.BundleInfo;
import ferry.store.ChannelState;
import ferry.store.SourceCatalog;
import ferry.store.StoreCounts;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /status.json}: {@code generatedAt}, {@code counts} {bundles, channels}, {@code sources} {<source type>:
 * {<figure>: value}} (e.g. {@code wsus} {updates, revisions, files, fileBytes, changeNumber, updatesSoftware, ...}),
 * {@code traffic} {since, requests, responses2xx, responses4xx, responses5xx, bytesRead, bytesWritten} (since this
 * server started), {@code channels} [{name, lastSequence, lastBundleId}] and {@code bundles} [{bundleId, channel, sequence,
 * baseSequence, createdAt, importedAt, producer, manifestSha256, signers [fingerprint], revisionCount,
 * newRevisionCount, fileCount, newFileCount}], oldest import first. Times are ISO-8601 UTC, sizes bytes.
 */
final class StatusJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private StatusJson() {
    }

    record Counts(long bundles, long channels) {
    }

    record Channel(String name, long lastSequence, String lastBundleId) {
    }

    record Bundle(String bundleId, String channel, long sequence, Long baseSequence, String createdAt,
                  String importedAt, String producer, String manifestSha256, List<String> signers, int revisionCount,
                  int newRevisionCount, int fileCount, int newFileCount) {
    }

    record Traffic(String since, long requests, long responses2xx, long responses4xx, long responses5xx,
                   long bytesRead, long bytesWritten) {
    }

    record Status(String generatedAt, Counts counts, Map<String, Map<String, Long>> sources, Traffic traffic,
                  List<Channel> channels, List<Bundle> bundles) {
    }

    static byte[] render(StoreStatus s) {
        Map<String, Map<String, Long>> sources = new LinkedHashMap<>();
        for (StoreCounts.Source source : s.counts().sources()) {
            Map<String, Long> figures = new LinkedHashMap<>();
            for (SourceCatalog.Count c : source.counts()) {
                figures.put(c.name(), c.value());
            }
            sources.put(source.name(), figures);
        }
        List<Channel> channels = s.channels().stream()
                .map((ChannelState c) -> new Channel(c.name(), c.lastSequence(), c.lastBundleId())).toList();
        List<Bundle> bundles = s.bundles().stream().map((BundleInfo b) -> new Bundle(b.bundleId(), b.channel(),
                b.sequenceNumber(), b.baseSequence(), b.createdAt().toString(), b.importedAt().toString(), b.producer(),
                b.manifestSha256(), b.signerFingerprints(), b.revisionCount(), b.newRevisionCount(), b.fileCount(),
                b.newFileCount())).toList();
        ServerTraffic.Traffic t = s.traffic();
        Status status = new Status(s.generatedAt().toString(), new Counts(s.counts().bundles(), s.counts().channels()),
                sources, new Traffic(t.since().toString(), t.requests(), t.responses2xx(), t.responses4xx(),
                t.responses5xx(), t.bytesRead(), t.bytesWritten()), channels, bundles);
        try {
            return JSON.writeValueAsString(status).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
