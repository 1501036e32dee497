package ferry.format;

import java.util.Objects;

/**
 * One volume file of a bundle.
 *
 * @param name   file name under {@code volumes/}, e.g. {@code volume-0001.tar}
 * @param size   size of the whole file in bytes (tar headers, padding and end-of-archive records included)
 * @param sha256 SHA-256 of the whole file, 64 lower-case hex digits
 */
public record Volume(String name, long size, String sha256) {
    public Volume {
        Objects.requireNonNull(name, "name");
        if (BundleLayout.volumeIndex(name) < 0) {
            throw new IllegalArgumentException("bad volume name: " + name);
        }
        if (size < 1024 || size % 512 != 0) {
            throw new IllegalArgumentException("volume size must be a multiple of 512 and >= 1024: " + size);
        }
        if (!Hex.isLower(sha256, 64)) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits");
        }
    }
}
