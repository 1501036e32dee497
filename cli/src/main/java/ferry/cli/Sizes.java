package ferry.cli;

import java.util.Locale;

/** Byte counts for humans, in binary units (KiB, MiB, GiB), as operators size media. */
final class Sizes {
    private Sizes() {
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /**
     * Parses a size such as {@code 4700000000}, {@code 650M}, {@code 4.7G}, {@code 25GiB}, {@code 64KiB}.
     * Suffixes K/M/G/T are binary multiples (KiB, MiB, ...); KB/MB/GB/TB are decimal, as on media labels.
     *
     * @throws IllegalArgumentException if the text is not a positive size
     */
    static long parse(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT).replace(" ", "");
        int i = 0;
        while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("not a size: " + text);
        }
        double n = Double.parseDouble(t.substring(0, i));
        String unit = t.substring(i);
        long mult = switch (unit) {
            case "", "B" -> 1L;
            case "K", "KIB" -> 1L << 10;
            case "M", "MIB" -> 1L << 20;
            case "G", "GIB" -> 1L << 30;
            case "T", "TIB" -> 1L << 40;
            case "KB" -> 1_000L;
            case "MB" -> 1_000_000L;
            case "GB" -> 1_000_000_000L;
            case "TB" -> 1_000_000_000_000L;
            default -> throw new IllegalArgumentException("unknown size unit '" + unit + "' in " + text);
        };
        double bytes = n * mult;
        if (bytes < 1 || bytes > Long.MAX_VALUE) {
            throw new IllegalArgumentException("size out of range: " + text);
        }
        return (long) bytes;
    }
}
