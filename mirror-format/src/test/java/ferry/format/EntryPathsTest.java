package ferry.format;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class EntryPathsTest {
    @Test
    void acceptsOrdinaryRelativePaths() {
        for (String ok : List.of("a", "wsus/content/AB/0123.cab", "dists/stable/main/binary-amd64/Packages.xz",
                "ünïcode/файл", "a/.hidden", "a/..b", "x".repeat(255))) {
            assertNull(EntryPaths.problem(ok), ok);
        }
    }

    @Test
    void refusesTraversalAndAmbiguity() {
        for (String bad : List.of("", "/etc/passwd", "../etc/passwd", "a/../../b", "a/..", "..", ".", "./a", "a/./b",
                "a//b", "a/", "a\\b", "..\\..\\windows", "C:/x", "c:x", "a:stream", "a\u0000b", "a\nb", "a\u007fb",
                "a\u0085b", "x".repeat(256), ("abcd/").repeat(205) + "x", "a\ud800b")) {
            assertNotNull(EntryPaths.problem(bad), bad);
        }
    }
}
