package ferry.apt.deb822;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ControlFileReaderTest {

    @Test
    void paragraphsFieldsAndContinuationLines() throws Exception {
        String text = "# a comment\n\nPackage: hello\nVersion: 2.10-3\nDescription: example package\n"
                + " based on GNU hello\n .\n second paragraph\n\n\r\npackage: other\r\nversion: 1.0\r\n";
        List<Paragraph> ps = all(text);
        assertEquals(2, ps.size());
        Paragraph hello = ps.get(0);
        assertEquals("hello", hello.require("Package"));
        assertEquals("2.10-3", hello.require("version"), "names are not case-sensitive");
        assertEquals("example package\nbased on GNU hello\n\nsecond paragraph", hello.get("Description").orElseThrow());
        assertEquals(3, hello.line());
        assertEquals("1.0", ps.get(1).require("Version"), "CRLF line ends");
        assertEquals(11, ps.get(1).line());
    }

    @Test
    void malformedInputNamesTheLine() {
        assertEquals("Packages line 2: not a field (no 'Name:'): 'garbage'", fail("Package: a\ngarbage\n"));
        assertTrue(fail(" orphan continuation\n").contains("line 1: a continuation line outside any field"));
        assertTrue(fail("Package: a\nVersion: 1\nversion: 2\n").contains("line 3: field version appears twice"));
        assertTrue(fail("Package: a\u0000b\n").contains("line 1: control character U+0000"));
        assertTrue(fail("Package: " + "x".repeat(ControlFileReader.MAX_LINE_CHARS) + "\n").contains("line 1: a line over"));
        StringBuilder many = new StringBuilder();
        for (int i = 0; i <= ControlFileReader.MAX_FIELDS; i++) {
            many.append("F").append(i).append(": v\n");
        }
        assertTrue(fail(many.toString()).contains("more than " + ControlFileReader.MAX_FIELDS + " fields"));
        assertTrue(fail("-Bad: 1\n").contains("invalid field name"));
        assertTrue(fail(": empty name\n").contains("not a field"));
    }

    @Test
    void aMissingFieldIsNamedWithItsParagraph() throws Exception {
        Paragraph p = all("Package: a\n").get(0);
        ControlFileException e = assertThrows(ControlFileException.class, () -> p.require("Version"));
        assertEquals("line 1: the paragraph has no Version field", e.getMessage());
    }

    @Test
    void emptyInput() throws Exception {
        try (ControlFileReader r = new ControlFileReader(new StringReader("\n\n# only comments\n"), "x")) {
            assertNull(r.next());
        }
    }

    private static List<Paragraph> all(String text) throws Exception {
        List<Paragraph> out = new ArrayList<>();
        try (ControlFileReader r = new ControlFileReader(new StringReader(text), "Packages")) {
            Paragraph p;
            while ((p = r.next()) != null) {
                out.add(p);
            }
        }
        return out;
    }

    private static String fail(String text) {
        return assertThrows(ControlFileException.class, () -> all(text)).getMessage();
    }
}
