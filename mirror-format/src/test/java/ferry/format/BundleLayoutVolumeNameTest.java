package ferry.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Volume names are spelled and read without a Formatter or regex; the rules are those of the format's spelling. */
class BundleLayoutVolumeNameTest {
    @Test
    void everyIndexHasOneCanonicalNameThatReadsBack() {
        for (int i = 1; i <= Limits.MAX_VOLUMES; i++) {
            String name = BundleLayout.volumeName(i);
            assertEquals(String.format("volume-%04d.tar", i), name);
            assertEquals(i, BundleLayout.volumeIndex(name), name);
        }
        assertThrows(IllegalArgumentException.class, () -> BundleLayout.volumeName(0));
        assertThrows(IllegalArgumentException.class, () -> BundleLayout.volumeName(Limits.MAX_VOLUMES + 1));
    }

    @Test
    void otherSpellingsAreNotVolumeNames() {
        for (String bad : new String[] {"volume-0000.tar", "volume-00001.tar", "volume-001.tar", "volume-1.tar",
                "volume-100000.tar", "volume-0001.TAR", "Volume-0001.tar", "volume-0001.tar ", "volume-00a1.tar",
                "volume-\u0661\u0662\u0663\u0664.tar", "volume-+001.tar", "volume-0001.tgz", "volumes0001.tar", "",
                "volume-.tar", "volume-00000.tar"}) {
            assertEquals(-1, BundleLayout.volumeIndex(bad), bad);
        }
    }
}
