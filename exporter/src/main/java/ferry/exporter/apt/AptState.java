package ferry.exporter.apt;

import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The APT part of a channel's export state ({@code sourceState} in {@code state.json}): what the isolated side
 * holds once it has imported every bundle so far. Sorted lists, so that the file diffs well.
 *
 * @param upstream       the repository root the last bundle came from
 * @param suite          the selection at that time
 * @param components     the selection at that time
 * @param architectures  the selection at that time
 * @param packages       the selection at that time (names and patterns)
 * @param recommends     the selection at that time
 * @param wholeComponent the selection at that time
 * @param packagesDigest SHA-256 (hex) over the last bundle's Packages entries (paths and bytes): when the next run
 *                       would carry the same Packages and no new {@code .deb}, nothing changed and no bundle is
 *                       written
 * @param carriedDebs    SHA-256 (lower-case hex) of every {@code .deb} carried on this channel: a delta carries only
 *                       the others
 */
record AptState(String upstream, String suite, List<String> components, List<String> architectures,
                List<String> packages, boolean recommends, boolean wholeComponent, String packagesDigest,
                List<String> carriedDebs) {

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    /** @throws IllegalArgumentException for a missing field or a digest that is not 64 lower-case hex digits */
    AptState {
        if (upstream == null || suite == null || packagesDigest == null) {
            throw new IllegalArgumentException("the APT state has no upstream, suite or packagesDigest");
        }
        components = List.copyOf(components);
        architectures = List.copyOf(architectures);
        packages = List.copyOf(packages);
        carriedDebs = List.copyOf(new TreeSet<>(carriedDebs));
        for (String d : carriedDebs) {
            if (!HEX64.matcher(d).matches()) {
                throw new IllegalArgumentException("the APT state lists a carried .deb that is not a SHA-256: " + d);
            }
        }
    }
}
