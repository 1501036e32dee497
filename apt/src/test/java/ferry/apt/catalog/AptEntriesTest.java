package ferry.apt.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ferry.format.Entry;
import ferry.format.Segment;
import ferry.store.BundleEntryException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The APT entries of a manifest, checked against the bundle contract before anything is copied. */
class AptEntriesTest {
    private static final String SHA = "ab".repeat(32);

    private static Entry entry(String path, String sha256, Map<String, String> source) {
        return new Entry(path, 10, sha256, "cd".repeat(20), "text/plain",
                List.of(new Segment("volume-0001.tar", 512, 10)), source);
    }

    private static final Entry RELEASE = entry("apt/dists/stable/InRelease", SHA,
            Map.of("kind", "apt-release", "suite", "stable"));
    private static final Entry PACKAGES = entry("apt/dists/stable/main/binary-amd64/Packages", SHA,
            Map.of("kind", "apt-packages", "suite", "stable", "component", "main", "architecture", "amd64"));

    @Test
    void sortsAContractBundle() throws Exception {
        Entry deb = entry("apt/pool/main/h/hello/hello_1_amd64.deb", "ef".repeat(32), Map.of("kind", "apt-deb",
                "package", "hello", "version", "1", "architecture", "amd64", "sha256", "ef".repeat(32)));
        AptEntries e = AptEntries.of(List.of(RELEASE, PACKAGES, deb));
        assertEquals(1, e.releases.size());
        assertEquals("main/binary-amd64/Packages", e.packages.get(0).indexPath());
        assertEquals(deb, e.debs.get("ef".repeat(32)).entry());
    }

    @Test
    void refusesEntriesThatBreakTheContract() {
        assertRefused("is not at apt/dists/stable/main/binary-i386/Packages", RELEASE, entry(
                "apt/dists/stable/main/binary-amd64/Packages", SHA, Map.of("kind", "apt-packages", "suite", "stable",
                        "component", "main", "architecture", "i386")));
        assertRefused("its Packages entry says", RELEASE, PACKAGES, entry("apt/pool/x.deb", "ef".repeat(32),
                Map.of("kind", "apt-deb", "package", "x", "version", "1", "architecture", "amd64", "sha256", SHA)));
        assertRefused("suite testing has no Release in the bundle", RELEASE, PACKAGES, entry(
                "apt/dists/testing/main/binary-amd64/Packages", SHA, Map.of("kind", "apt-packages", "suite", "testing",
                        "component", "main", "architecture", "amd64")));
        assertRefused("carries no suite", PACKAGES);
        assertRefused("has no Packages index", RELEASE);
        assertRefused("carries no suite", entry("apt/pool/x.deb", SHA, Map.of("kind", "apt-deb", "package", "x",
                "version", "1", "architecture", "amd64", "sha256", SHA)));
        assertRefused("not a usable name", entry("apt/dists/-bad/InRelease", SHA,
                Map.of("kind", "apt-release", "suite", "-bad")));
    }

    private static void assertRefused(String problem, Entry... entries) {
        BundleEntryException e = assertThrows(BundleEntryException.class, () -> AptEntries.of(List.of(entries)));
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }
}
