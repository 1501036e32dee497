package ferry.apt.fetch;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Passes at most {@code limit} bytes, then reports end of stream and remembers whether more were there. */
final class BoundedInputStream extends FilterInputStream {
    private long left;
    private boolean overflowed;

    BoundedInputStream(InputStream in, long limit) {
        super(in);
        this.left = limit;
    }

    boolean overflowed() {
        return overflowed;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (left <= 0) {
            if (!overflowed && in.read() >= 0) {
                overflowed = true;
            }
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, left));
        if (n > 0) {
            left -= n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        return super.skip(Math.min(n, Math.max(left, 0)));
    }
}
