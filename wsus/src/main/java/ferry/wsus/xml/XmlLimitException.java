package ferry.wsus.xml;

import javax.xml.stream.XMLStreamException;

/** Raised when outside XML is refused: a DTD, an entity reference, or a size/depth/count limit exceeded. */
public final class XmlLimitException extends XMLStreamException {
    private static final long serialVersionUID = 1L;

    public XmlLimitException(String message) {
        super(message);
    }
}
