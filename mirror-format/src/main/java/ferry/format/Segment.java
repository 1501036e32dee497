package ferry.format;

import java.util.Objects;

/**
 * A contiguous run of an entry's bytes inside one volume file.
 *
 * @param volume volume name, e.g. {@code volume-0002.tar}
 * @param offset byte offset of the first data byte within the volume file (past the tar member's
 *               headers; always a multiple of 512), &ge; 512
 * @param length number of bytes, &ge; 1
 */
public record Segment(String volume, long offset, long length) {
    public Segment {
        Objects.requireNonNull(volume, "volume");
        if (BundleLayout.volumeIndex(volume) < 0) {
            throw new IllegalArgumentException("bad volume name: " + volume);
        }
        if (offset < 512 || offset % 512 != 0) {
            throw new IllegalArgumentException("segment offset must be a positive multiple of 512: " + offset);
        }
        if (length < 1) {
            throw new IllegalArgumentException("segment length must be >= 1: " + length);
        }
    }
}
