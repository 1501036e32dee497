package ferry.apt.publish;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Writes the Release file of a published suite: what it is, when it was made and until when it may be trusted
 * ({@code Valid-Until}), and the SHA-256 and size of every index below it, with {@code Acquire-By-Hash: yes} (the
 * indexes are also published under {@code by-hash/SHA256/}, so a client mid-update never mixes two snapshots).
 */
public final class ReleaseWriter {
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** What the suite is called and holds; null or empty fields are left out. */
    public record Suite(String origin, String label, String suite, String codename, String version,
                        List<String> architectures, List<String> components, String description) {
        /** A suite without a {@code Version}. */
        public Suite(String origin, String label, String suite, String codename, List<String> architectures,
                     List<String> components, String description) {
            this(origin, label, suite, codename, null, architectures, components, description);
        }
    }

    private ReleaseWriter() {
    }

    /**
     * @param date       when this snapshot was made (UTC, written to the second)
     * @param validUntil until when clients may trust it, or empty for no limit
     * @param indexes    every index file below {@code dists/<suite>/}
     * @throws IllegalArgumentException if a field holds a line break (it would forge fields)
     */
    public static String write(Suite s, Instant date, Optional<Instant> validUntil, Collection<IndexFiles.IndexFile> indexes) {
        StringBuilder b = new StringBuilder();
        field(b, "Origin", s.origin());
        field(b, "Label", s.label());
        field(b, "Suite", s.suite());
        field(b, "Codename", s.codename());
        field(b, "Version", s.version());
        field(b, "Date", DATE.format(date));
        validUntil.ifPresent(v -> field(b, "Valid-Until", DATE.format(v)));
        field(b, "Acquire-By-Hash", "yes");
        field(b, "Architectures", String.join(" ", s.architectures()));
        field(b, "Components", String.join(" ", s.components()));
        field(b, "Description", s.description());
        b.append("SHA256:\n");
        for (IndexFiles.IndexFile f : indexes) {
            if (f.path().contains("\n") || f.path().contains(" ")) {
                throw new IllegalArgumentException("index path " + f.path());
            }
            b.append(' ').append(f.sha256()).append(' ').append(String.format("%16d", f.size())).append(' ')
                    .append(f.path()).append('\n');
        }
        return b.toString();
    }

    private static void field(StringBuilder b, String name, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException(name + " must be one line");
        }
        b.append(name).append(": ").append(value).append('\n');
    }
}
