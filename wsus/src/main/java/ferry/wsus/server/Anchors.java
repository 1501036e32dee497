package ferry.wsus.server;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Anchors handed to downstream servers, in the shape real WSUS servers use ({@code <counter>,<yyyy-MM-dd
 * HH:mm:ss.fff>}, recorded exchange 000005): the store's change number, then the store's epoch, the time its first
 * bundle was imported. The counter says what the downstream server has seen; the epoch ties the anchor to this
 * store, so an anchor from another server, or from a store rebuilt from scratch, is refused rather than silently
 * skipping revisions.
 */
final class Anchors {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final Pattern ANCHOR = Pattern.compile("([0-9]{1,18}),([0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3})");

    /** Epoch of a store that has imported nothing yet. */
    static final Instant NO_EPOCH = Instant.EPOCH;

    private Anchors() {
    }

    /** A parsed anchor: change number and epoch. */
    record Anchor(long changeNumber, String epoch) {
    }

    static String format(long changeNumber, Instant epoch) {
        return changeNumber + "," + epoch(epoch);
    }

    static String epoch(Instant epoch) {
        return TIME.format(LocalDateTime.ofInstant(epoch, ZoneOffset.UTC));
    }

    /** @return the anchor, or null if {@code text} does not have the shape this server issues */
    static Anchor parse(String text) {
        Matcher m = ANCHOR.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        try {
            LocalDateTime.parse(m.group(2), TIME);
        } catch (DateTimeParseException e) {
            return null;
        }
        return new Anchor(Long.parseLong(m.group(1)), m.group(2));
    }
}
