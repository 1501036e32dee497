package ferry.apt.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DebianVersionTest {

    /** Each row: a < b. Debian Policy 5.6.12's own examples first, then epochs, revisions and digit runs. */
    @ParameterizedTest
    @CsvSource({
            "~~, ~~a", "~~a, ~", "~, ''", "'', a",        // Policy: ~~ < ~~a < ~ < (empty) < a
            "1.0~rc1, 1.0", "1.0, 1.0+b1", "1.0, 1.0.1", "1.0, 1.0a", "1.0a, 1.0.1",
            "1:0.1, 2:0.0", "9.9, 1:0.1", "1.0-1, 1.0-2", "1.0-9, 1.0-10", "1.0-1, 1.0.1-1",
            "1.0, 1.0-0.1", "1.2.3, 1.2.10", "2.4a, 2.30", "1.0~beta1-1, 1.0-1", "0.9+git20240101-1, 0.10-1",
            "1.0-1ubuntu1, 1.0-1ubuntu2", "7.6p1-4, 7.6p1-4+deb10u1", "2.36-9+deb12u1, 2.36-9+deb12u10"
    })
    void orderedAsDebianOrdersThem(String a, String b) throws Exception {
        if (a.isEmpty() || b.isEmpty()) {
            // Policy's example compares bare strings: the comparison of version parts, not whole versions
            assertTrue(DebianVersion.compareRuns(a, b) < 0, a + " < " + b);
            assertTrue(DebianVersion.compareRuns(b, a) > 0);
            return;
        }
        DebianVersion va = DebianVersion.parse(a);
        DebianVersion vb = DebianVersion.parse(b);
        assertTrue(va.compareTo(vb) < 0, a + " < " + b);
        assertTrue(vb.compareTo(va) > 0, b + " > " + a);
    }

    @Test
    void equalInOrderButNotInText() throws Exception {
        assertEquals(0, DebianVersion.parse("1.0").compareTo(DebianVersion.parse("1.00")));
        assertEquals(0, DebianVersion.parse("1.0").compareTo(DebianVersion.parse("0:1.0-0")));
        assertTrue(!DebianVersion.parse("1.0").equals(DebianVersion.parse("1.00")));
        DebianVersion v = DebianVersion.parse("2:1.2-3-4");
        assertEquals(2, v.epoch());
        assertEquals("1.2-3", v.upstreamVersion());
        assertEquals("4", v.revision());
    }

    @ParameterizedTest
    @CsvSource({"''", "a:1.0", ":1.0", "1:", "1.0-", "-1", "1.0 beta", "1.0_1", "1:2:3-4_5", "99999999999:1", "1.0-a-b_c"})
    void malformedVersionsAreRefused(String text) {
        InvalidVersionException e = assertThrows(InvalidVersionException.class, () -> DebianVersion.parse(text));
        assertTrue(e.getMessage().contains("'" + text + "'") || text.isEmpty() || text.length() > 20, e.getMessage());
    }

    @Test
    void colonsInTheUpstreamVersionNeedAnEpoch() throws Exception {
        assertEquals("2:3", DebianVersion.parse("1:2:3").upstreamVersion());
        assertThrows(InvalidVersionException.class, () -> DebianVersion.parse("1.0:3-1x"));
        assertThrows(InvalidVersionException.class, () -> DebianVersion.parse("1".repeat(DebianVersion.MAX_LENGTH + 1)));
    }

    /** dpkg, the reference: 400 random pairs compared by {@code dpkg --compare-versions} and by this class. */
    @Test
    void agreesWithDpkg() throws Exception {
        assumeTrue(new File("/usr/bin/dpkg").canExecute(), "dpkg is not installed");
        Random random = new Random(5_612);
        List<String[]> pairs = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String a = randomVersion(random);
            // half the pairs share a prefix, so the interesting tails get compared
            String b = random.nextBoolean() ? randomVersion(random) : mutate(a, random);
            pairs.add(new String[] {a, b});
        }
        int compared = 0;
        for (String[] p : pairs) {
            int ours = Integer.signum(DebianVersion.parse(p[0]).compareTo(DebianVersion.parse(p[1])));
            int dpkg = dpkgLess(p[0], p[1]) ? -1 : dpkgLess(p[1], p[0]) ? 1 : 0;
            assertEquals(dpkg, ours, p[0] + " vs " + p[1]);
            compared++;
        }
        assertEquals(400, compared);
    }

    private static boolean dpkgLess(String a, String b) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/dpkg", "--compare-versions", a, "lt", b)
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        int rc = p.waitFor();
        if (rc > 1) {
            throw new AssertionError("dpkg failed (" + rc + ") on " + a + " " + b);
        }
        return rc == 0;
    }

    private static String randomVersion(Random r) {
        StringBuilder sb = new StringBuilder();
        if (r.nextInt(5) == 0) {
            sb.append(r.nextInt(3)).append(':');
        }
        sb.append(r.nextInt(20));
        sb.append(part(r, "0123456789.+~abz", 1 + r.nextInt(6)));
        if (r.nextBoolean()) {
            sb.append('-').append(r.nextInt(10)).append(part(r, "0123456789.+~abu", r.nextInt(5)));
        }
        return sb.toString();
    }

    private static String mutate(String v, Random r) {
        int hyphen = v.lastIndexOf('-');
        String head = hyphen < 0 ? v : v.substring(0, hyphen);
        String tail = hyphen < 0 ? "" : v.substring(hyphen);
        return head + part(r, "0123456789.+~ab", 1 + r.nextInt(3)) + tail;
    }

    private static String part(Random r, String alphabet, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
