package ferry.store;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Strict checks and the one spelling the catalog uses for each kind of identifier, for the store and the source
 * catalogs ({@link SourceCatalog}). Each throws {@link StoreException} naming {@code what}. Anything that becomes part
 * of a file path or a catalog key passes through here first, so a hostile bundle cannot name {@code ../x}.
 */
public final class Ids {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern SHA1 = Pattern.compile("[0-9a-fA-F]{40}");
    private static final Pattern GUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Ids() {
    }

    /** The 64-digit lower-case form, or StoreException naming {@code what}. */
    public static String sha256(String hex, String what) {
        if (hex == null || !SHA256.matcher(hex).matches()) {
            throw new StoreException(what + ": not a SHA-256 (64 hex digits): " + quote(hex));
        }
        return hex.toLowerCase(Locale.ROOT);
    }

    /** The 40-digit upper-case form, or StoreException naming {@code what}. */
    public static String sha1(String hex, String what) {
        if (hex == null || !SHA1.matcher(hex).matches()) {
            throw new StoreException(what + ": not a SHA-1 (40 hex digits): " + quote(hex));
        }
        return hex.toUpperCase(Locale.ROOT);
    }

    /** The lower-case GUID form, or StoreException naming {@code what}. */
    public static String guid(String id, String what) {
        if (id == null || !GUID.matcher(id).matches()) {
            throw new StoreException(what + ": not an update id (GUID): " + quote(id));
        }
        return id.toLowerCase(Locale.ROOT);
    }

    /** A non-blank single-line name of at most {@code max} characters. */
    public static String name(String value, int max, String what) {
        if (value == null || value.isBlank() || value.length() > max || value.chars().anyMatch(Character::isISOControl)) {
            throw new StoreException(what + ": must be 1 to " + max + " printable characters: " + quote(value));
        }
        return value;
    }

    /** Quotes and shortens untrusted text for a one-line message. */
    public static String quote(String s) {
        if (s == null) {
            return "null";
        }
        String shown = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        StringBuilder b = new StringBuilder("\"");
        shown.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.append('"').toString();
    }
}
