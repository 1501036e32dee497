package ferry.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The canonical JSON serialization that manifest signatures cover (docs/bundle-format.md, "Canonical
 * serialization"): UTF-8, no whitespace, object members sorted by key in UTF-16 code unit order, strings
 * with the minimal escapes, integers as plain decimal, no floating-point numbers.
 *
 * <p>Written by hand rather than with a Jackson pretty-printer so every byte is fixed by this code and
 * the spec, not by a library default that could change between versions.
 */
public final class CanonicalJson {
    private CanonicalJson() { }

    /**
     * Serializes a tree canonically.
     *
     * @throws IllegalArgumentException if the tree holds a floating-point number, a binary or POJO node,
     *         an integer outside the signed 64-bit range, or a string with an unpaired surrogate
     */
    public static byte[] write(JsonNode node) {
        StringBuilder b = new StringBuilder(1024);
        append(b, node);
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Checks that a selection object can be carried: serializable canonically, at most
     * {@link Limits#MAX_SELECTION_BYTES} bytes and {@link Limits#MAX_JSON_DEPTH} - 1 levels deep.
     *
     * @throws IllegalArgumentException saying why not
     */
    static void checkSelection(JsonNode selection) {
        if (depth(selection) > Limits.MAX_JSON_DEPTH - 1) {
            throw new IllegalArgumentException("selection nested deeper than " + (Limits.MAX_JSON_DEPTH - 1));
        }
        if (write(selection).length > Limits.MAX_SELECTION_BYTES) {
            throw new IllegalArgumentException("selection larger than " + Limits.MAX_SELECTION_BYTES + " bytes");
        }
    }

    static int depth(JsonNode n) {
        if (!n.isContainerNode()) {
            return 0;
        }
        int max = 0;
        for (JsonNode c : n) {
            max = Math.max(max, depth(c));
        }
        return max + 1;
    }

    private static void append(StringBuilder b, JsonNode n) {
        switch (n.getNodeType()) {
            case OBJECT -> {
                List<String> keys = new ArrayList<>();
                n.fieldNames().forEachRemaining(keys::add);
                Collections.sort(keys); // String.compareTo is UTF-16 code unit order
                b.append('{');
                for (int i = 0; i < keys.size(); i++) {
                    if (i > 0) {
                        b.append(',');
                    }
                    appendString(b, keys.get(i));
                    b.append(':');
                    append(b, n.get(keys.get(i)));
                }
                b.append('}');
            }
            case ARRAY -> {
                b.append('[');
                for (int i = 0; i < n.size(); i++) {
                    if (i > 0) {
                        b.append(',');
                    }
                    append(b, n.get(i));
                }
                b.append(']');
            }
            case STRING -> appendString(b, n.textValue());
            case BOOLEAN -> b.append(n.booleanValue() ? "true" : "false");
            case NULL -> b.append("null");
            case NUMBER -> {
                if (!n.isIntegralNumber()) {
                    throw new IllegalArgumentException("floating-point numbers are not allowed: " + n);
                }
                if (!n.canConvertToLong()) {
                    throw new IllegalArgumentException("integer out of 64-bit range: " + n);
                }
                b.append(n.longValue());
            }
            default -> throw new IllegalArgumentException("not a JSON value: " + n.getNodeType());
        }
    }

    private static void appendString(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        b.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        throw new IllegalArgumentException("string holds an unpaired surrogate");
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
