package ferry.apt.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ferry.apt.deb822.ControlFileReader;
import ferry.apt.deb822.Paragraph;
import ferry.apt.version.DebianVersion;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class PackageEntryTest {
    private static final String SHA = "c".repeat(64);
    private static final String HELLO = """
            Package: hello
            Source: hello (2.10-3)
            Version: 2.10-3+b1
            Architecture: amd64
            Multi-Arch: foreign
            Pre-Depends: dpkg (>= 1.19)
            Depends: libc6 (>= 2.34), default-mta | mail-transport-agent, python3:any (>> 3.9~), libfoo1 (= 1:2.0-1)
            Recommends: info-reader
            Provides: hello-world (= 2.10), greeter
            Filename: pool/main/h/hello/hello_2.10-3+b1_amd64.deb
            Size: 53116
            SHA256: %s
            Description: example package
             The GNU hello program.
            """.formatted(SHA);

    @Test
    void aRealShapedEntry() throws Exception {
        PackageEntry e = entry(HELLO);
        assertEquals("hello", e.name());
        assertEquals("2.10-3+b1", e.version().toString());
        assertEquals("hello", e.source());
        assertEquals("foreign", e.multiArch());
        assertEquals(4, e.depends().size());
        List<Relation> mta = e.depends().get(1);
        assertEquals(List.of("default-mta", "mail-transport-agent"), mta.stream().map(Relation::name).toList());
        Relation python = e.depends().get(2).get(0);
        assertEquals("any", python.archQualifier());
        assertEquals(">>", python.operator());
        assertEquals("1:2.0-1", e.depends().get(3).get(0).version().toString());
        assertEquals(">=", e.preDepends().get(0).get(0).operator());
        assertEquals("hello-world", e.provides().get(0).name());
        assertNull(e.provides().get(1).operator());
        assertEquals("pool/main/h/hello/hello_2.10-3+b1_amd64.deb", e.filename());
        assertEquals(53116, e.size());
    }

    @Test
    void versionConstraints() throws Exception {
        Relation libc = entry(HELLO).depends().get(0).get(0);
        assertTrue(libc.satisfiedBy(DebianVersion.parse("2.36-9+deb12u4")));
        assertFalse(libc.satisfiedBy(DebianVersion.parse("2.33-1")));
        assertFalse(libc.satisfiedBy(null), "a virtual package has no version to meet a constraint");
        Relation any = Relation.parseList("greeter", "Provides").get(0);
        assertTrue(any.satisfiedBy(null));
        Relation old = Relation.parseClauses("foo (< 2.0)", "Depends").get(0).get(0);
        assertEquals("<=", old.operator(), "the obsolete < means <=");
        assertEquals(List.of(), Relation.parseClauses(" \n", "Depends"));
        Relation build = Relation.parseClauses("debhelper-compat (= 13) [amd64] <!nocheck>", "Build-Depends").get(0).get(0);
        assertEquals("debhelper-compat", build.name());
    }

    @Test
    void hostileEntriesAreRefusedNamingPackageAndField() {
        assertTrue(fail(HELLO.replace("pool/main/h/hello/hello_2.10-3+b1_amd64.deb", "../../../../etc/shadow"))
                .startsWith("package hello (line 1): Filename: unsafe"));
        assertTrue(fail(HELLO.replace("pool/main/h/hello/", "/pool/")).contains("Filename: unsafe"));
        assertTrue(fail(HELLO.replace(SHA, "C".repeat(64))).contains("SHA256"));
        assertTrue(fail(HELLO.replace("Size: 53116", "Size: -1")).contains("Size"));
        assertTrue(fail(HELLO.replace("Version: 2.10-3+b1", "Version: 2.10 beta")).contains("Version"));
        assertTrue(fail(HELLO.replace("Package: hello", "Package: ../hello")).contains("Package: not a package name"));
        assertTrue(fail(HELLO.replace("libc6 (>= 2.34)", "libc6 (>= )")).contains("Depends: not a package relation"));
        assertTrue(fail(HELLO.replace("Provides: hello-world (= 2.10), greeter", "Provides: a | b"))
                .contains("Provides: alternatives"));
        assertTrue(fail(HELLO.replace("Multi-Arch: foreign", "Multi-Arch: sometimes")).contains("Multi-Arch"));
    }

    private static PackageEntry entry(String text) throws Exception {
        try (ControlFileReader r = new ControlFileReader(new StringReader(text), "Packages")) {
            Paragraph p = r.next();
            return PackageEntry.of(p);
        }
    }

    private static String fail(String text) {
        return assertThrows(IndexFormatException.class, () -> entry(text)).getMessage();
    }
}
