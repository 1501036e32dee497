package ferry.wsus.client;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The read timeout the JDK HTTP client lacks: a response body that delivers no byte for {@code readTimeout} is
 * closed under its reader, whose blocked {@code read} then fails with {@link StalledException}. Without it an
 * upstream that sends headers and then falls silent would hang a run for ever.
 */
public final class StallGuard {

    /** A body read that saw no byte within the read timeout. */
    public static final class StalledException extends IOException {
        private static final long serialVersionUID = 1L;

        StalledException(Duration timeout) {
            super("no data for " + timeout.toSeconds() + " s (read timeout)");
        }
    }

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ferry-read-timeout");
        t.setDaemon(true);
        return t;
    });

    private StallGuard() {
    }

    /** {@code in}, closed when a read waits longer than {@code readTimeout} (zero = no limit). */
    public static InputStream guard(InputStream in, Duration readTimeout) {
        return readTimeout.isZero() ? in : new Guarded(in, readTimeout);
    }

    private static final class Guarded extends FilterInputStream {
        private final Duration timeout;
        private volatile boolean stalled;

        Guarded(InputStream in, Duration timeout) {
            super(in);
            this.timeout = timeout;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            ScheduledFuture<?> alarm = TIMER.schedule(this::stall, timeout.toMillis(), TimeUnit.MILLISECONDS);
            int n;
            try {
                n = super.read(b, off, len);
            } catch (IOException e) {
                alarm.cancel(false);
                throw stalled ? new StalledException(timeout) : e;
            }
            alarm.cancel(false);
            if (stalled) {
                throw new StalledException(timeout);
            }
            return n;
        }

        private void stall() {
            stalled = true;
            try {
                in.close();
            } catch (IOException ignored) {
                // the reader learns of the stall from the flag
            }
        }
    }
}
