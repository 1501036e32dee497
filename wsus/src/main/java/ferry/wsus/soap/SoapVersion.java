package ferry.wsus.soap;

import java.util.Locale;

/**
 * The two SOAP versions MS-WSUSSS allows (1.7, 2.1): the choice is configured on both ends, not negotiated, so a
 * server answers each request in the version it came in. SOAP 1.1 travels as {@code text/xml} with a
 * {@code SOAPAction} header; SOAP 1.2 as {@code application/soap+xml} with the action as a media type parameter.
 */
public enum SoapVersion {
    SOAP_11("http://schemas.xmlsoap.org/soap/envelope/", "text/xml; charset=utf-8"),
    SOAP_12("http://www.w3.org/2003/05/soap-envelope", "application/soap+xml; charset=utf-8");

    private final String envelopeNamespace;
    private final String contentType;

    SoapVersion(String envelopeNamespace, String contentType) {
        this.envelopeNamespace = envelopeNamespace;
        this.contentType = contentType;
    }

    /** Namespace of Envelope, Body and Fault. */
    public String envelopeNamespace() {
        return envelopeNamespace;
    }

    /** Content-Type of messages in this version, with {@code charset=utf-8}. */
    public String contentType() {
        return contentType;
    }

    /** The version whose envelope namespace this is, or null. */
    public static SoapVersion ofEnvelope(String namespace) {
        for (SoapVersion v : values()) {
            if (v.envelopeNamespace.equals(namespace)) {
                return v;
            }
        }
        return null;
    }

    /**
     * The version a request's Content-Type announces: {@code application/soap+xml} is SOAP 1.2, anything else
     * (normally {@code text/xml}) SOAP 1.1, as ASP.NET decides.
     *
     * @param contentType the header value, or null
     */
    public static SoapVersion ofContentType(String contentType) {
        if (contentType != null && mediaType(contentType).equals("application/soap+xml")) {
            return SOAP_12;
        }
        return SOAP_11;
    }

    /**
     * The {@code action} parameter of a SOAP 1.2 Content-Type ({@code application/soap+xml; action="..."}), without
     * quotes, or null when there is none.
     */
    public static String actionParameter(String contentType) {
        if (contentType == null) {
            return null;
        }
        String[] parts = contentType.split(";");
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase("action")) {
                String v = p.substring(eq + 1).trim();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                }
                return v;
            }
        }
        return null;
    }

    private static String mediaType(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }
}
