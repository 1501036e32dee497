package ferry.format;

import java.nio.charset.StandardCharsets;

/**
 * Rules for entry paths: relative, '/'-separated, and safe to join to a directory on any OS.
 *
 * <p>A valid path is non-empty, at most {@link Limits#MAX_PATH_BYTES} UTF-8 bytes, has components of
 * 1 to {@link Limits#MAX_PATH_COMPONENT_BYTES} bytes, and contains no {@code .} or {@code ..} component,
 * no leading or trailing '/', no empty component, no backslash, no ':' (drive letters, NTFS streams), no
 * control character (U+0000-U+001F, U+007F-U+009F) and no unpaired surrogate.
 */
public final class EntryPaths {
    private EntryPaths() { }

    /** Why {@code path} is invalid, or {@code null} when it is valid. */
    public static String problem(String path) {
        if (path == null || path.isEmpty()) {
            return "path is empty";
        }
        if (path.getBytes(StandardCharsets.UTF_8).length > Limits.MAX_PATH_BYTES) {
            return "path is longer than " + Limits.MAX_PATH_BYTES + " bytes";
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                return "path contains control character U+" + String.format("%04X", (int) c);
            }
            if (c == '\\') {
                return "path contains a backslash";
            }
            if (c == ':') {
                return "path contains ':'";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= path.length() || !Character.isLowSurrogate(path.charAt(i + 1))) {
                    return "path contains an unpaired surrogate";
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return "path contains an unpaired surrogate";
            }
        }
        if (path.startsWith("/")) {
            return "path is absolute (starts with '/')";
        }
        for (String part : path.split("/", -1)) {
            if (part.isEmpty()) {
                return "path has an empty component ('//' or trailing '/')";
            }
            if (part.equals(".") || part.equals("..")) {
                return "path has a '" + part + "' component";
            }
            if (part.getBytes(StandardCharsets.UTF_8).length > Limits.MAX_PATH_COMPONENT_BYTES) {
                return "path component longer than " + Limits.MAX_PATH_COMPONENT_BYTES + " bytes";
            }
        }
        return null;
    }

    /**
     * Returns {@code path} if valid.
     *
     * @throws IllegalArgumentException naming the rule broken
     */
    public static String require(String path) {
        String problem = problem(path);
        if (problem != null) {
            throw new IllegalArgumentException("invalid entry path '" + printable(path) + "': " + problem);
        }
        return path;
    }

    /** {@code s} with control characters escaped, for error messages. */
    static String printable(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 200; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
