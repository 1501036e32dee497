package ferry.format;

import java.util.HexFormat;

/** Lower-case hex, the only spelling of digests in the manifest. */
public final class Hex {
    private Hex() { }

    private static final HexFormat LOWER = HexFormat.of();

    /** Lower-case hex of {@code bytes}. */
    public static String lower(byte[] bytes) {
        return LOWER.formatHex(bytes);
    }

    /** Whether {@code s} is exactly {@code length} lower-case hex digits. */
    public static boolean isLower(String s, int length) {
        if (s == null || s.length() != length) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
