package ferry.format;

import java.util.regex.Pattern;

/** Shapes of the short string fields of the manifest (docs/bundle-format.md, "Manifest"). */
public final class FieldRules {
    private FieldRules() { }

    /** Channel: 1-64 chars, lower-case letters, digits, '.', '_', '-', starting with a letter or digit. */
    public static final Pattern CHANNEL = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    /** Media type: {@code type/subtype}, lower case, RFC 6838 restricted-name characters, no parameters. */
    public static final Pattern MEDIA_TYPE =
            Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}");
    /** Source identifier key: 1-64 chars, a letter then letters, digits, '.', '_', '-'. */
    public static final Pattern SOURCE_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,63}");

    /** Why {@code s} is not acceptable short text (producer name/version), or null. */
    public static String shortTextProblem(String s) {
        if (s == null || s.isEmpty()) {
            return "must not be empty";
        }
        if (s.length() > Limits.MAX_SHORT_TEXT_CHARS) {
            return "longer than " + Limits.MAX_SHORT_TEXT_CHARS + " characters";
        }
        return controlProblem(s);
    }

    /** Why {@code s} is not an acceptable source identifier value, or null. */
    public static String sourceValueProblem(String s) {
        if (s == null) {
            return "must not be null";
        }
        if (s.length() > Limits.MAX_SOURCE_VALUE_CHARS) {
            return "longer than " + Limits.MAX_SOURCE_VALUE_CHARS + " characters";
        }
        return controlProblem(s);
    }

    private static String controlProblem(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                return "contains a control character";
            }
        }
        return null;
    }
}
