package ferry.apt.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ferry.apt.deb822.ControlFileException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReleaseFileTest {
    private static final String HASH = "a".repeat(64);
    private static final String RELEASE = """
            Origin: Example
            Label: Example
            Suite: stable
            Codename: demo
            Date: Sat, 11 Jul 2026 10:16:37 UTC
            Valid-Until: Sat, 18 Jul 2026 10:16:37 UTC
            Acquire-By-Hash: yes
            Architectures: all amd64 arm64
            Components: main contrib
            MD5Sum:
             0ed6d4c8891eb86358b94bb35d9e4da4  1484322 main/binary-amd64/Packages
            SHA256:
             %s  1484322 main/binary-amd64/Packages
             %s    98581 main/binary-amd64/Packages.xz
            """.formatted(HASH, "b".repeat(64));

    @Test
    void theFieldsAFetchNeeds() throws Exception {
        ReleaseFile r = ReleaseFile.parse(RELEASE);
        assertEquals("stable", r.suite());
        assertEquals("demo", r.codename());
        assertEquals(Instant.parse("2026-07-11T10:16:37Z"), r.date());
        assertEquals(Instant.parse("2026-07-18T10:16:37Z"), r.validUntil().orElseThrow());
        assertTrue(r.acquireByHash());
        assertEquals(List.of("all", "amd64", "arm64"), r.architectures());
        assertEquals(List.of("main", "contrib"), r.components());
        assertEquals(2, r.sha256().size());
        ReleaseFile.IndexFile xz = r.index("main/binary-amd64/Packages.xz").orElseThrow();
        assertEquals("b".repeat(64), xz.sha256());
        assertEquals(98581, xz.size());
        assertFalse(r.expiredAt(Instant.parse("2026-07-18T10:16:37Z")));
        assertTrue(r.expiredAt(Instant.parse("2026-07-18T10:16:38Z")));
    }

    @Test
    void hostileOrBrokenReleasesAreRefused() {
        assertTrue(fail(RELEASE.replace("main/binary-amd64/Packages.xz", "../../../etc/passwd")).contains("unsafe path"));
        assertTrue(fail(RELEASE.replace("main/binary-amd64/Packages.xz", "/etc/passwd")).contains("unsafe path"));
        assertTrue(fail(RELEASE.replace("main/binary-amd64/Packages.xz", "main/binary-amd64/Packages"))
                .contains("listed twice"));
        assertTrue(fail(RELEASE.replace("b".repeat(64), "XYZ")).contains("not '<sha256> <size> <path>'"));
        assertTrue(fail(RELEASE.replace("Date: Sat, 11 Jul 2026 10:16:37 UTC\n", "")).contains("no Date field"));
        assertTrue(fail(RELEASE.replace("Valid-Until: Sat, 18 Jul 2026", "Valid-Until: someday")).contains("Valid-Until"));
        assertTrue(fail(RELEASE.substring(0, RELEASE.indexOf("SHA256:"))).contains("no SHA256 field"));
        assertTrue(fail("").contains("empty"));
    }

    private static String fail(String text) {
        return assertThrows(ControlFileException.class, () -> ReleaseFile.parse(text)).getMessage();
    }
}
