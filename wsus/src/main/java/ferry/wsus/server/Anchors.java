package ferry.wsus.server;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Anchors in the shape real WSUS servers use, {@code <counter>,<yyyy-MM-dd HH:mm:ss.fff>} (UTC; recorded exchanges
 * 000004-000012). A real server's counter is its deployment counter and its time the time of the call; it decides
 * what changed by the time alone (protocol notes 9.5: counters 9437 and 9439 made no difference, an old time
 * returned everything, a future time nothing). This server's revision anchors carry the store's change number and
 * the store's epoch (the time its first bundle was imported), so that anchors it issued are read exactly by change
 * number and anchors it did not issue, from a real WSUS or from an earlier store, by their time.
 */
final class Anchors {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final Pattern ANCHOR = Pattern.compile("([0-9]{1,18}),([0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3})");

    /** Epoch of a store that has imported nothing yet. */
    static final Instant NO_EPOCH = Instant.EPOCH;

    private Anchors() {
    }

    /**
     * A parsed anchor.
     *
     * @param counter the number before the comma
     * @param time    the time after it, UTC, to the millisecond
     */
    record Anchor(long counter, Instant time) {
    }

    static String format(long counter, Instant time) {
        return counter + "," + time(time);
    }

    /** {@code yyyy-MM-dd HH:mm:ss.fff} in UTC. */
    static String time(Instant time) {
        return TIME.format(LocalDateTime.ofInstant(time, ZoneOffset.UTC));
    }

    /** @return the anchor, or null if {@code text} is not {@code <counter>,<yyyy-MM-dd HH:mm:ss.fff>} */
    static Anchor parse(String text) {
        if (text == null || text.length() > 64) {
            return null;
        }
        Matcher m = ANCHOR.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        try {
            Instant time = LocalDateTime.parse(m.group(2), TIME).toInstant(ZoneOffset.UTC);
            return new Anchor(Long.parseLong(m.group(1)), time);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
