package ferry.wsus.wusp;

/**
 * An MS-WUSP fault to answer a request with (2.2.2.4): the ErrorCode, and the detail message (for InvalidParameters
 * the parameter at fault). The handler writes it as a SOAP fault with HTTP 500.
 */
public final class ClientFault extends Exception {
    private static final long serialVersionUID = 1L;

    /** MS-WUSP 2.2.2.4 error codes this server sends besides those of {@code SoapFault}. */
    public static final String CONFIG_CHANGED = "ConfigChanged";
    public static final String REGISTRATION_REQUIRED = "RegistrationRequired";

    private final String errorCode;

    public ClientFault(String errorCode, String message) {
        super(message, null, false, false);
        this.errorCode = errorCode;
    }

    public String errorCode() {
        return errorCode;
    }
}
