package ferry.format;

import java.io.IOException;

/**
 * A bundle, or a part of one read from outside, breaks the bundle format (docs/bundle-format.md).
 *
 * <p>{@link #field()} names where: a manifest JSON field path such as {@code entries[3].size}, or a file
 * of the bundle such as {@code signatures/ABCD.asc}. The message starts with that location.
 */
public class BundleFormatException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String field;

    /**
     * @param field JSON field path or bundle-relative file name; {@code "(document)"} for the manifest as a whole
     * @param message what is wrong, one line
     */
    public BundleFormatException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** JSON field path or bundle-relative file name the problem is at. */
    public String field() {
        return field;
    }
}
