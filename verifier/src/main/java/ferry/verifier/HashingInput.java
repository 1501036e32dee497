package ferry.verifier;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * A volume file read once, in 1 MiB chunks: every chunk is hashed into the volume's SHA-256 and handed to a
 * {@link Chunks} consumer (which feeds entry digests by absolute offset) the moment it is read from the file, then
 * delivered to the reader above (the tar walk). {@link #skip} delivers nothing but still reads, so every byte of the
 * file is hashed exactly once whatever the reader does, and {@link #drain} reads what the reader left.
 *
 * <p>Not thread-safe: one volume, one thread.
 */
final class HashingInput extends InputStream {
    /** Receives each chunk read from the file, with the file offset of its first byte. */
    interface Chunks {
        void accept(byte[] buf, int off, int len, long fileOffset);
    }

    private final InputStream file;
    private final MessageDigest sha256;
    private final Chunks chunks;
    private final byte[] buf;
    private final long limit;
    private int start;
    private int end;
    private long filled; // file bytes read (and hashed) so far
    private IOException fileFailure;

    /** @param limit bytes of the file to read at most (the manifest's size: a file grown since is cut off there) */
    HashingInput(InputStream file, MessageDigest sha256, Chunks chunks, int bufferSize, long limit) {
        this.file = file;
        this.limit = limit;
        this.sha256 = sha256;
        this.chunks = chunks;
        this.buf = new byte[bufferSize];
    }

    /** File offset of the next byte the reader will get. */
    long position() {
        return filled - (end - start);
    }

    /** Bytes read from the file (and hashed) so far. */
    long bytesRead() {
        return filled;
    }

    /** The I/O failure of the file itself, if a read failed (as opposed to the reader rejecting its content). */
    IOException fileFailure() {
        return fileFailure;
    }

    /** Reads and hashes the rest of the file, up to the limit. */
    void drain() throws IOException {
        while (fill()) {
            start = end;
        }
    }

    private boolean fill() throws IOException {
        if (start < end) {
            return true;
        }
        if (filled >= limit) {
            return false;
        }
        int n;
        try {
            n = file.read(buf, 0, (int) Math.min(buf.length, limit - filled));
        } catch (IOException e) {
            fileFailure = e;
            throw e;
        }
        if (n <= 0) {
            return false;
        }
        sha256.update(buf, 0, n);
        chunks.accept(buf, 0, n, filled);
        filled += n;
        start = 0;
        end = n;
        return true;
    }

    @Override
    public int read() throws IOException {
        return fill() ? buf[start++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, end - start);
        System.arraycopy(buf, start, b, off, n);
        start += n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long done = 0;
        while (done < n && fill()) {
            int k = (int) Math.min(n - done, end - start);
            start += k;
            done += k;
        }
        return done;
    }

    @Override
    public int available() {
        return end - start;
    }

    @Override
    public void close() {
        // the caller owns the file; the tar reader closing its input must not end the hashing early
    }
}
