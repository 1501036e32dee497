package ferry.wsus.xml;

import ferry.wsus.internal.LimitedInputStream;

import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.XMLStreamWriter;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The one place that creates StAX readers for XML from outside the process (SOAP messages, update metadata).
 * Every reader refuses DTDs, external and internal entities, and enforces {@link XmlLimits}; violations surface
 * as {@link XmlLimitException} (an {@link XMLStreamException}). Text is coalesced, so one character event holds
 * the whole text between two tags.
 */
public final class SafeXml {

    private SafeXml() {
    }

    /** A hardened reader over character input; the caller bounds the input size. */
    public static XMLStreamReader reader(Reader input, XmlLimits limits) throws XMLStreamException {
        return new HardenedStreamReader(factory(limits).createXMLStreamReader(input), limits);
    }

    /** A hardened reader over a string. */
    public static XMLStreamReader reader(String input, XmlLimits limits) throws XMLStreamException {
        return reader(new StringReader(input), limits);
    }

    /**
     * A hardened reader over bytes (encoding from the XML declaration, UTF-8 by default), reading at most
     * {@link XmlLimits#maxInputBytes()} bytes.
     */
    public static XMLStreamReader reader(InputStream input, XmlLimits limits) throws XMLStreamException {
        InputStream bounded = new LimitedInputStream(input, limits.maxInputBytes(), "XML input");
        return new HardenedStreamReader(factory(limits).createXMLStreamReader(bounded), limits);
    }

    /** A UTF-8 writer (the JDK's own implementation, independent of the class path). */
    public static XMLStreamWriter writer(OutputStream out) throws XMLStreamException {
        return XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(out, StandardCharsets.UTF_8.name());
    }

    /**
     * The configured factory for these limits, made once per thread and limits: configuring a factory cost about as
     * much as parsing a small update document (an import parses hundreds of thousands). One per thread, because the
     * JDK's factory keeps state between createXMLStreamReader calls and promises no thread safety. Its settings are
     * never changed after {@link #newFactory}, so a reused factory refuses exactly what a new one refuses.
     */
    private static XMLInputFactory factory(XmlLimits limits) {
        return FACTORIES.get().computeIfAbsent(limits, SafeXml::newFactory);
    }

    /** Per thread, by limits; a handful of limits exist (XmlLimits constants), so the maps stay tiny. */
    private static final ThreadLocal<Map<XmlLimits, XMLInputFactory>> FACTORIES = ThreadLocal.withInitial(HashMap::new);

    private static XMLInputFactory newFactory(XmlLimits limits) {
        // newDefaultFactory: always the JDK implementation, whose security properties below are known.
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        f.setXMLResolver((publicId, systemId, baseUri, ns) -> {
            throw new XmlLimitException("external resources are not accepted: " + systemId);
        });
        f.setProperty("jdk.xml.maxElementDepth", limits.maxDepth());
        f.setProperty("jdk.xml.elementAttributeLimit", limits.maxAttributes());
        return f;
    }
}
