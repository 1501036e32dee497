package ferry.format;

import java.io.IOException;

/**
 * An entry's bytes, streamed from its segments, do not match the manifest: wrong size (a volume is
 * truncated or missing) or wrong SHA-256. Thrown by the stream from {@link BundleReader#openEntry} when
 * the mismatch is detected, at the latest at end of stream, so consumers must read to the end before
 * trusting what they read.
 */
public class EntryDigestException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String path;

    /**
     * @param path the entry path
     * @param message what is wrong, one line
     */
    public EntryDigestException(String path, String message) {
        super("entry " + path + ": " + message);
        this.path = path;
    }

    /** The entry path. */
    public String path() {
        return path;
    }
}
