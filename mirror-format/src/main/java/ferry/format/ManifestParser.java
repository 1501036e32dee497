package ferry.format;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ferry.format.RawManifest.RawChannelReset;
import ferry.format.RawManifest.RawEntry;
import ferry.format.RawManifest.RawProducer;
import ferry.format.RawManifest.RawSegment;
import ferry.format.RawManifest.RawVolume;
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
 * Strict reader of manifest JSON: Jackson binds the bytes to {@link RawManifest} ({@link ManifestJson}: types,
 * unknown fields, duplicate keys, parser limits), then ferry's own rules are checked here by hand: field shapes
 * (UUIDs, times, digests, sizes, paths), required fields, and the rules across fields (segments cover their
 * entry and stay inside existing volumes without overlapping, base sequence below sequence, a channel reset is
 * a full bundle, canonical form). Every problem names its field path; problems are collected up to
 * {@link Limits#MAX_REPORTED_FIELD_ERRORS}.
 */
final class ManifestParser {
    private static final Pattern TIME = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z");
    private static final Pattern UUID_SHAPE =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final String DOCUMENT = "(document)";

    /** Thrown to stop once too many problems were collected. */
    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;
        Stop() {
            super(null, null, false, false);
        }
    }

    private final byte[] bytes;
    private final List<BundleFormatException> errors = new ArrayList<>();
    /** Every path with a problem at or below it, so a refused value is not also reported as missing. */
    private final Set<String> dirty = new HashSet<>();

    ManifestParser(byte[] bytes) {
        this.bytes = bytes;
    }

    ManifestCheck parse() {
        Manifest m = null;
        JsonParser p = null;
        try {
            p = ManifestJson.parser(bytes);
            RawManifest raw = null;
            if (p.nextToken() == null) {
                error(DOCUMENT, "empty manifest");
            } else {
                raw = ManifestJson.read(p, this::error);
                if (p.nextToken() != null) {
                    error(DOCUMENT, "data after the manifest object");
                }
            }
            if (raw != null) {
                Long version = range("formatVersion", raw.formatVersion(), 0, Integer.MAX_VALUE);
                if (version != null && version != Manifest.FORMAT_VERSION) {
                    // a newer format may have other fields: the version is the only useful thing to report
                    return new ManifestCheck(null, List.of(new BundleFormatException("formatVersion",
                            "unsupported format version " + version + " (this ferry reads version "
                                    + Manifest.FORMAT_VERSION + ")")));
                }
                present("formatVersion", raw.formatVersion());
                m = build(raw);
            }
        } catch (Stop stop) {
            // errors already recorded
        } catch (JacksonException e) {
            stopOrMalformed(e, p);
        } catch (IOException e) {
            error(DOCUMENT, "unreadable: " + e.getMessage());
        } finally {
            close(p);
        }
        if (m != null && !Arrays.equals(ManifestCodec.write(m), bytes)) {
            errors.add(new BundleFormatException(DOCUMENT,
                    "manifest is not in canonical form (key order, whitespace, escapes or number spelling)"));
            m = null;
        }
        return new ManifestCheck(errors.isEmpty() ? m : null, errors);
    }

    /** A read stopped by Jackson: either the problem limit (wrapped) or JSON that cannot be read on. */
    private void stopOrMalformed(JacksonException e, JsonParser p) {
        JsonProcessingException malformed = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Stop) {
                return;
            }
            // syntax, a duplicate key or a parser limit (StreamReadException, StreamConstraintsException)
            if (t instanceof JsonProcessingException s && !(t instanceof DatabindException) && malformed == null) {
                malformed = s;
            }
        }
        if (malformed == null) {
            // neither bad syntax nor a refused value: a defect in the raw records, not the operator's input
            throw new IllegalStateException("manifest binding failed: " + e.getMessage(), e);
        }
        try {
            String path = p == null ? "" : ManifestJson.pathOf(p);
            error(path.isEmpty() ? DOCUMENT : path, "malformed JSON: " + malformed.getOriginalMessage());
        } catch (Stop stop) {
            // the limit line is already recorded
        }
    }

    private static void close(JsonParser p) {
        if (p != null) {
            try {
                p.close();
            } catch (IOException e) {
                // reading from a byte array: nothing to release
            }
        }
    }

    /** Applies ferry's rules to the bound values; the manifest, or null when there were problems. */
    private Manifest build(RawManifest r) {
        UUID bundleId = uuid("bundleId", r.bundleId());
        String channel = matching("channel", r.channel(), FieldRules.CHANNEL,
                "a channel name ([a-z0-9][a-z0-9._-]{0,63})");
        Long sequence = range("sequence", r.sequence(), 1, Long.MAX_VALUE);
        Long baseSequence = range("baseSequence", r.baseSequence(), 1, Long.MAX_VALUE);
        Instant createdAt = time("createdAt", r.createdAt());
        Instant expiresAt = time("expiresAt", r.expiresAt());
        ChannelReset channelReset = channelReset("channelReset", r.channelReset());
        Producer producer = producer("producer", r.producer());
        ObjectNode selection = selection("selection", r.selection());
        List<Volume> volumes = volumes("volumes", r.volumes());
        List<Entry> entries = entries("entries", r.entries());
        present("bundleId", r.bundleId());
        present("channel", r.channel());
        present("sequence", r.sequence());
        present("createdAt", r.createdAt());
        present("producer", r.producer());
        present("selection", r.selection());
        present("volumes", r.volumes());
        present("entries", r.entries());
        if (!errors.isEmpty()) {
            return null;
        }
        crossCheck(sequence, baseSequence, createdAt, expiresAt, channelReset, volumes, entries);
        if (!errors.isEmpty()) {
            return null;
        }
        try {
            return new Manifest(Manifest.FORMAT_VERSION, bundleId, channel, sequence, baseSequence, createdAt,
                    expiresAt, producer, selection, volumes, entries, channelReset);
        } catch (IllegalArgumentException e) {
            error(DOCUMENT, e.getMessage());
            return null;
        }
    }

    private ChannelReset channelReset(String path, RawChannelReset r) {
        if (r == null) {
            return null;
        }
        Long from = range(path + ".fromSequence", r.fromSequence(), 1, Long.MAX_VALUE);
        UUID id = uuid(path + ".fromBundleId", r.fromBundleId());
        present(path + ".fromSequence", r.fromSequence());
        present(path + ".fromBundleId", r.fromBundleId());
        return dirty.contains(path) ? null : new ChannelReset(from, id);
    }

    private Producer producer(String path, RawProducer r) {
        if (r == null) {
            return null;
        }
        String name = shortText(path + ".name", r.name());
        String version = shortText(path + ".version", r.version());
        present(path + ".name", r.name());
        present(path + ".version", r.version());
        return dirty.contains(path) ? null : new Producer(name, version);
    }

    private ObjectNode selection(String path, ObjectNode n) {
        if (n == null) {
            return null;
        }
        try {
            CanonicalJson.checkSelection(n);
            return n;
        } catch (IllegalArgumentException e) {
            error(path, e.getMessage());
            return null;
        }
    }

    private List<Volume> volumes(String path, List<RawVolume> raw) {
        if (raw == null) {
            return null;
        }
        List<Volume> out = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            RawVolume v = raw.get(i);
            String q = path + "[" + i + "]";
            if (v == null) {
                continue; // refused, already reported
            }
            Long size = range(q + ".size", v.size(), 1024, Long.MAX_VALUE);
            String sha = sha(q + ".sha256", v.sha256(), 64);
            if (size != null && size % 512 != 0) {
                error(q + ".size", "volume size must be a multiple of 512");
            }
            String expected = BundleLayout.volumeName(i + 1);
            if (v.name() != null && !v.name().equals(expected)) {
                error(q + ".name", "expected '" + expected + "'");
            }
            present(q + ".name", v.name());
            present(q + ".size", v.size());
            present(q + ".sha256", v.sha256());
            if (!dirty.contains(path)) {
                out.add(new Volume(v.name(), size, sha));
            }
        }
        return dirty.contains(path) ? null : out;
    }

    private List<Entry> entries(String path, List<RawEntry> raw) {
        if (raw == null) {
            return null;
        }
        List<Entry> out = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            RawEntry e = raw.get(i);
            raw.set(i, null); // the raw entry is garbage once checked: keep one copy of a large manifest in memory
            String q = path + "[" + i + "]";
            if (e == null) {
                continue; // refused, already reported
            }
            String entryPath = e.path();
            if (entryPath != null) {
                String problem = EntryPaths.problem(entryPath);
                if (problem != null) {
                    error(q + ".path", problem + " ('" + EntryPaths.printable(entryPath) + "')");
                }
            }
            Long size = range(q + ".size", e.size(), 0, Long.MAX_VALUE);
            sha(q + ".sha256", e.sha256(), 64);
            sha(q + ".sha1", e.sha1(), 40);
            matching(q + ".mediaType", e.mediaType(), FieldRules.MEDIA_TYPE, "a lower-case media type type/subtype");
            List<Segment> segments = segments(q + ".segments", e.segments());
            Map<String, String> source = source(q + ".source", e.source());
            present(q + ".path", e.path());
            present(q + ".size", e.size());
            present(q + ".sha256", e.sha256());
            present(q + ".sha1", e.sha1());
            present(q + ".mediaType", e.mediaType());
            present(q + ".segments", e.segments());
            present(q + ".source", e.source());
            if (dirty.contains(q)) {
                continue;
            }
            long total = 0;
            for (Segment s : segments) {
                total += s.length(); // each length < 2^63, at most 99999 of them: see the overflow check
                if (total < 0) {
                    break;
                }
            }
            if (total != size) {
                error(q + ".segments", total < 0 ? "segment lengths add up to more than " + Long.MAX_VALUE
                        : "segment lengths add up to " + total + " but size is " + size);
                continue;
            }
            if (!dirty.contains(path)) {
                out.add(new Entry(entryPath, size, e.sha256(), e.sha1(), e.mediaType(), segments, source));
            }
        }
        return dirty.contains(path) ? null : out;
    }

    private List<Segment> segments(String path, List<RawSegment> raw) {
        if (raw == null) {
            return null;
        }
        List<Segment> out = new ArrayList<>(raw.size());
        for (int j = 0; j < raw.size(); j++) {
            RawSegment s = raw.get(j);
            String q = path + "[" + j + "]";
            if (s == null) {
                continue;
            }
            if (s.volume() != null && BundleLayout.volumeIndex(s.volume()) < 0) {
                error(q + ".volume", "not a volume name");
            }
            Long offset = range(q + ".offset", s.offset(), 512, Long.MAX_VALUE);
            if (offset != null && offset % 512 != 0) {
                error(q + ".offset", "offset must be a multiple of 512");
            }
            Long length = range(q + ".length", s.length(), 1, Long.MAX_VALUE);
            present(q + ".volume", s.volume());
            present(q + ".offset", s.offset());
            present(q + ".length", s.length());
            if (!dirty.contains(path)) {
                out.add(new Segment(s.volume(), offset, length));
            }
        }
        return dirty.contains(path) ? null : out;
    }

    private Map<String, String> source(String path, Map<String, String> raw) {
        if (raw == null) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (var e : raw.entrySet()) {
            String q = path + "." + e.getKey();
            if (out.size() >= Limits.MAX_SOURCE_IDS) {
                error(path, "more than " + Limits.MAX_SOURCE_IDS + " source identifiers");
            } else if (!FieldRules.SOURCE_KEY.matcher(e.getKey()).matches()) {
                error(q, "bad source identifier key");
            } else if (e.getValue() != null) {
                String problem = FieldRules.sourceValueProblem(e.getValue());
                if (problem != null) {
                    error(q, problem);
                } else {
                    out.put(e.getKey(), e.getValue());
                }
            }
        }
        return out;
    }

    /** Checks what needs the whole document: order, references, overlaps. */
    private void crossCheck(long sequence, Long baseSequence, Instant createdAt, Instant expiresAt,
                            ChannelReset channelReset, List<Volume> volumes, List<Entry> entries) {
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

    // ---- field shapes; each takes the bound value (null when absent or refused) and reports at path ----

    /** Reports a required field that is absent (a refused one is already reported). */
    private void present(String path, Object value) {
        if (value == null && !dirty.contains(path)) {
            error(path, "missing required field");
        }
    }

    private String shortText(String path, String s) {
        String problem = s == null ? null : FieldRules.shortTextProblem(s);
        if (problem != null) {
            error(path, problem);
            return null;
        }
        return s;
    }

    private String matching(String path, String s, Pattern pattern, String what) {
        if (s != null && !pattern.matcher(s).matches()) {
            error(path, "must be " + what + ", is '" + EntryPaths.printable(s) + "'");
            return null;
        }
        return s;
    }

    private String sha(String path, String s, int hexDigits) {
        if (s != null && !Hex.isLower(s, hexDigits)) {
            error(path, "must be " + hexDigits + " lower-case hex digits");
            return null;
        }
        return s;
    }

    private Long range(String path, Long v, long min, long max) {
        if (v != null && (v < min || v > max)) {
            error(path, "must be between " + min + " and " + max + ", is " + v);
            return null;
        }
        return v;
    }

    private UUID uuid(String path, String s) {
        if (s == null) {
            return null;
        }
        if (!UUID_SHAPE.matcher(s).matches()) {
            error(path, "must be a lower-case UUID (8-4-4-4-12 hex digits)");
            return null;
        }
        return UUID.fromString(s);
    }

    private Instant time(String path, String s) {
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

    /** Records a problem at {@code path} (empty: the document); stops once there are too many. */
    private void error(String path, String message) {
        if (path.isEmpty()) {
            path = DOCUMENT;
        }
        if (errors.size() >= Limits.MAX_REPORTED_FIELD_ERRORS) {
            errors.add(new BundleFormatException(DOCUMENT, "too many problems; stopped reading"));
            throw new Stop();
        }
        errors.add(new BundleFormatException(path, message));
        for (int k = 0; k < path.length(); k++) {
            char c = path.charAt(k);
            if (c == '.' || c == '[') {
                dirty.add(path.substring(0, k));
            }
        }
        dirty.add(path);
    }
}
