package ferry.format;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Converts a {@link Manifest} to and from its canonical JSON bytes (docs/bundle-format.md, "Manifest").
 * Thread-safe; all methods are static.
 */
public final class ManifestCodec {
    private ManifestCodec() { }

    /** The one spelling of instants in the manifest: UTC, whole seconds, e.g. {@code 2024-05-14T10:00:00Z}. */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    /** Canonical JSON bytes of {@code m}; the bytes signatures are made over. */
    public static byte[] write(Manifest m) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("formatVersion", m.formatVersion());
        root.put("bundleId", m.bundleId().toString());
        root.put("channel", m.channel());
        root.put("sequence", m.sequence());
        if (m.baseSequence() != null) {
            root.put("baseSequence", m.baseSequence().longValue());
        }
        root.put("createdAt", formatTime(m.createdAt()));
        if (m.expiresAt() != null) {
            root.put("expiresAt", formatTime(m.expiresAt()));
        }
        if (m.channelReset() != null) {
            ObjectNode reset = root.putObject("channelReset");
            reset.put("fromSequence", m.channelReset().fromSequence());
            reset.put("fromBundleId", m.channelReset().fromBundleId().toString());
        }
        ObjectNode producer = root.putObject("producer");
        producer.put("name", m.producer().name());
        producer.put("version", m.producer().version());
        root.set("selection", m.selection());
        ArrayNode volumes = root.putArray("volumes");
        for (Volume v : m.volumes()) {
            ObjectNode o = volumes.addObject();
            o.put("name", v.name());
            o.put("size", v.size());
            o.put("sha256", v.sha256());
        }
        ArrayNode entries = root.putArray("entries");
        for (Entry e : m.entries()) {
            ObjectNode o = entries.addObject();
            o.put("path", e.path());
            o.put("size", e.size());
            o.put("sha256", e.sha256());
            o.put("sha1", e.sha1());
            o.put("mediaType", e.mediaType());
            ArrayNode segs = o.putArray("segments");
            for (Segment s : e.segments()) {
                ObjectNode so = segs.addObject();
                so.put("volume", s.volume());
                so.put("offset", s.offset());
                so.put("length", s.length());
            }
            ObjectNode src = o.putObject("source");
            e.source().forEach(src::put);
        }
        return CanonicalJson.write(root);
    }

    /**
     * Parses manifest bytes strictly: canonical form only, no unknown fields, every limit of
     * {@link Limits} enforced, cross-references (segments to volumes, overlaps) checked.
     *
     * @throws BundleFormatException for the first problem, naming its JSON field path (the message says
     *         how many more there are; use {@link #check} to get them all)
     */
    public static Manifest read(byte[] bytes) throws BundleFormatException {
        ManifestCheck c = check(bytes);
        if (!c.ok()) {
            BundleFormatException first = c.problems().get(0);
            if (c.problems().size() == 1) {
                throw first;
            }
            throw new BundleFormatException(first.field(), first.getMessage().substring(first.field().length() + 2)
                    + " (and " + (c.problems().size() - 1) + " more problems)");
        }
        return c.manifest();
    }

    /** Parses manifest bytes like {@link #read} but collects every problem instead of throwing. */
    public static ManifestCheck check(byte[] bytes) {
        if (bytes.length > Limits.MAX_MANIFEST_BYTES) {
            return new ManifestCheck(null, java.util.List.of(new BundleFormatException("(document)",
                    "manifest is " + bytes.length + " bytes, more than the limit of " + Limits.MAX_MANIFEST_BYTES)));
        }
        return new ManifestParser(bytes).parse();
    }

    static String formatTime(Instant t) {
        return TIME.format(t);
    }
}
