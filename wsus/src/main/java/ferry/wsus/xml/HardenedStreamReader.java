package ferry.wsus.xml;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.util.StreamReaderDelegate;

/**
 * Second line of defence behind the factory settings: refuses DTDs and entity references outright (the factory
 * already leaves them unexpanded) and enforces depth, attribute and text limits independently of the JDK's own
 * properties, so a different StAX implementation on the class path cannot silently loosen them.
 */
final class HardenedStreamReader extends StreamReaderDelegate {

    private final XmlLimits limits;
    private int depth;

    HardenedStreamReader(XMLStreamReader reader, XmlLimits limits) {
        super(reader);
        this.limits = limits;
    }

    @Override
    public int next() throws XMLStreamException {
        int event = super.next();
        check(event);
        return event;
    }

    @Override
    public int nextTag() throws XMLStreamException {
        // The delegate's nextTag would call the wrapped reader's next() and bypass the checks.
        int event = next();
        while (event == CHARACTERS && isWhiteSpace() || event == CDATA && isWhiteSpace()
                || event == SPACE || event == PROCESSING_INSTRUCTION || event == COMMENT) {
            event = next();
        }
        if (event != START_ELEMENT && event != END_ELEMENT) {
            throw new XMLStreamException("expected an element, found event " + event, getLocation());
        }
        return event;
    }

    @Override
    public String getElementText() throws XMLStreamException {
        if (getEventType() != START_ELEMENT) {
            throw new XMLStreamException("getElementText needs a start tag", getLocation());
        }
        StringBuilder text = new StringBuilder();
        while (true) {
            int event = next();
            switch (event) {
                case CHARACTERS, CDATA, SPACE -> {
                    text.append(getText());
                    if (text.length() > limits.maxTextChars()) {
                        throw new XmlLimitException("text of element exceeds " + limits.maxTextChars() + " characters");
                    }
                }
                case PROCESSING_INSTRUCTION, COMMENT -> { }
                case END_ELEMENT -> {
                    return text.toString();
                }
                case START_ELEMENT -> throw new XMLStreamException("element text expected, found a child element",
                        getLocation());
                default -> throw new XMLStreamException("unexpected event " + event + " in element text", getLocation());
            }
        }
    }

    private void check(int event) throws XMLStreamException {
        switch (event) {
            case XMLStreamConstants.DTD -> throw new XmlLimitException("DOCTYPE declarations are not accepted");
            case XMLStreamConstants.ENTITY_REFERENCE, XMLStreamConstants.ENTITY_DECLARATION ->
                    throw new XmlLimitException("entity references are not accepted");
            case XMLStreamConstants.START_ELEMENT -> {
                if (++depth > limits.maxDepth()) {
                    throw new XmlLimitException("element nesting exceeds " + limits.maxDepth() + " levels");
                }
                if (getAttributeCount() > limits.maxAttributes()) {
                    throw new XmlLimitException("element <" + getLocalName() + "> has more than "
                            + limits.maxAttributes() + " attributes");
                }
            }
            case XMLStreamConstants.END_ELEMENT -> depth--;
            case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                if (getTextLength() > limits.maxTextChars()) {
                    throw new XmlLimitException("character data exceeds " + limits.maxTextChars() + " characters");
                }
            }
            default -> { }
        }
    }
}
