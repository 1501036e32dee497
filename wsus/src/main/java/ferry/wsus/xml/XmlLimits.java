package ferry.wsus.xml;

/**
 * Bounds applied while parsing XML that came from outside the process.
 *
 * @param maxDepth      deepest element nesting accepted (root = 1)
 * @param maxAttributes most attributes on one element
 * @param maxTextChars  longest run of character data between two tags, in UTF-16 chars
 * @param maxInputBytes most bytes read from a byte stream (ignored for character input, which the caller bounds)
 */
public record XmlLimits(int maxDepth, int maxAttributes, int maxTextChars, long maxInputBytes) {

    /** Update metadata documents: deeply nested applicability rules, at most 16 MiB of text. */
    public static final XmlLimits METADATA = new XmlLimits(128, 64, 16 << 20, 64L << 20);

    /** SOAP requests a downstream server sends us (section 3.1.4): small. */
    public static final XmlLimits SOAP_REQUEST = new XmlLimits(32, 16, 1 << 20, 4L << 20);

    /** SOAP responses from an upstream server: large GetUpdateData batches, one blob per element. */
    public static final XmlLimits SOAP_RESPONSE = new XmlLimits(32, 16, 64 << 20, 256L << 20);

    public XmlLimits {
        if (maxDepth < 1 || maxAttributes < 0 || maxTextChars < 1 || maxInputBytes < 1) {
            throw new IllegalArgumentException("XML limits must be positive");
        }
    }
}
