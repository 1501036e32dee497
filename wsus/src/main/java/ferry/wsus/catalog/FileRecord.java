package ferry.wsus.catalog;

import java.util.Objects;

/**
 * An update file as recorded in the catalog.
 *
 * @param sha1Hex  SHA-1 of the file, 40 hex digits (stored and returned in upper case, as in {@code /Content/} URLs)
 * @param sha256   SHA-256 of the file, 64 hex digits (stored and returned in lower case); names the object holding
 *                 the content, which must be in the store when the file is imported
 * @param size     size in bytes
 * @param fileName the file name from the update metadata
 * @param muUrl    the file's Microsoft Update URL from the metadata, or {@code null}
 */
public record FileRecord(String sha1Hex, String sha256, long size, String fileName, String muUrl) {
    public FileRecord {
        Objects.requireNonNull(sha1Hex, "sha1Hex");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(fileName, "fileName");
    }
}
