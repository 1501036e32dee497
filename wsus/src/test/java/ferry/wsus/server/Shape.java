package ferry.wsus.server;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The structure of an XML document for comparing a response with a recorded one: each element's namespace, local
 * name and attribute names, its children in order, and its text. Prefixes, quoting and {@code <a/>} versus
 * {@code <a></a>} do not count.
 */
record Shape(String namespace, String name, Set<String> attributes, List<Shape> children, String text) {

    static Shape of(String xml) {
        try {
            XMLInputFactory f = XMLInputFactory.newDefaultFactory();
            f.setProperty(XMLInputFactory.IS_COALESCING, true);
            f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            XMLStreamReader r = f.createXMLStreamReader(new StringReader(xml));
            while (r.next() != XMLStreamConstants.START_ELEMENT) {
                // prolog
            }
            return element(r);
        } catch (Exception e) {
            throw new IllegalArgumentException("not XML: " + e.getMessage(), e);
        }
    }

    private static Shape element(XMLStreamReader r) throws Exception {
        String ns = r.getNamespaceURI() == null ? "" : r.getNamespaceURI();
        String name = r.getLocalName();
        Set<String> attributes = new TreeSet<>();
        for (int i = 0; i < r.getAttributeCount(); i++) {
            String ans = r.getAttributeNamespace(i);
            attributes.add((ans == null || ans.isEmpty() ? "" : "{" + ans + "}") + r.getAttributeLocalName(i));
        }
        List<Shape> children = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        while (true) {
            int e = r.next();
            if (e == XMLStreamConstants.START_ELEMENT) {
                children.add(element(r));
            } else if (e == XMLStreamConstants.CHARACTERS || e == XMLStreamConstants.CDATA) {
                text.append(r.getText());
            } else if (e == XMLStreamConstants.END_ELEMENT) {
                return new Shape(ns, name, attributes, children, children.isEmpty() ? text.toString() : "");
            }
        }
    }

    /** {@code {namespace}name[attributes]}. */
    String label() {
        return "{" + namespace + "}" + name + (attributes.isEmpty() ? "" : attributes.toString());
    }

    /** The first child with this local name, or null. */
    Shape child(String localName) {
        for (Shape c : children) {
            if (c.name.equals(localName)) {
                return c;
            }
        }
        return null;
    }

    /** Every descendant (this included) with this local name, in document order. */
    List<Shape> all(String localName) {
        List<Shape> out = new ArrayList<>();
        collect(localName, out);
        return out;
    }

    private void collect(String localName, List<Shape> out) {
        if (name.equals(localName)) {
            out.add(this);
        }
        for (Shape c : children) {
            c.collect(localName, out);
        }
    }
}
