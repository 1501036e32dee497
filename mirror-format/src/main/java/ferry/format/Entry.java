package ferry.format;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One file carried by a bundle.
 *
 * @param path      relative '/'-separated path (see {@link EntryPaths}), e.g. {@code wsus/content/AB/....cab}
 * @param size      size in bytes, &ge; 0
 * @param sha256    SHA-256 of the content, 64 lower-case hex digits
 * @param sha1      SHA-1 of the content, 40 lower-case hex digits (WSUS names content by SHA-1; lets the
 *                  importer check the upstream digest without re-reading)
 * @param mediaType lower-case {@code type/subtype}, e.g. {@code application/xml}
 * @param segments  where the bytes are, in order; their lengths add up to {@code size}; empty when size is 0
 * @param source    source identifiers (e.g. {@code kind}, {@code updateId}, {@code revisionNumber}); kept
 *                  sorted by key; at most {@link Limits#MAX_SOURCE_IDS}
 */
public record Entry(String path, long size, String sha256, String sha1, String mediaType,
                    List<Segment> segments, Map<String, String> source) {
    public Entry {
        EntryPaths.require(path);
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0: " + size);
        }
        if (!Hex.isLower(sha256, 64)) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits");
        }
        if (!Hex.isLower(sha1, 40)) {
            throw new IllegalArgumentException("sha1 must be 40 lower-case hex digits");
        }
        Objects.requireNonNull(mediaType, "mediaType");
        if (!FieldRules.MEDIA_TYPE.matcher(mediaType).matches()) {
            throw new IllegalArgumentException("bad media type: " + mediaType);
        }
        segments = List.copyOf(segments);
        long total = 0;
        for (Segment s : segments) {
            total = Math.addExact(total, s.length());
        }
        if (total != size) {
            throw new IllegalArgumentException("segment lengths add up to " + total + ", not size " + size);
        }
        source = Collections.unmodifiableMap(new TreeMap<>(source));
        if (source.size() > Limits.MAX_SOURCE_IDS) {
            throw new IllegalArgumentException("more than " + Limits.MAX_SOURCE_IDS + " source identifiers");
        }
        for (var e : source.entrySet()) {
            if (!FieldRules.SOURCE_KEY.matcher(e.getKey()).matches()) {
                throw new IllegalArgumentException("bad source identifier key: " + e.getKey());
            }
            String p = FieldRules.sourceValueProblem(e.getValue());
            if (p != null) {
                throw new IllegalArgumentException("source identifier " + e.getKey() + " " + p);
            }
        }
    }
}
