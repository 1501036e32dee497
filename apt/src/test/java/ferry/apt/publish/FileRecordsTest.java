package ferry.apt.publish;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Index and snapshot files compare by their bytes, not by the identity of the array holding them. */
class FileRecordsTest {
    private static final byte[] PACKAGES = "Package: a\nVersion: 1\n\n".getBytes(StandardCharsets.UTF_8);

    @Test
    void indexFilesOfTheSameBytesAreEqual() {
        Map<String, IndexFiles.IndexFile> a = IndexFiles.of("main/binary-amd64/Packages", PACKAGES);
        Map<String, IndexFiles.IndexFile> b = IndexFiles.of("main/binary-amd64/Packages", PACKAGES.clone());
        assertEquals(a, b, "compressing the same index twice gives equal files");
        IndexFiles.IndexFile plain = a.get("main/binary-amd64/Packages");
        IndexFiles.IndexFile copy = new IndexFiles.IndexFile(plain.path(), plain.bytes().clone(), plain.sha256());
        assertEquals(plain, copy);
        assertEquals(plain.hashCode(), copy.hashCode());
        byte[] changed = plain.bytes().clone();
        changed[0] ^= 1;
        assertNotEquals(plain, new IndexFiles.IndexFile(plain.path(), changed, plain.sha256()),
                "different bytes under the same digest are not equal");
        assertNotEquals(plain, new IndexFiles.IndexFile("main/binary-i386/Packages", plain.bytes(), plain.sha256()));
        assertFalse(plain.toString().contains("[B@"), plain.toString());
        assertTrue(plain.toString().contains(PACKAGES.length + " bytes"), plain.toString());
    }

    @Test
    void snapshotFilesOfTheSameBytesAreEqual() {
        String sha = IndexFiles.sha256(PACKAGES);
        SnapshotFiles.File a = new SnapshotFiles.File("stable/main/binary-amd64/Packages", PACKAGES, sha);
        SnapshotFiles.File b = new SnapshotFiles.File("stable/main/binary-amd64/Packages", PACKAGES.clone(), sha);
        assertEquals(a, b, "read twice from a catalog, or from two stores holding the same snapshot");
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, new SnapshotFiles.File(a.path(), new byte[0], sha));
        assertNotEquals(a, new SnapshotFiles.File("stable/Release", PACKAGES, sha));
        assertFalse(a.toString().contains("[B@"), a.toString());
    }
}
