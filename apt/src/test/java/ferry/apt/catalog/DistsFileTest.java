package ferry.apt.catalog;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** A served file compares by its bytes, not by the identity of the array a catalog read filled. */
class DistsFileTest {

    @Test
    void twoReadsOfTheSameFileAreEqual() throws Exception {
        byte[] release = "Origin: site\nSuite: stable\n".getBytes(StandardCharsets.UTF_8);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(release));
        AptCatalog.DistsFile a = new AptCatalog.DistsFile("stable/Release", release, sha);
        AptCatalog.DistsFile b = new AptCatalog.DistsFile("stable/Release", release.clone(), sha);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        byte[] changed = release.clone();
        changed[0] ^= 1;
        assertNotEquals(a, new AptCatalog.DistsFile("stable/Release", changed, sha));
        assertNotEquals(a, new AptCatalog.DistsFile("stable/InRelease", release, sha));
        assertFalse(a.toString().contains("[B@"), a.toString());
    }
}
