package ferry.apt.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ferry.apt.deb822.ControlFileReader;
import ferry.apt.deb822.Paragraph;
import ferry.apt.index.PackageEntry;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClosureTest {

    private static final List<PackageEntry> UNIVERSE = entries(
            pkg("app", "1.0", "amd64", "Depends: libfoo1 (>= 1.2), mail-transport-agent | default-mta\n"
                    + "Pre-Depends: dpkg\nRecommends: app-doc"),
            pkg("libfoo1", "1.1", "amd64", ""),
            pkg("libfoo1", "1.3", "amd64", "Depends: libc6"),
            pkg("libc6", "2.36-9", "amd64", ""),
            pkg("libc6", "2.36-9", "i386", ""),
            pkg("dpkg", "1.21", "amd64", ""),
            pkg("postfix", "3.7", "amd64", "Provides: mail-transport-agent"),
            pkg("default-mta", "1", "all", "Depends: postfix"),
            pkg("app-doc", "1.0", "all", ""),
            pkg("tool", "2", "amd64", "Depends: python3:any (>= 3.9), awk, libc6:i386"),
            pkg("python3", "3.11.2-1", "amd64", ""),
            pkg("mawk", "1.3.4", "amd64", "Provides: awk"),
            pkg("broken", "1", "amd64", "Depends: missing-lib (>= 2), libfoo1 (>= 9) | libfoo2"),
            pkg("versioned-user", "1", "amd64", "Depends: awk (>= 1)"));

    @Test
    void closureOverVersionsAlternativesAndVirtualPackages() {
        Closure.Result r = new Closure(UNIVERSE, "amd64").resolve(List.of("app"), false);
        assertEquals(List.of("app 1.0", "dpkg 1.21", "libc6 2.36-9", "libfoo1 1.3", "postfix 3.7"), names(r));
        assertTrue(r.unsatisfied().isEmpty(), r.unsatisfied().toString());

        Closure.Result withRecommends = new Closure(UNIVERSE, "amd64").resolve(List.of("app"), true);
        assertTrue(names(withRecommends).contains("app-doc 1.0"));
    }

    @Test
    void architectureQualifiers() {
        Closure.Result r = new Closure(UNIVERSE, "amd64").resolve(List.of("tool"), false);
        assertEquals(List.of("libc6 2.36-9", "mawk 1.3.4", "python3 3.11.2-1", "tool 2"), names(r));
        assertTrue(r.packages().stream().anyMatch(p -> p.name().equals("libc6") && p.architecture().equals("i386")),
                "libc6:i386 is a package of its own");
    }

    @Test
    void whatCannotBeMetIsNamedNeverDropped() {
        Closure.Result r = new Closure(UNIVERSE, "amd64").resolve(List.of("broken", "versioned-user", "nothing-*"), false);
        assertEquals(List.of("broken Depends: missing-lib (>= 2)", "broken Depends: libfoo1 (>= 9) | libfoo2",
                        "versioned-user Depends: awk (>= 1)",
                        "nothing-* selection: no package of architecture amd64 or all matches"),
                r.unsatisfied().stream().map(Object::toString).toList().stream().sorted(
                        (a, b) -> order(a) - order(b)).toList());
    }

    @Test
    void globsSelectByName() {
        Closure.Result r = new Closure(UNIVERSE, "amd64").resolve(List.of("lib*", "app-d?c"), false);
        assertEquals(List.of("app-doc 1.0", "libc6 2.36-9", "libfoo1 1.3"), names(r));
        assertTrue(new Closure(UNIVERSE, "amd64").resolve(List.of("lib(foo"), false).packages().isEmpty(),
                "regex characters are literal");
    }

    private static int order(String s) {
        return s.startsWith("broken Depends: missing") ? 0 : s.startsWith("broken") ? 1 : s.startsWith("versioned") ? 2 : 3;
    }

    private static List<String> names(Closure.Result r) {
        return r.packages().stream().map(p -> p.name() + " " + p.version()).distinct().toList();
    }

    private static String pkg(String name, String version, String arch, String extra) {
        return "Package: " + name + "\nVersion: " + version + "\nArchitecture: " + arch + "\n"
                + (extra.isEmpty() ? "" : extra + "\n") + "Filename: pool/main/" + name + "_" + version + "_" + arch
                + ".deb\nSize: 100\nSHA256: " + "d".repeat(64) + "\n";
    }

    private static List<PackageEntry> entries(String... paragraphs) {
        List<PackageEntry> out = new ArrayList<>();
        try (ControlFileReader r = new ControlFileReader(new StringReader(String.join("\n", paragraphs)), "test")) {
            Paragraph p;
            while ((p = r.next()) != null) {
                out.add(PackageEntry.of(p));
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return out;
    }
}
