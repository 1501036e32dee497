package ferry.wsus.metadata;

/**
 * One {@code Files/File} element of update metadata.
 *
 * @param fileName     {@code @FileName}, the original name (its extension names the content URL)
 * @param size         {@code @Size} in bytes
 * @param sha1Base64   {@code @Digest}, base64 of the 20-byte SHA-1 ({@code DigestAlgorithm="SHA1"})
 * @param sha256Base64 {@code AdditionalDigest[@Algorithm="SHA256"]}, base64 of the 32-byte SHA-256, or null
 * @param modified     {@code @Modified} as written (ISO-8601), or null
 */
public record UpdateFile(String fileName, long size, String sha1Base64, String sha256Base64, String modified) {
}
