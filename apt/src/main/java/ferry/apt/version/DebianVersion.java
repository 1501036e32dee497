package ferry.apt.version;

import java.util.Objects;

/**
 * A Debian package version, {@code [epoch:]upstream_version[-debian_revision]}, ordered as Debian Policy 5.6.12
 * and dpkg order them: epochs numerically; then the upstream versions, then the revisions, each compared in
 * alternating runs of non-digits (letters before other characters, {@code ~} before everything, even the end) and
 * digits (numerically). An absent epoch is 0; an absent revision compares equal to {@code 0}.
 *
 * <p>Immutable; {@link #equals} is textual, {@link #compareTo} is Debian's order (so {@code 1.0} and {@code 1.00}
 * compare equal but are not equal).
 */
public final class DebianVersion implements Comparable<DebianVersion> {
    /** Longest version accepted, in characters (real ones stay well under 100). */
    public static final int MAX_LENGTH = 256;

    private final String text;
    private final long epoch;
    private final String upstream;
    private final String revision;

    private DebianVersion(String text, long epoch, String upstream, String revision) {
        this.text = text;
        this.epoch = epoch;
        this.upstream = upstream;
        this.revision = revision;
    }

    /**
     * @param text a version as in a {@code Version} field
     * @throws InvalidVersionException if it is empty, too long, has an epoch that is not a number below 2^31, an
     *                                 empty upstream version or revision, or a character Debian does not allow
     *                                 (upstream: letters, digits, {@code . + ~ -} and {@code :} after an epoch;
     *                                 revision: letters, digits, {@code . + ~})
     */
    public static DebianVersion parse(String text) throws InvalidVersionException {
        if (text == null || text.isEmpty()) {
            throw new InvalidVersionException("version is empty");
        }
        if (text.length() > MAX_LENGTH) {
            throw new InvalidVersionException("version is " + text.length() + " characters, over " + MAX_LENGTH);
        }
        String rest = text;
        long epoch = 0;
        int colon = rest.indexOf(':');
        if (colon >= 0) {
            String e = rest.substring(0, colon);
            if (e.isEmpty() || e.length() > 10 || !e.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new InvalidVersionException("epoch of '" + text + "' is not a number");
            }
            epoch = Long.parseLong(e);
            if (epoch > Integer.MAX_VALUE) {
                throw new InvalidVersionException("epoch of '" + text + "' is too big");
            }
            rest = rest.substring(colon + 1);
        }
        String revision = "";
        int hyphen = rest.lastIndexOf('-');
        if (hyphen >= 0) {
            revision = rest.substring(hyphen + 1);
            rest = rest.substring(0, hyphen);
            if (revision.isEmpty()) {
                throw new InvalidVersionException("revision of '" + text + "' is empty");
            }
        }
        if (rest.isEmpty()) {
            throw new InvalidVersionException("upstream version of '" + text + "' is empty");
        }
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (!(alnum(c) || c == '.' || c == '+' || c == '~' || c == '-' || c == ':' && colon >= 0)) {
                throw new InvalidVersionException("invalid character '" + printable(c) + "' in version '" + text + "'");
            }
        }
        for (int i = 0; i < revision.length(); i++) {
            char c = revision.charAt(i);
            if (!(alnum(c) || c == '.' || c == '+' || c == '~')) {
                throw new InvalidVersionException("invalid character '" + printable(c) + "' in revision of '" + text + "'");
            }
        }
        return new DebianVersion(text, epoch, rest, revision);
    }

    /** The epoch, 0 when absent. */
    public long epoch() {
        return epoch;
    }

    public String upstreamVersion() {
        return upstream;
    }

    /** The Debian revision, empty when absent. */
    public String revision() {
        return revision;
    }

    @Override
    public int compareTo(DebianVersion o) {
        int c = Long.compare(epoch, o.epoch);
        if (c != 0) {
            return c;
        }
        c = compareRuns(upstream, o.upstream);
        return c != 0 ? c : compareRuns(revision, o.revision);
    }

    /** Debian's comparison of two upstream versions or two revisions: negative, zero or positive. */
    static int compareRuns(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            while (i < a.length() && !digit(a.charAt(i)) || j < b.length() && !digit(b.charAt(j))) {
                int ac = order(a, i);
                int bc = order(b, j);
                if (ac != bc) {
                    return Integer.signum(ac - bc);
                }
                i++;
                j++;
            }
            while (i < a.length() && a.charAt(i) == '0') {
                i++;
            }
            while (j < b.length() && b.charAt(j) == '0') {
                j++;
            }
            int firstDiff = 0;
            while (i < a.length() && digit(a.charAt(i)) && j < b.length() && digit(b.charAt(j))) {
                if (firstDiff == 0) {
                    firstDiff = a.charAt(i) - b.charAt(j);
                }
                i++;
                j++;
            }
            if (i < a.length() && digit(a.charAt(i))) {
                return 1;
            }
            if (j < b.length() && digit(b.charAt(j))) {
                return -1;
            }
            if (firstDiff != 0) {
                return Integer.signum(firstDiff);
            }
        }
        return 0;
    }

    /** The weight of the character at {@code i} in a non-digit run: the end and digits 0, ~ first, letters before the rest. */
    private static int order(String s, int i) {
        if (i >= s.length()) {
            return 0;
        }
        char c = s.charAt(i);
        if (digit(c)) {
            return 0;
        }
        if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
            return c;
        }
        if (c == '~') {
            return -1;
        }
        return c + 256;
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean alnum(char c) {
        return digit(c) || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
    }

    private static String printable(char c) {
        return c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DebianVersion v && text.equals(v.text);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text);
    }

    /** The version as given. */
    @Override
    public String toString() {
        return text;
    }
}
