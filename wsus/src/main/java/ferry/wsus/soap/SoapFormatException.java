package ferry.wsus.soap;

/**
 * A SOAP message that is not well-formed, refused by the hardened parser, or lacks or garbles a required element.
 * {@link #parameter()} names the offending request parameter when there is one (for an InvalidParameters fault).
 */
public final class SoapFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String parameter;

    public SoapFormatException(String message) {
        this(message, null, null);
    }

    public SoapFormatException(String message, Throwable cause) {
        this(message, null, cause);
    }

    public SoapFormatException(String message, String parameter, Throwable cause) {
        super(message, cause);
        this.parameter = parameter;
    }

    /** The request parameter at fault (e.g. {@code updateIds}), or null. */
    public String parameter() {
        return parameter;
    }
}
