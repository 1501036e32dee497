package ferry.wsus.xml;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Walks a tree of elements with a StAX reader: {@link #nextChild()} steps to the next child element of the
 * element the cursor was in, skipping text, comments and processing instructions between elements.
 */
public final class StaxCursor {

    private final XMLStreamReader reader;

    public StaxCursor(XMLStreamReader reader) {
        this.reader = reader;
    }

    public XMLStreamReader reader() {
        return reader;
    }

    /** Moves to the document's root element. */
    public void root() throws XMLStreamException {
        while (reader.hasNext()) {
            if (reader.next() == XMLStreamConstants.START_ELEMENT) {
                return;
            }
        }
        throw new XMLStreamException("document has no root element");
    }

    /**
     * From a start tag (or just after a previous child's end tag), moves to the next child start tag.
     *
     * @return false when the enclosing element's end tag is reached (the cursor then stands on it)
     */
    public boolean nextChild() throws XMLStreamException {
        while (reader.hasNext()) {
            int event = reader.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                return true;
            }
            if (event == XMLStreamConstants.END_ELEMENT) {
                return false;
            }
            if ((event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) && !reader.isWhiteSpace()) {
                throw new XMLStreamException("unexpected text inside <" + parentHint() + ">", reader.getLocation());
            }
        }
        throw new XMLStreamException("document ends inside an element");
    }

    /** Local name of the current element. */
    public String name() {
        return reader.getLocalName();
    }

    /** Namespace URI of the current element ("" if none). */
    public String namespace() {
        String ns = reader.getNamespaceURI();
        return ns == null ? "" : ns;
    }

    public boolean is(String namespace, String localName) {
        return localName.equals(reader.getLocalName()) && namespace.equals(namespace());
    }

    /** Text content of the current (leaf) element; leaves the cursor on its end tag. */
    public String text() throws XMLStreamException {
        return reader.getElementText();
    }

    /** Skips the current element and all its descendants; leaves the cursor on its end tag. */
    public void skip() throws XMLStreamException {
        int depth = 1;
        while (depth > 0) {
            int event = reader.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
    }

    /** Attribute of the current element by local name (no namespace), or null. */
    public String attribute(String localName) {
        return reader.getAttributeValue(null, localName);
    }

    private String parentHint() {
        try {
            return reader.getLocalName();
        } catch (IllegalStateException e) {
            return "element";
        }
    }
}
