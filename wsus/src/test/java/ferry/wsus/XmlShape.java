package ferry.wsus;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/**
 * The information content of an XML document as a list of lines: start tags with namespace, attributes, text,
 * end tags. Two documents with equal shapes differ only in serialisation details ({@code <a/>} vs
 * {@code <a></a>}, prefixes, quoting).
 */
public final class XmlShape {

    private XmlShape() {
    }

    public static List<String> of(String xml) {
        try {
            XMLInputFactory f = XMLInputFactory.newDefaultFactory();
            f.setProperty(XMLInputFactory.IS_COALESCING, true);
            f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            XMLStreamReader r = f.createXMLStreamReader(new StringReader(xml));
            List<String> out = new ArrayList<>();
            while (r.hasNext()) {
                switch (r.next()) {
                    case XMLStreamConstants.START_ELEMENT -> {
                        StringBuilder sb = new StringBuilder("<{").append(r.getNamespaceURI() == null ? "" : r.getNamespaceURI())
                                .append('}').append(r.getLocalName());
                        for (int i = 0; i < r.getAttributeCount(); i++) {
                            sb.append(' ').append(r.getAttributeLocalName(i)).append('=').append(r.getAttributeValue(i));
                        }
                        out.add(sb.toString());
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> {
                        if (!r.isWhiteSpace()) {
                            out.add("text " + r.getText());
                        }
                    }
                    case XMLStreamConstants.END_ELEMENT -> out.add("</" + r.getLocalName());
                    default -> { }
                }
            }
            return out;
        } catch (Exception e) {
            throw new IllegalArgumentException("not XML: " + e.getMessage(), e);
        }
    }
}
