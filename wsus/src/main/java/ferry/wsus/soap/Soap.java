package ferry.wsus.soap;

/** Namespaces and fixed values of MS-WSUSSS SOAP messages (MS-WSUSSS 2.2.1). */
public final class Soap {

    /** SOAP 1.1 envelope. */
    public static final String NS_ENVELOPE = "http://schemas.xmlsoap.org/soap/envelope/";
    /** SOAP 1.2 envelope. */
    public static final String NS_ENVELOPE_12 = "http://www.w3.org/2003/05/soap-envelope";
    public static final String NS_XSI = "http://www.w3.org/2001/XMLSchema-instance";
    public static final String NS_XSD = "http://www.w3.org/2001/XMLSchema";
    /** Server Sync Web Service target namespace and SOAPAction base. */
    public static final String NS_SERVER_SYNC = "http://www.microsoft.com/SoftwareDistribution";
    /** DSS Authorization Web Service target namespace and SOAPAction base. */
    public static final String NS_DSS_AUTH = "http://www.microsoft.com/SoftwareDistribution/Server/DssAuthWebService";

    /** Media type of SOAP 1.1 requests and responses. */
    public static final String CONTENT_TYPE = "text/xml; charset=utf-8";

    /** The only authorization plug-in of the protocol (3.1.4.1). */
    public static final String PLUGIN_DSS_TARGETING = "DssTargeting";
    /** Protocol version ferry speaks (1.7). */
    public static final String PROTOCOL_VERSION = "1.20";

    public static final String SERVER_SYNC_PATH = "/ServerSyncWebService/ServerSyncWebService.asmx";
    public static final String DSS_AUTH_PATH = "/DssAuthWebService/DssAuthWebService.asmx";
    /** The Reporting Web Service a DSS of protocol 1.3 or later calls after each synchronization (3.1.4.13-17). */
    public static final String REPORTING_PATH = "/ReportingWebService/ReportingWebService.asmx";
    /** The same service at the address its WSDL names (MS-WUSP, section 8 of the protocol notes). */
    public static final String REPORTING_WSDL_PATH = "/ReportingWebService/WebService.asmx";
    /** GetAuthConfig's ServiceUrl: relative to the server root (3.1.4.1.3.3). */
    public static final String DSS_AUTH_SERVICE_URL = "DssAuthWebService/DssAuthWebService.asmx";

    private Soap() {
    }
}
