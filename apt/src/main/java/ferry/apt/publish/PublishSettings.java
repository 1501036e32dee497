package ferry.apt.publish;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

/**
 * How a store publishes its APT channels, from {@code apt/publish.properties} in the store (written by
 * {@code ferry apt configure}; absent means the defaults): {@code keepSnapshots}, how many snapshots of each channel
 * are kept (default 5, 1 to 1000; older ones are dropped at the next import), and {@code validDays}, the days a
 * published Release is valid ({@code Valid-Until}; default 0: no {@code Valid-Until}, since a site that imports
 * rarely would otherwise see apt refuse its repository).
 *
 * @param keepSnapshots snapshots kept per channel
 * @param validFor      how long a Release is valid, or empty for no {@code Valid-Until}
 */
public record PublishSettings(int keepSnapshots, Optional<Duration> validFor) {
    /** The file below the store directory. */
    public static final String FILE = "apt/publish.properties";
    public static final int DEFAULT_KEEP = 5;
    public static final int MAX_KEEP = 1000;
    public static final int MAX_VALID_DAYS = 3650;

    /** @throws IllegalArgumentException if a value is out of range */
    public PublishSettings {
        if (keepSnapshots < 1 || keepSnapshots > MAX_KEEP) {
            throw new IllegalArgumentException("keepSnapshots must be 1 to " + MAX_KEEP + ": " + keepSnapshots);
        }
        if (validFor.isPresent() && (validFor.get().isNegative() || validFor.get().isZero()
                || validFor.get().toDays() > MAX_VALID_DAYS)) {
            throw new IllegalArgumentException("validDays must be 1 to " + MAX_VALID_DAYS);
        }
    }

    public static PublishSettings defaults() {
        return new PublishSettings(DEFAULT_KEEP, Optional.empty());
    }

    /** @throws PublishConfigException naming the file and the setting at fault */
    public static PublishSettings load(Path storeDir) {
        Path file = storeDir.resolve(FILE);
        if (!Files.exists(file)) {
            return defaults();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new PublishConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        int keep = number(p, file, "keepSnapshots", DEFAULT_KEEP);
        int days = number(p, file, "validDays", 0);
        try {
            return new PublishSettings(keep, days == 0 ? Optional.empty() : Optional.of(Duration.ofDays(days)));
        } catch (IllegalArgumentException e) {
            throw new PublishConfigException(file + ": " + e.getMessage());
        }
    }

    /** Writes these settings to the store (atomically). @throws PublishConfigException if it cannot */
    public void save(Path storeDir) {
        Path file = storeDir.resolve(FILE);
        String text = "# ferry APT publishing (docs/apt.md)\nkeepSnapshots=" + keepSnapshots + "\nvalidDays="
                + validFor.map(Duration::toDays).orElse(0L) + "\n";
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new PublishConfigException(file + ": cannot write: " + e, e);
        }
    }

    private static int number(Properties p, Path file, String key, int fallback) {
        String v = p.getProperty(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new PublishConfigException(file + ": " + key + " is not a whole number: \"" + v + "\"");
        }
    }
}
