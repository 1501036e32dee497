package ferry.apt.index;

/** The one rule for paths that come from indexes (Release lists, Packages {@code Filename}): relative and confined. */
public final class IndexPaths {
    /** Longest path accepted, in characters. */
    static final int MAX_PATH_CHARS = 1024;

    private IndexPaths() {
    }

    /**
     * True for a relative path of {@code /}-separated segments none of which is empty, {@code .} or {@code ..},
     * without backslashes or control characters: it cannot leave the directory it is resolved against.
     */
    public static boolean safe(String path) {
        if (path.isEmpty() || path.length() > MAX_PATH_CHARS || path.startsWith("/") || path.indexOf('\\') >= 0) {
            return false;
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return false;
            }
        }
        return true;
    }
}
