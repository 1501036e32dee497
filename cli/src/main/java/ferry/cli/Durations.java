package ferry.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The one way ferry's options and {@code ferry.yml} spell a length of time. */
final class Durations {
    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})\\s*([smhdw])");

    private Durations() {
    }

    /**
     * Parses a period: a whole number with a unit {@code s}, {@code m}, {@code h}, {@code d} or {@code w} (e.g.
     * {@code 30d}, {@code 12h}), or an ISO-8601 duration ({@code P30D}, {@code PT12H}).
     *
     * @throws IllegalArgumentException naming the text when it is neither, or not at least one whole second
     */
    static Duration parse(String text) {
        String t = text.trim();
        Duration d;
        if (t.length() > 1 && (t.charAt(0) == 'P' || t.charAt(0) == 'p')) {
            try {
                d = Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not a duration: \"" + text + "\" (ISO-8601 days and times, e.g. P30D, PT12H)");
            }
        } else {
            Matcher m = SHORT.matcher(t.toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new IllegalArgumentException("not a duration: \"" + text + "\" (e.g. 30d, 12h, 90m, 2w, P30D)");
            }
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
        }
        if (d.compareTo(Duration.ofSeconds(1)) < 0 || d.getNano() != 0) {
            throw new IllegalArgumentException("\"" + text + "\" is not at least one whole second");
        }
        return d;
    }

    /**
     * {@link #parse} for an option's value.
     *
     * @throws CliException exit 2, naming the option, when the text is not a duration
     */
    static Duration option(String option, String text) {
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, option + ": " + e.getMessage());
        }
    }
}
