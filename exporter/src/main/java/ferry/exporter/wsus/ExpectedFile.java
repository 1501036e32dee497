package ferry.exporter.wsus;

import ferry.exporter.RemoteFile;
import ferry.wsus.ContentUrls;
import ferry.wsus.UpdateIdentity;
import ferry.wsus.metadata.UpdateFile;

import java.net.URI;
import java.util.Base64;
import java.util.HexFormat;

/**
 * One update file to carry, with what the metadata promises about it (MS-WSUSSS 3.1.1.1 {@code File}).
 *
 * @param owner      the first included revision naming it
 * @param file       name, size, SHA-1 and optional SHA-256 (base64)
 * @param remote     the same as the file stage fetches it: where to download it, size and digests
 * @param entryPath  {@code wsus/content/<XX>/<SHA1HEX>.<ext>}
 */
record ExpectedFile(UpdateIdentity owner, UpdateFile file, RemoteFile remote, String entryPath) {

    /** @throws IllegalArgumentException if the digest is not base64 SHA-1 or the name's extension is unusable */
    static ExpectedFile of(UpdateIdentity owner, UpdateFile file, URI url) {
        String hex = ContentUrls.sha1Hex(file.sha1Base64());
        String sha256Hex = null;
        if (file.sha256Base64() != null) {
            byte[] d = Base64.getDecoder().decode(file.sha256Base64());
            if (d.length != 32) {
                throw new IllegalArgumentException("SHA-256 digest of " + file.fileName() + " is not 32 bytes");
            }
            sha256Hex = HexFormat.of().formatHex(d);
        }
        return new ExpectedFile(owner, file, new RemoteFile(file.fileName(), "update " + owner, url, file.size(), hex,
                sha256Hex), "wsus/content/" + ContentUrls.relativePath(file.sha1Base64(), file.fileName()));
    }

    /** 40 upper-case hex digits. */
    String sha1Hex() {
        return remote.sha1Hex();
    }

    /** The extension without the dot, "" when none. */
    String extension() {
        return ContentUrls.extension(file.fileName());
    }
}
