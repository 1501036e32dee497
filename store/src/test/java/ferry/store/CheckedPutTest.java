package ferry.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PendingImport#putChecked}: objects whose digest the caller checked are stored without a second hash and made
 * durable in the background, yet nothing the caller did not vouch for becomes visible, and a commit or abort sees
 * every object settled.
 */
class CheckedPutTest {
    @TempDir
    Path dir;
    Store store;

    @BeforeEach
    void open() {
        store = Fixtures.open(dir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void manySmallObjectsAreInPlaceAfterAwaitDurable() throws IOException {
        List<String> names = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        try (PendingImport imp = store.beginImport()) {
            for (int i = 0; i < 500; i++) { // more than are ever in flight at once
                byte[] data = Fixtures.bytes("metadata document " + i);
                String hex = Fixtures.sha256(data);
                imp.putChecked(new ByteArrayInputStream(data), hex, data.length);
                names.add(hex);
                contents.add(data);
            }
            imp.awaitDurable();
            for (int i = 0; i < names.size(); i++) {
                assertTrue(store.hasObject(names.get(i)), names.get(i));
                assertArrayEquals(contents.get(i), Files.readAllBytes(store.objectPath(names.get(i))));
            }
            assertEquals(500, imp.objectsWritten());
            assertEquals(List.of(), tmpFiles(), "nothing staged is left");
        }
        for (String hex : names) {
            assertFalse(store.hasObject(hex), "aborted: given back " + hex);
        }
    }

    @Test
    void aStreamThatFailsBeforeItsEndLeavesNothing() throws IOException {
        byte[] data = Fixtures.bytes("the gate found these bytes wrong");
        String hex = Fixtures.sha256(data);
        try (PendingImport imp = store.beginImport()) {
            InputStream refused = new InputStream() {
                int pos;

                @Override
                public int read() throws IOException {
                    if (pos == data.length) {
                        throw new IOException("the bundle's bytes did not match the manifest");
                    }
                    return data[pos++] & 0xff;
                }
            };
            assertThrows(StoreException.class, () -> imp.putChecked(refused, hex, data.length));
            imp.awaitDurable();
            assertFalse(store.hasObject(hex));
            assertEquals(List.of(), tmpFiles());
        }
    }

    @Test
    void aWrongSizeIsRefusedAndLeavesNothing() throws IOException {
        byte[] data = Fixtures.bytes("eleven byte");
        String hex = Fixtures.sha256(data);
        try (PendingImport imp = store.beginImport()) {
            StoreException e = assertThrows(StoreException.class,
                    () -> imp.putChecked(new ByteArrayInputStream(data), hex, data.length - 1));
            assertTrue(e.getMessage().contains("more than the expected"), e.getMessage());
            assertThrows(StoreException.class,
                    () -> imp.putChecked(new ByteArrayInputStream(data), hex, data.length + 1));
            imp.awaitDurable();
            assertFalse(store.hasObject(hex));
            assertEquals(List.of(), tmpFiles());
        }
    }

    @Test
    void anObjectAlreadyBeingStoredIsNotReadAgain() {
        byte[] data = Fixtures.bytes("listed twice in one bundle");
        String hex = Fixtures.sha256(data);
        try (PendingImport imp = store.beginImport()) {
            imp.putChecked(new ByteArrayInputStream(data), hex, data.length);
            InputStream mustNotBeRead = new InputStream() {
                @Override
                public int read() {
                    throw new AssertionError("read again");
                }
            };
            imp.putChecked(mustNotBeRead, hex, data.length);
            imp.awaitDurable();
            assertTrue(store.hasObject(hex));
            assertEquals(1, imp.objectsWritten());
        }
    }

    @Test
    void commitWaitsUntilEveryObjectIsInPlace() {
        ImportRecord<ProbeWrite.Result> rec;
        try (PendingImport imp = store.beginImport()) {
            rec = StoreChild.sampleBundle((in, hex, size) -> {
                imp.putChecked(in, hex, size);
                return store.objectPath(hex);
            }, "b1", 1);
            imp.commit(rec);
        }
        for (String hex : rec.write().referencedObjects()) {
            assertTrue(store.hasObject(hex), "committed, so in place: " + hex);
        }
    }

    private List<Path> tmpFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("tmp"))) {
            return s.toList();
        }
    }
}
