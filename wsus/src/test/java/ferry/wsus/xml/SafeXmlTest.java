package ferry.wsus.xml;

import org.junit.jupiter.api.Test;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafeXmlTest {

    private static final XmlLimits SMALL = new XmlLimits(4, 3, 10, 200);

    @Test
    void externalEntityIsNeverRead() throws Exception {
        Path secret = Files.createTempFile("ferry-xxe", ".txt");
        Files.writeString(secret, "SECRET");
        String xml = "<!DOCTYPE r [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]><r>&x;</r>";
        XMLStreamException e = assertThrows(XMLStreamException.class, () -> drain(xml, XmlLimits.METADATA));
        assertFalse(String.valueOf(e.getMessage()).contains("SECRET"));
        assertTrue(e.getMessage().contains("DOCTYPE"), e.getMessage());
        Files.delete(secret);
    }

    @Test
    void billionLaughsIsRefused() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (int i = 1; i < 10; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i == 1 ? "" : i - 1) + ";").repeat(10)).append("\">");
        }
        String xml = dtd + "]><lolz>&lol9;</lolz>";
        assertThrows(XmlLimitException.class, () -> drain(xml, XmlLimits.METADATA));
    }

    @Test
    void parameterEntitiesAndExternalDtdAreRefused() {
        assertThrows(XMLStreamException.class, () -> drain(
                "<!DOCTYPE r SYSTEM \"http://127.0.0.1:1/evil.dtd\"><r/>", XmlLimits.METADATA));
        assertThrows(XMLStreamException.class, () -> drain(
                "<!DOCTYPE r [<!ENTITY % p SYSTEM \"http://127.0.0.1:1/x\"> %p;]><r/>", XmlLimits.METADATA));
    }

    @Test
    void limitsAreEnforced() {
        assertThrows(XMLStreamException.class, () -> drain("<a><b><c><d><e/></d></c></b></a>", SMALL));
        assertThrows(XMLStreamException.class, () -> drain("<a p='1' q='2' r='3' s='4'/>", SMALL));
        assertThrows(XmlLimitException.class, () -> drain("<a>01234567890</a>", SMALL));
        byte[] big = ("<a>" + "<b/>".repeat(100) + "</a>").getBytes(StandardCharsets.UTF_8);
        XMLStreamException e = assertThrows(XMLStreamException.class, () -> {
            XMLStreamReader r = SafeXml.reader(new ByteArrayInputStream(big), SMALL);
            while (r.hasNext()) {
                r.next();
            }
        });
        assertTrue(String.valueOf(e.getMessage()).contains("exceeds 200 bytes")
                || String.valueOf(e.getCause()).contains("exceeds 200 bytes"), String.valueOf(e));
    }

    @Test
    void ordinaryXmlWithCharacterReferencesReads() throws Exception {
        XMLStreamReader r = SafeXml.reader("<a x='1'>&lt;b&gt;&amp;&#xD;</a>", SMALL);
        assertEquals(XMLStreamConstants.START_ELEMENT, r.next());
        assertEquals("<b>&\r", r.getElementText());
    }

    @Test
    void reusedFactoriesKeepEveryLimitAcrossDocumentsAndThreads() throws Exception {
        // The factory is made once per thread and limits: a refused document must leave nothing behind that lets
        // the next hostile one through, and counts (depth, text) must not carry over into the next document.
        String deepest = "<a><b><c><d/></c></b></a>";
        String tooDeep = "<a><b><c><d><e/></d></c></b></a>";
        String xxe = "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/hostname\">]><r>&x;</r>";
        Runnable rounds = () -> {
            for (int i = 0; i < 300; i++) {
                assertThrows(XMLStreamException.class, () -> drain(tooDeep, SMALL));
                assertThrows(XMLStreamException.class, () -> drain(xxe, SMALL));
                assertThrows(XmlLimitException.class, () -> drain("<a>01234567890</a>", SMALL));
                try {
                    drain(deepest, SMALL);
                    drain("<a>0123456789</a>", SMALL);
                } catch (XMLStreamException e) {
                    throw new AssertionError("document within the limits refused at round " + i, e);
                }
            }
        };
        rounds.run();
        Thread other = new Thread(rounds);
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        other.setUncaughtExceptionHandler((t, e) -> failure.set(e));
        other.start();
        rounds.run();
        other.join();
        if (failure.get() != null) {
            throw new AssertionError("other thread", failure.get());
        }
    }

    private static void drain(String xml, XmlLimits limits) throws XMLStreamException {
        XMLStreamReader r = SafeXml.reader(xml, limits);
        while (r.hasNext()) {
            r.next();
        }
    }
}
