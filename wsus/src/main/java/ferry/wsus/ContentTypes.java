package ferry.wsus;

import java.util.Locale;
import java.util.Map;

/**
 * Media types for update content by extension. Unified Update Platform files (.wim, .msu, .esd, .psf) must be
 * served with a type, or Windows clients fail (brief: "UUP content ... proper MIME types"); anything unknown is
 * {@code application/octet-stream}. One table for the bundle entries the exporter writes and the {@code /Content/}
 * responses the server sends.
 */
public final class ContentTypes {

    private static final Map<String, String> TYPES = Map.of(
            "cab", "application/vnd.ms-cab-compressed",
            "exe", "application/octet-stream",
            "msu", "application/octet-stream",
            "msp", "application/octet-stream",
            "msi", "application/octet-stream",
            "psf", "application/octet-stream",
            "wim", "application/x-ms-wim",
            "esd", "application/vnd.ms-cab-compressed",
            "xml", "text/xml",
            "txt", "text/plain");

    private ContentTypes() {
    }

    /** The media type for a file name extension without the dot, in either case, e.g. {@code cab}. */
    public static String forExtension(String extension) {
        return TYPES.getOrDefault(extension.toLowerCase(Locale.ROOT), "application/octet-stream");
    }
}
