package ferry.apt.deb822;

import java.io.IOException;
import java.io.Reader;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads a Debian control file (Debian Policy 5.1: Release, Packages, Sources) paragraph by paragraph, so an index of
 * tens of thousands of packages is never held whole. Limits, each refused with a {@link ControlFileException} naming
 * the line: {@link #MAX_LINE_CHARS} per line, {@link #MAX_FIELDS} per paragraph, {@link #MAX_VALUE_CHARS} per field
 * value; control characters other than tab are refused, and so is a field named twice in one paragraph. Lines
 * starting with {@code #} are comments (deb822). Not thread-safe.
 */
public final class ControlFileReader implements AutoCloseable {
    /**
     * Longest line, in characters. Real lines reach 75,649 characters (the Provides of a Rust crate with a thousand
     * features, Debian 12's main/binary-amd64).
     */
    public static final int MAX_LINE_CHARS = 1024 * 1024;
    public static final int MAX_FIELDS = 256;
    /** Longest field value, in characters: a Release file's SHA256 list of a large archive is the longest. */
    public static final int MAX_VALUE_CHARS = 32 * 1024 * 1024;

    private final Reader in;
    private final char[] buf = new char[64 * 1024];
    private int pos;
    private int limit;
    private final String source;
    private int lineNumber;

    /** @param source the file's name, for error messages */
    public ControlFileReader(Reader in, String source) {
        this.in = in;
        this.source = source;
    }

    /**
     * The next paragraph, or null at the end.
     *
     * @throws ControlFileException for a malformed line or a limit exceeded
     * @throws IOException          if reading fails
     */
    public Paragraph next() throws IOException, ControlFileException {
        Map<String, String> fields = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        String name = null;
        StringBuilder value = null;
        int first = 0;
        String line;
        while ((line = readLine()) != null) {
            if (line.startsWith("#")) {
                continue;
            }
            if (line.isBlank()) {
                if (name != null) {
                    break; // end of this paragraph
                }
                continue; // blank lines before a paragraph
            }
            char c0 = line.charAt(0);
            if (c0 == ' ' || c0 == '\t') {
                if (name == null) {
                    throw fail("a continuation line outside any field");
                }
                String cont = line.substring(1);
                value.append('\n').append(cont.equals(".") ? "" : cont);
                if (value.length() > MAX_VALUE_CHARS) {
                    throw fail("the value of " + name + " is over " + MAX_VALUE_CHARS + " characters");
                }
                continue;
            }
            if (name != null) {
                fields.put(name, finish(value));
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw fail("not a field (no 'Name:'): " + clip(line));
            }
            name = line.substring(0, colon);
            if (!validName(name)) {
                throw fail("invalid field name " + clip(name));
            }
            if (!seen.add(Paragraph.key(name))) {
                throw fail("field " + name + " appears twice in one paragraph");
            }
            if (seen.size() > MAX_FIELDS) {
                throw fail("more than " + MAX_FIELDS + " fields in one paragraph");
            }
            if (first == 0) {
                first = lineNumber;
            }
            value = new StringBuilder(line.substring(colon + 1).strip());
        }
        if (name == null) {
            return null;
        }
        fields.put(name, finish(value));
        return new Paragraph(fields, first);
    }

    private static String finish(StringBuilder value) {
        // a multi-line value keeps its first line (often empty, as in SHA256:) and its continuation lines
        return value.indexOf("\n") < 0 ? value.toString().strip() : value.toString();
    }

    private String readLine() throws IOException, ControlFileException {
        StringBuilder line = null;
        while (true) {
            if (pos == limit) {
                limit = in.read(buf, 0, buf.length);
                pos = 0;
                if (limit < 0) {
                    limit = 0;
                    if (line == null) {
                        return null;
                    }
                    break; // a last line without a newline
                }
            }
            int from = pos;
            while (pos < limit && buf[pos] != '\n') {
                pos++;
            }
            int len = pos - from;
            if (line == null) {
                line = new StringBuilder(Math.max(len, 16));
            }
            if (line.length() + len > MAX_LINE_CHARS) {
                lineNumber++;
                throw fail("a line over " + MAX_LINE_CHARS + " characters");
            }
            line.append(buf, from, len);
            if (pos < limit) {
                pos++; // past the newline
                break;
            }
        }
        lineNumber++;
        int n = line.length();
        if (n > 0 && line.charAt(n - 1) == '\r') {
            line.setLength(--n);
        }
        for (int i = 0; i < n; i++) {
            char ch = line.charAt(i);
            if (ch < 0x20 && ch != '\t' || ch == 0x7f) {
                throw fail("control character U+" + String.format("%04X", (int) ch));
            }
        }
        return line.toString();
    }

    private static boolean validName(String name) {
        // Policy 5.1: US-ASCII printable characters except control characters, space and colon; not starting with # or -
        if (name.isEmpty() || name.startsWith("#") || name.startsWith("-") || name.length() > 256) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == ':') {
                return false;
            }
        }
        return true;
    }

    private ControlFileException fail(String what) {
        return new ControlFileException(source + " line " + lineNumber + ": " + what);
    }

    private static String clip(String s) {
        return s.length() > 60 ? "'" + s.substring(0, 60) + "...'" : "'" + s + "'";
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
