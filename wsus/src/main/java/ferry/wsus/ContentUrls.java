package ferry.wsus;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Content URLs of an upstream server (MS-WSUSSS 2.1, 3.2.4.4): {@code /Content/<XX>/<SHA1HEX>.<ext>} where
 * {@code SHA1HEX} is the file's SHA-1 as 40 upper-case hex digits, {@code XX} its last two digits and {@code ext}
 * the extension of the file's original name. The same {@code <XX>/<SHA1HEX>.<ext>} names content in bundles.
 */
public final class ContentUrls {

    /** Prefix of content paths on a server. */
    public static final String PREFIX = "/Content/";

    private static final Pattern EXTENSION = Pattern.compile("[A-Za-z0-9]{1,16}");
    private static final Pattern PATH = Pattern.compile(
            "/Content/([0-9A-Fa-f]{2})/([0-9A-Fa-f]{40})(?:\\.([A-Za-z0-9]{1,16}))?");

    private ContentUrls() {
    }

    /**
     * A content path as parsed from a request.
     *
     * @param sha1Hex   40 upper-case hex digits
     * @param extension without the dot, as requested (may be empty)
     */
    public record ContentPath(String sha1Hex, String extension) {
    }

    /**
     * @param sha1Base64 base64 of a 20-byte SHA-1 (the metadata's {@code File/@Digest})
     * @return 40 upper-case hex digits
     * @throws IllegalArgumentException if it is not base64 of 20 bytes
     */
    public static String sha1Hex(String sha1Base64) {
        byte[] digest;
        try {
            digest = Base64.getDecoder().decode(sha1Base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SHA-1 digest is not base64: " + clip(sha1Base64));
        }
        if (digest.length != 20) {
            throw new IllegalArgumentException("SHA-1 digest is " + digest.length + " bytes, expected 20");
        }
        return HexFormat.of().withUpperCase().formatHex(digest);
    }

    /** The base64 form of a 40-digit hex SHA-1. */
    public static String sha1Base64(String sha1Hex) {
        if (sha1Hex.length() != 40) {
            throw new IllegalArgumentException("SHA-1 hex is not 40 digits");
        }
        return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha1Hex));
    }

    /**
     * The extension of an original file name, without the dot; "" if it has none.
     *
     * @throws IllegalArgumentException if the extension has characters other than letters and digits, or more
     *                                  than 16 (so a hostile file name cannot shape a path)
     */
    public static String extension(String fileName) {
        int slash = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
        int dot = fileName.lastIndexOf('.');
        if (dot <= slash || dot == fileName.length() - 1) {
            return "";
        }
        String ext = fileName.substring(dot + 1);
        if (!EXTENSION.matcher(ext).matches()) {
            throw new IllegalArgumentException("file name extension cannot be used in a content URL: " + clip(fileName));
        }
        return ext;
    }

    /** {@code <XX>/<SHA1HEX>.<ext>} (no leading slash). */
    public static String relativePath(String sha1Base64, String fileName) {
        String hex = sha1Hex(sha1Base64);
        String ext = extension(fileName);
        return hex.substring(38) + "/" + hex + (ext.isEmpty() ? "" : "." + ext);
    }

    /** {@code /Content/<XX>/<SHA1HEX>.<ext>}. */
    public static String path(String sha1Base64, String fileName) {
        return PREFIX + relativePath(sha1Base64, fileName);
    }

    /**
     * Parses a request path strictly: exactly {@code /Content/XX/<40 hex>[.ext]} with {@code XX} equal to the
     * last two digits; hex is accepted in either case and returned upper case. Anything else (encoded characters,
     * dot segments, extra slashes, a wrong folder) gives empty.
     */
    public static Optional<ContentPath> parse(String path) {
        if (path == null || path.length() > 80) {
            return Optional.empty();
        }
        Matcher m = PATH.matcher(path);
        if (!m.matches()) {
            return Optional.empty();
        }
        String hex = m.group(2).toUpperCase(Locale.ROOT);
        if (!m.group(1).toUpperCase(Locale.ROOT).equals(hex.substring(38))) {
            return Optional.empty();
        }
        return Optional.of(new ContentPath(hex, m.group(3) == null ? "" : m.group(3)));
    }

    private static String clip(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
