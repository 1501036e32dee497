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
     * Media presets, exact bytes each medium holds (the smallest of its kinds, so a volume of that size fits all of
     * them): {@code fat32} the largest FAT32 file, 4 GiB − 1; {@code dvd} DVD+R single layer, 2,295,104 sectors of
     * 2048 bytes (ECMA-337; DVD-R holds 2,298,496); {@code dvd-dl} DVD+R DL, 4,171,712 sectors (ECMA-364; DVD-R DL
     * holds 4,173,824); {@code bd25}, {@code bd50}, {@code bd100} BD-R single, dual and triple layer without a spare
     * area, 12,219,392, 24,438,784 and 48,878,592 clusters of 2048 bytes (Blu-ray Disc Association, System Description
     * Blu-ray Disc Recordable Format part 1). A medium formatted with defect management (a spare area) holds less.
     */
    static final java.util.Map<String, Long> PRESETS = java.util.Map.of(
            "fat32", (1L << 32) - 1,
            "dvd", 2_295_104L * 2048,
            "dvd-dl", 4_171_712L * 2048,
            "bd25", 12_219_392L * 2048,
            "bd50", 24_438_784L * 2048,
            "bd100", 48_878_592L * 2048);

    /**
     * Parses a size such as {@code 4700000000}, {@code 650M}, {@code 4.7G}, {@code 25GiB}, {@code 64KiB}.
     * Suffixes K/M/G/T are binary multiples (KiB, MiB, ...); KB/MB/GB/TB are decimal, as on media labels. A preset
     * name ({@link #PRESETS}: fat32, dvd, dvd-dl, bd25, bd50, bd100) gives that medium's exact size.
     *
     * @throws IllegalArgumentException if the text is not a positive size
     */
    static long parse(String text) {
        Long preset = PRESETS.get(text.trim().toLowerCase(Locale.ROOT));
        if (preset != null) {
            return preset;
        }
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
            default -> throw new IllegalArgumentException("unknown size unit '" + unit + "' in " + text
                    + " (or a preset: fat32, dvd, dvd-dl, bd25, bd50, bd100)");
        };
        double bytes = n * mult;
        if (bytes < 1 || bytes > Long.MAX_VALUE) {
            throw new IllegalArgumentException("size out of range: " + text);
        }
        return (long) bytes;
    }
}
