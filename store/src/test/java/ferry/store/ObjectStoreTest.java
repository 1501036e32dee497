package ferry.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectStoreTest {
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
    void storesContentUnderItsDigest() throws Exception {
        byte[] data = Fixtures.bytes("update file content");
        String hex = Fixtures.sha256(data);
        Path p = store.putObject(new ByteArrayInputStream(data), hex, data.length);

        assertEquals(dir.resolve("objects/sha256/" + hex.substring(0, 2) + "/" + hex), p);
        assertEquals(p, store.objectPath(hex));
        assertTrue(store.hasObject(hex));
        assertTrue(store.hasObject(hex.toUpperCase(Locale.ROOT)), "digests are accepted in either case");
        try (InputStream in = store.openObject(hex)) {
            assertArrayEquals(data, in.readAllBytes());
        }
        assertTmpEmpty();
    }

    @Test
    void anExistingObjectIsNotReadAgain() {
        byte[] data = Fixtures.bytes("same content twice");
        String hex = Fixtures.put(store, data);
        InputStream mustNotBeRead = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("read an object that is already stored");
            }
        };
        assertEquals(store.objectPath(hex), store.putObject(mustNotBeRead, hex, data.length));
    }

    @Test
    void wrongDigestIsRefusedAndLeavesNothing() {
        byte[] data = Fixtures.bytes("tampered");
        String claimed = Fixtures.sha256(Fixtures.bytes("original"));
        StoreException e = assertThrows(StoreException.class,
                () -> store.putObject(new ByteArrayInputStream(data), claimed, data.length));
        assertTrue(e.getMessage().contains(claimed), e.getMessage());
        assertTrue(e.getMessage().contains(Fixtures.sha256(data)), "names the actual digest: " + e.getMessage());
        assertFalse(store.hasObject(claimed));
        assertTmpEmpty();
    }

    @Test
    void wrongSizeIsRefusedBothWays() {
        byte[] data = Fixtures.bytes("twelve bytes");
        String hex = Fixtures.sha256(data);
        StoreException shorter = assertThrows(StoreException.class,
                () -> store.putObject(new ByteArrayInputStream(data), hex, data.length + 1));
        assertTrue(shorter.getMessage().contains(hex) && shorter.getMessage().contains("expected 13"),
                shorter.getMessage());
        StoreException longer = assertThrows(StoreException.class,
                () -> store.putObject(new ByteArrayInputStream(data), hex, data.length - 1));
        assertTrue(longer.getMessage().contains("more than the expected 11 bytes"), longer.getMessage());
        assertThrows(StoreException.class, () -> store.putObject(new ByteArrayInputStream(data), hex, -1));
        assertFalse(store.hasObject(hex));
        assertTmpEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../../../../etc/passwd",
            "../aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "gaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
            "\u0661aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void hostileDigestsAreRefusedEverywhere(String hostile) {
        assertThrows(StoreException.class, () -> store.objectPath(hostile));
        assertThrows(StoreException.class, () -> store.hasObject(hostile));
        assertThrows(StoreException.class, () -> store.openObject(hostile));
        assertThrows(StoreException.class,
                () -> store.putObject(new ByteArrayInputStream(new byte[0]), hostile, 0));
        assertThrows(StoreException.class, () -> store.objectPath(null));
    }

    @Test
    void openingAMissingObjectNamesIt() {
        String hex = Fixtures.sha256(Fixtures.bytes("never stored"));
        StoreException e = assertThrows(StoreException.class, () -> store.openObject(hex));
        assertTrue(e.getMessage().contains(hex) && e.getMessage().contains("not in the store"), e.getMessage());
    }

    @Test
    void emptyObjectIsFine() {
        String hex = Fixtures.put(store, new byte[0]);
        assertTrue(store.hasObject(hex));
    }

    private void assertTmpEmpty() {
        try (Stream<Path> s = Files.list(dir.resolve("tmp"))) {
            assertEquals(0, s.count(), "tmp/ is empty");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
