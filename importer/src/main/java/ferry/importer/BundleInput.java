package ferry.importer;

import ferry.format.Progress;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * An entry's bytes on their way from the bundle into the store: reports each chunk to {@link Progress} and marks
 * read failures as the bundle's ({@link Failure}), so that an error surfacing through
 * {@link ferry.store.Store#putObject} can be told apart from a failure to write the store.
 */
final class BundleInput extends FilterInputStream {

    /** Reading the bundle failed: a volume changed, vanished or was truncated after verification. */
    static final class Failure extends IOException {
        private static final long serialVersionUID = 1L;

        Failure(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private final Progress progress;

    BundleInput(InputStream in, Progress progress) {
        super(in);
        this.progress = progress;
    }

    @Override
    public int read() throws IOException {
        int b;
        try {
            b = super.read();
        } catch (IOException e) {
            throw new Failure(e);
        }
        if (b >= 0) {
            progress.advance(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n;
        try {
            n = super.read(buf, off, len);
        } catch (IOException e) {
            throw new Failure(e);
        }
        if (n > 0) {
            progress.advance(n);
        }
        return n;
    }

    /** The bundle-side failure in {@code t}'s cause chain, or null if the failure was not the bundle's. */
    static Failure find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof Failure f) {
                return f;
            }
        }
        return null;
    }
}
