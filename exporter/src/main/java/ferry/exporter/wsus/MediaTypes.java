package ferry.exporter.wsus;

import java.util.Locale;
import java.util.Map;

/**
 * Media types of update files by extension, for bundle entries. Same table as the wsus server's (which is
 * package-private there): Unified Update Platform files need real types or Windows clients refuse them.
 */
final class MediaTypes {

    private static final Map<String, String> TYPES = Map.of(
            "cab", "application/vnd.ms-cab-compressed",
            "esd", "application/vnd.ms-cab-compressed",
            "wim", "application/x-ms-wim",
            "xml", "text/xml",
            "txt", "text/plain");

    private MediaTypes() {
    }

    static String forExtension(String extension) {
        return TYPES.getOrDefault(extension.toLowerCase(Locale.ROOT), "application/octet-stream");
    }
}
