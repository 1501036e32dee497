package ferry.wsus.server;

import org.eclipse.jetty.http.content.HttpContent;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContentFilesTest {

    private static final String SHA1 = "87F5BD0469585006AA5D3A77D1C662FD2895DDCD";

    @TempDir
    Path dir;

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** What {@code content.writeTo} writes for the range, collected from every buffer it hands on. */
    private static byte[] written(HttpContent content, long offset, long length) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        boolean[] done = {false};
        Content.Sink sink = (last, buffer, callback) -> {
            byte[] chunk = new byte[buffer.remaining()];
            buffer.get(chunk);
            out.write(chunk, 0, chunk.length);
            callback.succeeded();
        };
        content.writeTo(sink, offset, length, Callback.from(() -> done[0] = true, failure::set));
        if (failure.get() != null) {
            throw new AssertionError("writeTo failed", failure.get());
        }
        assertTrue(done[0], "writeTo completed");
        return out.toByteArray();
    }

    @Test
    void rangesAcrossMappedPiecesGiveTheFilesBytes() throws Exception {
        byte[] data = bytes(10_000, 1);
        Path file = dir.resolve("object");
        Files.write(file, data);
        ContentFiles files = new ContentFiles(8, 1_000); // mapped in ten pieces of 1,000 bytes
        HttpContent content = files.get(SHA1, file);
        assertNotNull(content);
        assertEquals(data.length, content.getContentLengthValue());
        assertEquals("\"" + SHA1 + "\"", content.getETagValue());
        assertArrayEquals(data, written(content, 0, -1), "the whole file");
        long[][] ranges = {{0, 1}, {999, 2}, {1000, 1000}, {999, 1002}, {1234, 5678}, {9_999, 1}, {0, 10_000},
                {2_500, 7_500}, {3_000, 4_000}};
        for (long[] r : ranges) {
            assertArrayEquals(Arrays.copyOfRange(data, (int) r[0], (int) (r[0] + r[1])), written(content, r[0], r[1]),
                    "bytes " + r[0] + " +" + r[1]);
        }
    }

    @Test
    void metadataIsWorkedOutOnceAndKeptWhileTheFileIsUnchanged() throws Exception {
        Path file = dir.resolve("object");
        Files.write(file, bytes(4096, 2));
        FileTime modified = FileTime.fromMillis(1_700_000_000_000L);
        Files.setLastModifiedTime(file, modified);
        ContentFiles files = new ContentFiles();
        HttpContent first = files.get(SHA1, file);
        assertEquals("Tue, 14 Nov 2023 22:13:20 GMT", first.getLastModified().getValue());
        assertEquals("4096", first.getContentLength().getValue());
        assertSame(first, files.get(SHA1, file), "the same file: the same content, no new mapping");
    }

    @Test
    void aFileThatWentIsNotServedAndAReplacedOneIsMappedAfresh() throws Exception {
        Path file = dir.resolve("object");
        byte[] before = bytes(5000, 3);
        Files.write(file, before);
        ContentFiles files = new ContentFiles();
        HttpContent first = files.get(SHA1, file);
        assertArrayEquals(before, written(first, 0, -1));

        Path quarantine = dir.resolve("quarantined");
        Files.move(file, quarantine);
        assertNull(files.get(SHA1, file), "moved away (quarantined): not served");
        assertEquals(0, files.size());

        // The same path again, a new file (as an import writes an object: to a temporary file, then renamed).
        byte[] after = bytes(5000, 4);
        Path tmp = dir.resolve("tmp");
        Files.write(tmp, after);
        Files.setLastModifiedTime(tmp, Files.getLastModifiedTime(quarantine));
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        HttpContent again = files.get(SHA1, file);
        assertArrayEquals(after, written(again, 0, -1), "the new file's bytes, not the old mapping's");

        Path other = dir.resolve("renamed-over");
        Files.write(other, before);
        Files.setLastModifiedTime(other, Files.getLastModifiedTime(file));
        Files.move(other, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertArrayEquals(before, written(files.get(SHA1, file), 0, -1),
                "same size and time, another file (its key differs): mapped afresh");
    }

    @Test
    void directoriesAreNotContentAndTheCacheStaysBounded() throws Exception {
        ContentFiles files = new ContentFiles(3, 1 << 20);
        assertNull(files.get(SHA1, dir), "a directory");
        assertNull(files.get(SHA1, dir.resolve("absent")));
        for (int i = 0; i < 10; i++) {
            Path f = dir.resolve("f" + i);
            Files.write(f, bytes(100 + i, i));
            assertNotNull(files.get(String.format("%040d", i), f));
            assertTrue(files.size() <= 3, "at most 3 remembered, " + files.size());
        }
        Path empty = dir.resolve("empty");
        Files.write(empty, new byte[0]);
        assertArrayEquals(new byte[0], written(files.get(SHA1, empty), 0, -1), "an empty file");
        assertEquals(0, files.get(SHA1, empty).getContentLengthValue());
    }
}
