package ferry.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes and reads back an entry several times larger than the test JVM's heap (surefire runs this
 * module with -Xmx96m), so any whole-file buffer would fail with OutOfMemoryError.
 */
class StreamingMemoryTest {
    @TempDir
    Path tmp;

    @Test
    void entryLargerThanHeapStreamsThroughVolumes() throws IOException {
        long size = 384L * 1024 * 1024;
        long max = Runtime.getRuntime().maxMemory();
        assertTrue(max < size / 2, "run with a small heap to make this test meaningful, max=" + max);
        Path dir = tmp.resolve("bundle");
        Manifest m;
        try (BundleWriter w = BundleWriter.create(dir, 100L * 1024 * 1024)) {
            w.add("big.bin", "application/octet-stream", Map.of(), new Pattern(size), size);
            m = w.finish(TestData.header(), List.of(TestData.signer()));
        }
        assertEquals(4, m.volumes().size());
        BundleReader r = BundleReader.open(dir);
        long n;
        try (InputStream in = r.openEntry(m.entries().get(0))) {
            n = in.transferTo(OutputStream.nullOutputStream()); // digest checked at end of stream
        }
        assertEquals(size, n);
    }

    /** A cheap endless-looking deterministic stream of {@code size} bytes. */
    private static final class Pattern extends InputStream {
        private final long size;
        private long pos;

        Pattern(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            return pos < size ? (int) (pos++ * 31 & 0xff) : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - pos);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) ((pos + i) * 31);
            }
            pos += n;
            return n;
        }
    }
}
