package ferry.wsus.catalog;

import ferry.wsus.Fixtures;
import ferry.wsus.cab.CabBlob;
import ferry.wsus.metadata.UpdateDocument;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the import keeps for GetUpdateData: the cabinet of large documents only, the named files in text form. */
class ServedDocumentTest {

    @Test
    void largeDocumentsGetTheirCabinetSmallOnesNone() throws Exception {
        int withCabinet = 0;
        for (String name : Fixtures.DOC_NAMES) {
            String xml = Fixtures.doc(name);
            ServedDocument d = ServedDocument.of(xml, UpdateDocument.parse(xml));
            if (xml.length() * 2 > ServedDocument.COMPRESS_ABOVE_UTF16_BYTES) {
                withCabinet++;
                assertArrayEquals(CabBlob.encode(xml), d.cabinet(), name);
                assertEquals(xml, CabBlob.decode(d.cabinet()));
            } else {
                assertNull(d.cabinet(), name);
            }
            assertEquals(UpdateDocument.parse(xml).files().size(), d.files().size(), name);
            assertEquals(d.files(), ServedDocument.decodeFiles(ServedDocument.encodeFiles(d.files())), name);
        }
        assertTrue(withCabinet > 0 && withCabinet < Fixtures.DOC_NAMES.length, "both kinds among the fixtures");
        assertTrue(ServedDocument.sentCompressed("<a>\u0001</a>"), "text XML cannot carry travels compressed");
        assertFalse(ServedDocument.plainXmlSafe("\uFFFE"));
    }

    @Test
    void fileListsRoundTripAndNamesWithSeparatorsAreLeftToTheDocument() {
        List<ServedDocument.DocumentFile> files = List.of(
                new ServedDocument.DocumentFile("h/W9BGlYUAaqXTp30cZi/SiV3c0=", "AM_Delta.exe", 11606440),
                new ServedDocument.DocumentFile("AAAAAAAAAAAAAAAAAAAAAAAAAAA=", "name with spaces, é.cab", 0));
        assertEquals("h/W9BGlYUAaqXTp30cZi/SiV3c0=\t11606440\tAM_Delta.exe\n"
                + "AAAAAAAAAAAAAAAAAAAAAAAAAAA=\t0\tname with spaces, é.cab\n", ServedDocument.encodeFiles(files));
        assertEquals(files, ServedDocument.decodeFiles(ServedDocument.encodeFiles(files)));
        assertEquals("", ServedDocument.encodeFiles(List.of()));
        assertEquals(List.of(), ServedDocument.decodeFiles(""));
        assertNull(ServedDocument.decodeFiles(null));
        assertThrows(IllegalStateException.class, () -> ServedDocument.decodeFiles("x\t1\n"));
        assertThrows(IllegalStateException.class, () -> ServedDocument.decodeFiles("x\tbig\tname\n"));

        String xml = Fixtures.doc("266f6222-c89d-43f2-9f8a-69340271e677-r200");
        String tabbed = xml.replace("FileName=\"AM_Delta.exe\"", "FileName=\"AM&#9;Delta.exe\"");
        assertTrue(!tabbed.equals(xml), "the fixture names AM_Delta.exe");
        ServedDocument d = ServedDocument.of(tabbed, parse(tabbed));
        assertNull(d.files(), "a name holding a TAB is not kept in text form");
    }

    @Test
    void twoDocumentsWithTheSameCabinetBytesAreEqual() {
        List<ServedDocument.DocumentFile> files = List.of(new ServedDocument.DocumentFile("AAAAAAAAAAAAAAAAAAAAAAAAAAA=", "a.cab", 1));
        ServedDocument a = new ServedDocument(new byte[]{1, 2, 3}, files);
        ServedDocument b = new ServedDocument(new byte[]{1, 2, 3}, files);
        assertEquals(a, b, "read twice from a catalog, or from two stores holding the same revision");
        assertEquals(a.hashCode(), b.hashCode());
        assertTrue(!a.equals(new ServedDocument(new byte[]{1, 2, 4}, files)));
        assertTrue(!a.equals(new ServedDocument(null, files)));
        assertEquals(new ServedDocument(null, null), new ServedDocument(null, null));
    }

    private static UpdateDocument parse(String xml) {
        try {
            return UpdateDocument.parse(xml);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
