package ferry.exporter;

import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A file a source type wants carried, as the file stage fetches it into the file cache: where to download it
 * and what its source's metadata promises about its bytes. A file is cached under its SHA-1 (or, when its source
 * gives none, as APT's Packages indexes do, under its SHA-256), so that no run downloads the same bytes twice
 * whichever channel or source names them.
 *
 * @param name      the file's name as its source gives it, for messages and progress
 * @param owner     what names the file, for messages (e.g. {@code update <updateId>-r<revision>})
 * @param url       where to download it (http or https)
 * @param size      its size in bytes
 * @param sha1Hex   its SHA-1, 40 hex digits (stored upper case), or null when the source gives none (then
 *                  {@code sha256Hex} is required)
 * @param sha256Hex its SHA-256, 64 hex digits (stored lower case), or null when the source gives none
 */
public record RemoteFile(String name, String owner, URI url, long size, String sha1Hex, String sha256Hex) {

    private static final Pattern SHA1 = Pattern.compile("[0-9a-fA-F]{40}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    /**
     * @throws IllegalArgumentException for a negative size, a digest that is not hex of the right length, or
     *                                  neither digest
     */
    public RemoteFile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(url, "url");
        if (size < 0) {
            throw new IllegalArgumentException("negative size of " + name + ": " + size);
        }
        if (sha1Hex == null && sha256Hex == null) {
            throw new IllegalArgumentException("no SHA-1 or SHA-256 digest of " + name);
        }
        if (sha1Hex != null) {
            if (!SHA1.matcher(sha1Hex).matches()) {
                throw new IllegalArgumentException("SHA-1 digest of " + name + " is not 40 hex digits");
            }
            sha1Hex = sha1Hex.toUpperCase(Locale.ROOT);
        }
        if (sha256Hex != null) {
            if (!SHA256.matcher(sha256Hex).matches()) {
                throw new IllegalArgumentException("SHA-256 digest of " + name + " is not 32 bytes");
            }
            sha256Hex = sha256Hex.toLowerCase(Locale.ROOT);
        }
    }

    /** Compares measured digests with the promised ones; null when they match, else what differs (one line). */
    public String mismatch(long measuredSize, byte[] sha1, byte[] sha256) {
        if (measuredSize != size) {
            return "size is " + measuredSize + " bytes, the metadata says " + size;
        }
        if (sha1Hex != null) {
            byte[] want1 = HexFormat.of().parseHex(sha1Hex);
            if (!MessageDigest.isEqual(want1, sha1)) {
                return "SHA-1 is " + HexFormat.of().formatHex(sha1) + ", the metadata says "
                        + HexFormat.of().formatHex(want1);
            }
        }
        if (sha256Hex != null) {
            byte[] want256 = HexFormat.of().parseHex(sha256Hex);
            if (!MessageDigest.isEqual(want256, sha256)) {
                return "SHA-256 is " + HexFormat.of().formatHex(sha256) + ", the metadata says "
                        + HexFormat.of().formatHex(want256);
            }
        }
        return null;
    }

    /** Same check against hex digests as the bundle writer reports them. */
    public String mismatchHex(long measuredSize, String measuredSha1Hex, String measuredSha256Hex) {
        return mismatch(measuredSize, HexFormat.of().parseHex(measuredSha1Hex), HexFormat.of().parseHex(measuredSha256Hex));
    }

    /**
     * The file's place in the file cache, relative to it: {@code <XX>/<SHA1HEX>} ({@code XX} its last two hex
     * digits), or {@code sha256/<xx>/<sha256hex>} for a file known by SHA-256 only.
     */
    String cachePath() {
        return sha1Hex != null ? sha1Hex.substring(38) + "/" + sha1Hex
                : "sha256/" + sha256Hex.substring(62) + "/" + sha256Hex;
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
}
