package ferry.exporter;

import ferry.wsus.ContentUrls;
import ferry.wsus.UpdateIdentity;
import ferry.wsus.metadata.UpdateFile;

import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * One update file to carry, with what the metadata promises about it (MS-WSUSSS 3.1.1.1 {@code File}).
 *
 * @param owner      the first included revision naming it
 * @param file       name, size, SHA-1 and optional SHA-256 (base64)
 * @param sha1Hex    40 upper-case hex digits
 * @param url        where to download it
 * @param entryPath  {@code wsus/content/<XX>/<SHA1HEX>.<ext>}
 */
record ExpectedFile(UpdateIdentity owner, UpdateFile file, String sha1Hex, URI url, String entryPath) {

    /** @throws IllegalArgumentException if the digest is not base64 SHA-1 or the name's extension is unusable */
    static ExpectedFile of(UpdateIdentity owner, UpdateFile file, URI url) {
        String hex = ContentUrls.sha1Hex(file.sha1Base64());
        if (file.sha256Base64() != null && decode(file.sha256Base64()).length != 32) {
            throw new IllegalArgumentException("SHA-256 digest of " + file.fileName() + " is not 32 bytes");
        }
        return new ExpectedFile(owner, file, hex, url, "wsus/content/" + ContentUrls.relativePath(file.sha1Base64(),
                file.fileName()));
    }

    /** The extension without the dot, "" when none. */
    String extension() {
        return ContentUrls.extension(file.fileName());
    }

    /** Compares measured digests with the metadata; null when they match, else what differs (one line). */
    String mismatch(long size, byte[] sha1, byte[] sha256) {
        if (size != file.size()) {
            return "size is " + size + " bytes, the metadata says " + file.size();
        }
        byte[] want1 = decode(file.sha1Base64());
        if (!MessageDigest.isEqual(want1, sha1)) {
            return "SHA-1 is " + HexFormat.of().formatHex(sha1) + ", the metadata says "
                    + HexFormat.of().formatHex(want1);
        }
        if (file.sha256Base64() != null) {
            byte[] want256 = decode(file.sha256Base64());
            if (!MessageDigest.isEqual(want256, sha256)) {
                return "SHA-256 is " + HexFormat.of().formatHex(sha256) + ", the metadata says "
                        + HexFormat.of().formatHex(want256);
            }
        }
        return null;
    }

    /** Same check against hex digests as the bundle writer reports them. */
    String mismatchHex(long size, String sha1Hex, String sha256Hex) {
        return mismatch(size, HexFormat.of().parseHex(sha1Hex), HexFormat.of().parseHex(sha256Hex));
    }

    static MessageDigest sha1() {
        return digest("SHA-1");
    }

    static MessageDigest sha256() {
        return digest("SHA-256");
    }

    private static MessageDigest digest(String alg) {
        try {
            return MessageDigest.getInstance(alg);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(alg + " is not available", e);
        }
    }

    private static byte[] decode(String b64) {
        return Base64.getDecoder().decode(b64);
    }
}
