package ferry.apt.index;

import ferry.apt.deb822.ControlFileException;
import ferry.apt.deb822.ControlFileReader;
import ferry.apt.deb822.Paragraph;
import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A suite's {@code Release} file (the signed text of {@code InRelease}, or {@code Release} beside
 * {@code Release.gpg}), as the Debian repository format describes it: what the suite is, until when it may be
 * trusted, and the SHA-256 and size of every index file below it. Immutable.
 *
 * @param date          {@code Date}, UTC
 * @param validUntil    {@code Valid-Until}, UTC, if given
 * @param acquireByHash {@code Acquire-By-Hash: yes}: indexes may be fetched from {@code by-hash/SHA256/<hash>}
 * @param sha256        the {@code SHA256} list: path below {@code dists/<suite>/} to its digest and size
 */
public record ReleaseFile(String origin, String label, String suite, String codename, Instant date,
                          Optional<Instant> validUntil, List<String> architectures, List<String> components,
                          boolean acquireByHash, Map<String, IndexFile> sha256) {

    /** One index file: lower-case hex SHA-256 and size in bytes. */
    public record IndexFile(String path, String sha256, long size) {
    }

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    /** Index files listed at most (a full Debian suite lists about 1,000 per hash). */
    public static final int MAX_INDEX_FILES = 100_000;

    public ReleaseFile {
        architectures = List.copyOf(architectures);
        components = List.copyOf(components);
        sha256 = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sha256));
    }

    /**
     * Parses the text of a Release file (not the clearsigned wrapper: verify and strip that first).
     *
     * @throws ControlFileException naming the field at fault: no or a malformed Date, a malformed Valid-Until, an
     *                              SHA256 line that is not {@code <64 hex> <size> <path>}, an unsafe path
     *                              ({@code ..}, absolute, backslash), a path listed twice, or no SHA256 list
     */
    public static ReleaseFile parse(String text) throws ControlFileException {
        Paragraph p;
        try (ControlFileReader r = new ControlFileReader(new StringReader(text), "Release")) {
            p = r.next();
            if (p == null) {
                throw new ControlFileException("Release: empty");
            }
        } catch (IOException e) {
            throw new ControlFileException("Release: " + e.getMessage(), e);
        }
        Instant date = time(p.require("Date"), "Date");
        Optional<Instant> validUntil = p.get("Valid-Until").isPresent()
                ? Optional.of(time(p.get("Valid-Until").get(), "Valid-Until")) : Optional.empty();
        Map<String, IndexFile> files = new LinkedHashMap<>();
        String list = p.get("SHA256").orElseThrow(() -> new ControlFileException("Release: no SHA256 field"));
        for (String line : list.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.strip().split("\\s+");
            if (parts.length != 3 || !HEX64.matcher(parts[0]).matches() || !parts[1].matches("[0-9]{1,15}")) {
                throw new ControlFileException("Release: SHA256: not '<sha256> <size> <path>': " + clip(line.strip()));
            }
            String path = parts[2];
            if (!IndexPaths.safe(path)) {
                throw new ControlFileException("Release: SHA256: unsafe path " + clip(path));
            }
            if (files.put(path, new IndexFile(path, parts[0], Long.parseLong(parts[1]))) != null) {
                throw new ControlFileException("Release: SHA256: " + clip(path) + " is listed twice");
            }
            if (files.size() > MAX_INDEX_FILES) {
                throw new ControlFileException("Release: SHA256: more than " + MAX_INDEX_FILES + " files");
            }
        }
        return new ReleaseFile(p.get("Origin").orElse(""), p.get("Label").orElse(""), p.get("Suite").orElse(""),
                p.get("Codename").orElse(""), date, validUntil, words(p.get("Architectures")),
                words(p.get("Components")), p.get("Acquire-By-Hash").map(v -> v.equalsIgnoreCase("yes")).orElse(false),
                files);
    }

    /** The index file at {@code path} below the suite, if the Release lists it. */
    public Optional<IndexFile> index(String path) {
        return Optional.ofNullable(sha256.get(path));
    }

    /** True when {@code now} is past {@code Valid-Until}: the suite's metadata must no longer be trusted. */
    public boolean expiredAt(Instant now) {
        return validUntil.isPresent() && now.isAfter(validUntil.get());
    }

    private static List<String> words(Optional<String> v) {
        return v.map(s -> Arrays.stream(s.strip().split("\\s+")).filter(w -> !w.isEmpty()).toList())
                .orElse(new ArrayList<>());
    }

    /** RFC 2822 dates as Release files write them, e.g. {@code Sat, 11 Jul 2026 10:16:37 UTC}. */
    private static Instant time(String value, String field) throws ControlFileException {
        String v = value.strip().replaceAll("\\s+", " ");
        // Release files say "UTC" where RFC 1123 says "GMT" or "+0000"
        String normalized = v.replaceAll(" (UTC|GMT|Z)$", " +0000");
        try {
            return ZonedDateTime.parse(normalized, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return ZonedDateTime.parse(normalized, DateTimeFormatter.ofPattern("d MMM yyyy HH:mm:ss Z", Locale.ROOT))
                        .toInstant();
            } catch (DateTimeParseException e2) {
                throw new ControlFileException("Release: " + field + " is not a date: " + clip(value), e);
            }
        }
    }

    private static String clip(String s) {
        return s.length() > 80 ? "'" + s.substring(0, 80) + "...'" : "'" + s + "'";
    }
}
