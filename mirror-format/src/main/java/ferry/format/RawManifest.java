package ferry.format;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} as Jackson binds it, before ferry's own rules ({@link ManifestParser}). Field names and
 * nesting are those of docs/bundle-format.md, "Manifest". Every field is nullable and numbers are boxed: null means
 * absent, or refused by Jackson (the problem is then already recorded), so that a missing field can be reported
 * with its path instead of a default value slipping through.
 */
record RawManifest(Long formatVersion, String bundleId, String channel, Long sequence, Long baseSequence,
                   String createdAt, String expiresAt, RawChannelReset channelReset, RawProducer producer,
                   ObjectNode selection, List<RawVolume> volumes, List<RawEntry> entries) {

    /** {@code channelReset}. */
    record RawChannelReset(Long fromSequence, String fromBundleId) { }

    /** {@code producer}. */
    record RawProducer(String name, String version) { }

    /** One element of {@code volumes}. */
    record RawVolume(String name, Long size, String sha256) { }

    /** One element of {@code entries}; {@code source} keeps the document's key order. */
    record RawEntry(String path, Long size, String sha256, String sha1, String mediaType, List<RawSegment> segments,
                    Map<String, String> source) { }

    /** One element of {@code entries[i].segments}. */
    record RawSegment(String volume, Long offset, Long length) { }
}
