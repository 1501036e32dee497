package ferry.wsus.soap;

/**
 * A SOAP 1.1 fault with the MS-WSUSSS detail (2.2.9.1): {@code faultcode} is {@code soap:Client} or
 * {@code soap:Server}; {@code detail} holds unqualified ErrorCode, Message, ID and Method.
 *
 * @param faultCode   e.g. {@code soap:Client}
 * @param faultString human text ("Fault occurred" on real servers)
 * @param faultActor  the service URL, or null
 * @param errorCode   one of the {@code ErrorCode} values of 2.2.9.3, or null when the fault has none
 * @param message     detail message (the parameter name for InvalidParameters), possibly empty
 * @param id          a GUID naming this fault instance, or null
 * @param method      the quoted SOAPAction of the failed call, or null
 */
public record SoapFault(String faultCode, String faultString, String faultActor, String errorCode, String message,
                        String id, String method) {

    public static final String INVALID_PARAMETERS = "InvalidParameters";
    public static final String INVALID_COOKIE = "InvalidCookie";
    public static final String INTERNAL_SERVER_ERROR = "InternalServerError";
    public static final String INCOMPATIBLE_PROTOCOL_VERSION = "IncompatibleProtocolVersion";
    public static final String INVALID_AUTHORIZATION_COOKIE = "InvalidAuthorizationCookie";
    public static final String FILE_DIGESTS_MISSING = "FileDigestsMissing";
    public static final String SERVER_CHANGED = "ServerChanged";
    public static final String SERVER_BUSY = "ServerBusy";
    /** Not in 2.2.9.3 but sent by some servers for an expired cookie; handled like InvalidCookie. */
    public static final String COOKIE_EXPIRED = "CookieExpired";

    /** True for error codes caused by the caller ({@code soap:Client}), as real servers classify them. */
    public static boolean isClientError(String errorCode) {
        return INVALID_PARAMETERS.equals(errorCode) || INVALID_COOKIE.equals(errorCode)
                || INVALID_AUTHORIZATION_COOKIE.equals(errorCode) || INCOMPATIBLE_PROTOCOL_VERSION.equals(errorCode)
                || COOKIE_EXPIRED.equals(errorCode);
    }
}
