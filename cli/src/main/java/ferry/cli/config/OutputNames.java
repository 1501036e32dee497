package ferry.cli.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Names a job's next bundle directory from its output's {@code name} template. */
public final class OutputNames {
    /** The placeholders a name may hold. */
    public static final List<String> PLACEHOLDERS = List.of("{job}", "{channel}", "{date}", "{time}");
    /** The name when the output gives none. */
    public static final String DEFAULT = "{channel}-{date}-{time}";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{[^}]*}");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss").withZone(ZoneOffset.UTC);

    private OutputNames() {
    }

    /** The first placeholder of {@code template} that is not one of {@link #PLACEHOLDERS}, or null. */
    static String unknownPlaceholder(String template) {
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            if (!PLACEHOLDERS.contains(m.group())) {
                return m.group();
            }
        }
        return null;
    }

    /**
     * The bundle directory for a run at {@code now}: {@code dir/<name>}, or {@code dir/<name>-N} with the smallest
     * N &ge; 2 that is free (an existing empty directory counts as free: the export fills it).
     */
    public static Path next(Path dir, String template, String job, String channel, Instant now) {
        String name = (template == null ? DEFAULT : template)
                .replace("{job}", job).replace("{channel}", channel)
                .replace("{date}", DATE.format(now)).replace("{time}", TIME.format(now));
        Path p = dir.resolve(name);
        for (int n = 2; taken(p); n++) {
            p = dir.resolve(name + "-" + n);
        }
        return p;
    }

    private static boolean taken(Path p) {
        if (!Files.exists(p)) {
            return false;
        }
        if (!Files.isDirectory(p)) {
            return true;
        }
        try (Stream<Path> s = Files.list(p)) {
            return s.findAny().isPresent();
        } catch (IOException e) {
            return true;
        }
    }
}
