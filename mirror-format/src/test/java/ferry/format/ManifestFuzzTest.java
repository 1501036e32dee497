package ferry.format;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fuzzes the manifest parser with arbitrary bytes. The only outcomes allowed: a manifest whose canonical
 * serialization is exactly the input (the format admits one spelling), or problems each naming a field. Any other
 * throwable (NullPointerException, IllegalStateException, OutOfMemoryError, StackOverflowError, ...) is a finding.
 * Seeds: {@code src/test/resources/ferry/format/ManifestFuzzTestInputs/manifest/} (manifests ferry's writer made,
 * the specification's example). Every build replays them; {@code JAZZER_FUZZ=1} fuzzes (see README, Testing).
 */
class ManifestFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void manifest(byte[] bytes) {
        ManifestCheck check = ManifestCodec.check(bytes);
        if (check.ok()) {
            assertNotNull(check.manifest());
            assertArrayEquals(bytes, ManifestCodec.write(check.manifest()), "an accepted manifest is canonical");
        } else {
            assertNull(check.manifest());
            assertTrue(check.problems().size() <= Limits.MAX_REPORTED_FIELD_ERRORS + 1, "problems are bounded");
            for (BundleFormatException p : check.problems()) {
                assertNotNull(p.field());
                assertFalse(p.getMessage().isBlank());
            }
        }
        try {
            Manifest m = ManifestCodec.read(Arrays.copyOf(bytes, bytes.length));
            assertTrue(check.ok(), "read accepts what check refuses");
            assertEquals(check.manifest(), m);
        } catch (BundleFormatException e) {
            if (check.ok()) {
                fail("read refuses what check accepts: " + e.getMessage());
            }
        }
    }
}
