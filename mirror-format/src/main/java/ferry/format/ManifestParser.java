package ferry.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Streaming strict reader of manifest JSON. Streams tokens instead of building a tree so a 64 MiB
 * manifest costs about the size of the resulting model, and tracks the field path of every value so
 * each error names it. Collects errors and keeps going where the document structure allows.
 */
final class ManifestParser {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(Limits.MAX_JSON_DEPTH)
                    .maxNumberLength(20)
                    .maxStringLength(Limits.MAX_SELECTION_BYTES)
                    .maxNameLength(1024)
                    .build())
            .build();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);
    private static final Pattern TIME = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z");
    private static final Pattern UUID_SHAPE =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** Thrown to stop parsing once too many errors were collected or the JSON syntax is broken. */
    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;
        Stop() {
            super(null, null, false, false);
        }
    }

    @FunctionalInterface
    private interface ValueReader {
        void read(String path) throws IOException;
    }

    private final byte[] bytes;
    private final List<BundleFormatException> errors = new ArrayList<>();
    private JsonParser p;

    // top-level values as read (null when absent or invalid)
    private Long formatVersion;
    private UUID bundleId;
    private String channel;
    private Long sequence;
    private Long baseSequence;
    private Instant createdAt;
    private Instant expiresAt;
    private String producerName;
    private String producerVersion;
    private ObjectNode selection;
    private ChannelReset channelReset;
    private List<Volume> volumes;
    private List<Entry> entries;

    ManifestParser(byte[] bytes) {
        this.bytes = bytes;
    }

    ManifestCheck parse() {
        try (JsonParser parser = MAPPER.createParser(bytes)) {
            p = parser;
            if (p.nextToken() == null) {
                error("(document)", "empty manifest");
                throw new Stop();
            }
            readTop();
            if (p.nextToken() != null) {
                error("(document)", "data after the manifest object");
            }
        } catch (Stop stop) {
            // errors already recorded
        } catch (JsonProcessingException e) {
            error(pathOfParser(), "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            error("(document)", "unreadable: " + e.getMessage());
        }
        if (formatVersion != null && formatVersion != Manifest.FORMAT_VERSION) {
            // a newer format may have other fields: the version is the only useful thing to report
            return new ManifestCheck(null, List.of(new BundleFormatException("formatVersion",
                    "unsupported format version " + formatVersion + " (this ferry reads version "
                            + Manifest.FORMAT_VERSION + ")")));
        }
        if (errors.isEmpty()) {
            crossCheck();
        }
        Manifest m = null;
        if (errors.isEmpty()) {
            try {
                m = new Manifest(Manifest.FORMAT_VERSION, bundleId, channel, sequence, baseSequence, createdAt,
                        expiresAt, new Producer(producerName, producerVersion), selection, volumes, entries,
                        channelReset);
            } catch (IllegalArgumentException e) {
                error("(document)", e.getMessage());
            }
        }
        if (m != null && !Arrays.equals(ManifestCodec.write(m), bytes)) {
            error("(document)", "manifest is not in canonical form (key order, whitespace, escapes or number spelling)");
            m = null;
        }
        return new ManifestCheck(errors.isEmpty() ? m : null, errors);
    }

    private void readTop() throws IOException {
        Map<String, ValueReader> f = new LinkedHashMap<>();
        f.put("formatVersion", path -> formatVersion = readLong(path, 0, Integer.MAX_VALUE));
        f.put("bundleId", path -> bundleId = readUuid(path));
        f.put("channel", path -> channel = readMatching(path, FieldRules.CHANNEL, "a channel name ([a-z0-9][a-z0-9._-]{0,63})"));
        f.put("sequence", path -> sequence = readLong(path, 1, Long.MAX_VALUE));
        f.put("baseSequence", path -> baseSequence = readLong(path, 1, Long.MAX_VALUE));
        f.put("createdAt", path -> createdAt = readTime(path));
        f.put("expiresAt", path -> expiresAt = readTime(path));
        f.put("channelReset", this::readChannelReset);
        f.put("producer", this::readProducer);
        f.put("selection", this::readSelection);
        f.put("volumes", path -> volumes = readVolumes(path));
        f.put("entries", path -> entries = readEntries(path));
        readObject("", f, Set.of("formatVersion", "bundleId", "channel", "sequence", "createdAt", "producer",
                "selection", "volumes", "entries"));
    }

    private void readChannelReset(String path) throws IOException {
        Long[] from = new Long[1];
        UUID[] id = new UUID[1];
        Map<String, ValueReader> f = new HashMap<>();
        f.put("fromSequence", q -> from[0] = readLong(q, 1, Long.MAX_VALUE));
        f.put("fromBundleId", q -> id[0] = readUuid(q));
        int before = errors.size();
        readObject(path, f, Set.of("fromSequence", "fromBundleId"));
        if (errors.size() == before && from[0] != null && id[0] != null) {
            channelReset = new ChannelReset(from[0], id[0]);
        }
    }

    private void readProducer(String path) throws IOException {
        Map<String, ValueReader> f = new HashMap<>();
        f.put("name", q -> producerName = readShortText(q));
        f.put("version", q -> producerVersion = readShortText(q));
        readObject(path, f, Set.of("name", "version"));
    }

    private void readSelection(String path) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            wrongType(path, "an object");
            return;
        }
        JsonNode n = p.readValueAsTree();
        try {
            CanonicalJson.checkSelection(n);
            selection = (ObjectNode) n;
        } catch (IllegalArgumentException e) {
            error(path, e.getMessage());
        }
    }

    private List<Volume> readVolumes(String path) throws IOException {
        List<Volume> out = new ArrayList<>();
        boolean ok = readArray(path, Limits.MAX_VOLUMES, q -> {
            String[] name = new String[1];
            String[] sha = new String[1];
            long[] size = {-1};
            Map<String, ValueReader> f = new HashMap<>();
            f.put("name", r -> name[0] = readString(r));
            f.put("size", r -> size[0] = orMinus(readLong(r, 1024, Long.MAX_VALUE)));
            f.put("sha256", r -> sha[0] = readSha(r, 64));
            int before = errors.size();
            readObject(q, f, Set.of("name", "size", "sha256"));
            if (size[0] >= 0 && size[0] % 512 != 0) {
                error(q + ".size", "volume size must be a multiple of 512");
            }
            if (name[0] != null && !name[0].equals(BundleLayout.volumeName(Math.min(out.size() + 1, Limits.MAX_VOLUMES)))) {
                error(q + ".name", "expected '" + BundleLayout.volumeName(out.size() + 1) + "'");
            }
            if (errors.size() == before) {
                out.add(new Volume(name[0], size[0], sha[0]));
            } else {
                out.add(null);
            }
        });
        return ok && !out.contains(null) ? out : null;
    }

    private List<Entry> readEntries(String path) throws IOException {
        List<Entry> out = new ArrayList<>();
        boolean ok = readArray(path, Limits.MAX_ENTRIES, q -> {
            String[] str = new String[4]; // path, sha256, sha1, mediaType
            long[] size = {-1};
            List<Segment> segments = new ArrayList<>();
            Map<String, String> source = new HashMap<>();
            Map<String, ValueReader> f = new HashMap<>();
            f.put("path", r -> {
                String s = readString(r);
                if (s != null) {
                    String problem = EntryPaths.problem(s);
                    if (problem != null) {
                        error(r, problem + " ('" + EntryPaths.printable(s) + "')");
                    } else {
                        str[0] = s;
                    }
                }
            });
            f.put("size", r -> size[0] = orMinus(readLong(r, 0, Long.MAX_VALUE)));
            f.put("sha256", r -> str[1] = readSha(r, 64));
            f.put("sha1", r -> str[2] = readSha(r, 40));
            f.put("mediaType", r -> str[3] = readMatching(r, FieldRules.MEDIA_TYPE, "a lower-case media type type/subtype"));
            f.put("segments", r -> {
                if (!readArray(r, Limits.MAX_VOLUMES, s -> {
                    Segment seg = readSegment(s);
                    if (seg != null) {
                        segments.add(seg);
                    }
                })) {
                    segments.add(null);
                }
            });
            f.put("source", r -> readSource(r, source));
            int before = errors.size();
            readObject(q, f, Set.of("path", "size", "sha256", "sha1", "mediaType", "segments", "source"));
            if (errors.size() == before) {
                long total = 0;
                for (Segment s : segments) {
                    total += s.length(); // each length <= volume size, count <= 99999: no overflow
                }
                if (total != size[0]) {
                    error(q + ".segments", "segment lengths add up to " + total + " but size is " + size[0]);
                }
            }
            if (errors.size() == before) {
                out.add(new Entry(str[0], size[0], str[1], str[2], str[3], segments, source));
            } else {
                out.add(null);
            }
        });
        return ok && !out.contains(null) ? out : null;
    }

    private Segment readSegment(String path) throws IOException {
        String[] volume = new String[1];
        long[] offset = {-1};
        long[] length = {-1};
        Map<String, ValueReader> f = new HashMap<>();
        f.put("volume", r -> {
            String s = readString(r);
            if (s != null && BundleLayout.volumeIndex(s) < 0) {
                error(r, "not a volume name");
            } else {
                volume[0] = s;
            }
        });
        f.put("offset", r -> {
            offset[0] = orMinus(readLong(r, 512, Long.MAX_VALUE));
            if (offset[0] > 0 && offset[0] % 512 != 0) {
                error(r, "offset must be a multiple of 512");
                offset[0] = -1;
            }
        });
        f.put("length", r -> length[0] = orMinus(readLong(r, 1, Long.MAX_VALUE)));
        int before = errors.size();
        readObject(path, f, Set.of("volume", "offset", "length"));
        return errors.size() == before ? new Segment(volume[0], offset[0], length[0]) : null;
    }

    private void readSource(String path, Map<String, String> into) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            wrongType(path, "an object");
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            String q = path + "." + key;
            p.nextToken();
            if (into.size() >= Limits.MAX_SOURCE_IDS) {
                error(path, "more than " + Limits.MAX_SOURCE_IDS + " source identifiers");
                p.skipChildren();
                continue;
            }
            if (!FieldRules.SOURCE_KEY.matcher(key).matches()) {
                error(q, "bad source identifier key");
                p.skipChildren();
                continue;
            }
            String v = readString(q);
            if (v != null) {
                String problem = FieldRules.sourceValueProblem(v);
                if (problem != null) {
                    error(q, problem);
                } else {
                    into.put(key, v);
                }
            }
        }
    }

    /** Checks what needs the whole document: order, references, overlaps. */
    private void crossCheck() {
        if (baseSequence != null && baseSequence >= sequence) {
            error("baseSequence", "must be less than sequence (" + sequence + ")");
        }
        if (channelReset != null && baseSequence != null) {
            error("channelReset", "a channel reset must be a full bundle (no baseSequence)");
        }
        if (expiresAt != null && !expiresAt.isAfter(createdAt)) {
            error("expiresAt", "must be after createdAt");
        }
        Map<String, Integer> byPath = new HashMap<>();
        Map<String, List<long[]>> extents = new HashMap<>(); // volume -> [offset, end, entry index]
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            Integer prev = byPath.putIfAbsent(e.path(), i);
            if (prev != null) {
                error("entries[" + i + "].path", "duplicate of entries[" + prev + "].path");
            }
            int lastVolume = 0;
            for (int j = 0; j < e.segments().size(); j++) {
                Segment s = e.segments().get(j);
                String q = "entries[" + i + "].segments[" + j + "]";
                int vi = BundleLayout.volumeIndex(s.volume());
                if (vi > volumes.size()) {
                    error(q + ".volume", "no such volume in volumes");
                    continue;
                }
                if (vi <= lastVolume) {
                    error(q + ".volume", "segments must be in increasing volume order");
                }
                lastVolume = vi;
                Volume v = volumes.get(vi - 1);
                if (s.length() > v.size() - 1024 || s.offset() > v.size() - 1024 - s.length()) {
                    error(q, "extends past the end-of-archive records of " + v.name());
                    continue;
                }
                extents.computeIfAbsent(v.name(), k -> new ArrayList<>()).add(new long[] {s.offset(), s.offset() + s.length(), i});
            }
        }
        // an entry path must not also be a directory of another entry: they could not both be materialized
        Set<String> dirs = new HashSet<>();
        for (Entry e : entries) {
            for (int k = e.path().indexOf('/'); k > 0; k = e.path().indexOf('/', k + 1)) {
                dirs.add(e.path().substring(0, k));
            }
        }
        for (int i = 0; i < entries.size(); i++) {
            if (dirs.contains(entries.get(i).path())) {
                error("entries[" + i + "].path", "is also a directory of another entry");
            }
        }
        for (var ex : extents.entrySet()) {
            List<long[]> list = ex.getValue();
            list.sort((a, b) -> Long.compare(a[0], b[0]));
            for (int k = 1; k < list.size(); k++) {
                if (list.get(k)[0] < list.get(k - 1)[1]) {
                    error("entries[" + list.get(k)[2] + "].segments", "overlaps the data of entries["
                            + list.get(k - 1)[2] + "] in " + ex.getKey());
                }
            }
        }
    }

    // ---- generic strict readers; each is entered on the value's first token and leaves on its last ----

    private void readObject(String path, Map<String, ValueReader> fields, Set<String> required) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            wrongType(path.isEmpty() ? "(document)" : path, "an object");
            return;
        }
        Set<String> seen = new HashSet<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            String q = path.isEmpty() ? name : path + "." + name;
            p.nextToken();
            ValueReader r = fields.get(name);
            if (r == null) {
                error(q, "unknown field");
                p.skipChildren();
                continue;
            }
            seen.add(name);
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                error(q, "must not be null (omit optional fields instead)");
                continue;
            }
            r.read(q);
        }
        for (String name : fields.keySet()) {
            if (required.contains(name) && !seen.contains(name)) {
                error(path.isEmpty() ? name : path + "." + name, "missing required field");
            }
        }
    }

    /** Reads an array; false when it was not one or was too long (then its elements are not all read). */
    private boolean readArray(String path, int max, ValueReader element) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            wrongType(path, "an array");
            return false;
        }
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (i >= max) {
                error(path, "more than " + max + " elements");
                p.skipChildren();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    p.skipChildren();
                }
                return false;
            }
            element.read(path + "[" + i + "]");
            i++;
        }
        return true;
    }

    private String readString(String path) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            wrongType(path, "a string");
            return null;
        }
        return p.getText();
    }

    private String readShortText(String path) throws IOException {
        String s = readString(path);
        if (s == null) {
            return null;
        }
        String problem = FieldRules.shortTextProblem(s);
        if (problem != null) {
            error(path, problem);
            return null;
        }
        return s;
    }

    private String readMatching(String path, Pattern pattern, String what) throws IOException {
        String s = readString(path);
        if (s != null && !pattern.matcher(s).matches()) {
            error(path, "must be " + what + ", is '" + EntryPaths.printable(s) + "'");
            return null;
        }
        return s;
    }

    private String readSha(String path, int hexDigits) throws IOException {
        String s = readString(path);
        if (s != null && !Hex.isLower(s, hexDigits)) {
            error(path, "must be " + hexDigits + " lower-case hex digits");
            return null;
        }
        return s;
    }

    private Long readLong(String path, long min, long max) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            wrongType(path, "an integer");
            return null;
        }
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            error(path, "integer out of range");
            return null;
        }
        long v = p.getLongValue();
        if (v < min || v > max) {
            error(path, "must be between " + min + " and " + max + ", is " + v);
            return null;
        }
        return v;
    }

    private UUID readUuid(String path) throws IOException {
        String s = readString(path);
        if (s == null) {
            return null;
        }
        if (!UUID_SHAPE.matcher(s).matches()) {
            error(path, "must be a lower-case UUID (8-4-4-4-12 hex digits)");
            return null;
        }
        return UUID.fromString(s);
    }

    private Instant readTime(String path) throws IOException {
        String s = readString(path);
        if (s == null) {
            return null;
        }
        try {
            if (TIME.matcher(s).matches()) {
                Instant t = Instant.parse(s);
                // Instant.parse is lenient about nothing here, but round-trip to be sure of one spelling
                if (ManifestCodec.formatTime(t).equals(s)) {
                    return t;
                }
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        error(path, "must be a UTC time like 2024-05-14T10:00:00Z, is '" + EntryPaths.printable(s) + "'");
        return null;
    }

    private static long orMinus(Long v) {
        return v == null ? -1 : v;
    }

    private void wrongType(String path, String expected) throws IOException {
        error(path, "must be " + expected + ", is " + describe(p.currentToken()));
        p.skipChildren();
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a floating-point number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    private String pathOfParser() {
        if (p == null) {
            return "(document)";
        }
        var ctx = p.getParsingContext();
        StringBuilder b = new StringBuilder();
        List<String> parts = new ArrayList<>();
        for (var c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.add(0, "[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.getCurrentName() != null) {
                parts.add(0, "." + c.getCurrentName());
            }
        }
        for (String s : parts) {
            b.append(s);
        }
        String s = b.toString();
        if (s.startsWith(".")) {
            s = s.substring(1);
        }
        return s.isEmpty() ? "(document)" : s;
    }

    private void error(String path, String message) {
        if (errors.size() >= Limits.MAX_REPORTED_FIELD_ERRORS) {
            errors.add(new BundleFormatException("(document)", "too many problems; stopped reading"));
            throw new Stop();
        }
        errors.add(new BundleFormatException(path, message));
    }
}
