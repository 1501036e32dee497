package ferry.wsus.wusp;

/**
 * The MS-WUSP web methods a Windows Update Agent calls (MS-WUSP 2.2.2), each served by one of three web services.
 * The request body holds one element named like the operation, in its service's namespace; the SOAPAction is that
 * namespace, "/", and the name.
 */
public enum ClientOperation {
    /** MS-WUSP 2.2.2.1.1 */
    GET_AUTHORIZATION_COOKIE("GetAuthorizationCookie", Service.SIMPLE_AUTH),
    /** MS-WUSP 2.2.2.2.1 */
    GET_CONFIG("GetConfig", Service.CLIENT),
    /** MS-WUSP 2.2.2.2.2 */
    GET_COOKIE("GetCookie", Service.CLIENT),
    /** MS-WUSP 2.2.2.2.3 */
    REGISTER_COMPUTER("RegisterComputer", Service.CLIENT),
    /** MS-WUSP 2.2.2.2.4 */
    SYNC_UPDATES("SyncUpdates", Service.CLIENT),
    /** MS-WUSP 2.2.2.2.5 */
    REFRESH_CACHE("RefreshCache", Service.CLIENT),
    /** MS-WUSP 2.2.2.2.6 */
    GET_EXTENDED_UPDATE_INFO("GetExtendedUpdateInfo", Service.CLIENT),
    /** MS-WUSP 2.2.2.2.7 */
    GET_FILE_LOCATIONS("GetFileLocations", Service.CLIENT),
    /** MS-WUSP 2.2.2.2.8 */
    START_CATEGORY_SCAN("StartCategoryScan", Service.CLIENT),
    /** MS-WUSP 2.2.2.2.9 */
    SYNC_PRINTER_CATALOG("SyncPrinterCatalog", Service.CLIENT),
    /** MS-WUSP 2.2.2.2.10 */
    GET_EXTENDED_UPDATE_INFO2("GetExtendedUpdateInfo2", Service.CLIENT),
    /** MS-WUSP 2.2.2.3.1 */
    REPORT_EVENT_BATCH("ReportEventBatch", Service.REPORTING);

    /** A web service of MS-WUSP 2.1: its path (as IIS serves it, matched without regard to case) and namespace. */
    public enum Service {
        SIMPLE_AUTH("/SimpleAuthWebService/SimpleAuth.asmx",
                "http://www.microsoft.com/SoftwareDistribution/Server/SimpleAuthWebService"),
        CLIENT("/ClientWebService/client.asmx",
                "http://www.microsoft.com/SoftwareDistribution/Server/ClientWebService"),
        REPORTING("/ReportingWebService/ReportingWebService.asmx", "http://www.microsoft.com/SoftwareDistribution");

        private final String path;
        private final String namespace;

        Service(String path, String namespace) {
            this.path = path;
            this.namespace = namespace;
        }

        public String path() {
            return path;
        }

        public String namespace() {
            return namespace;
        }
    }

    private final String elementName;
    private final Service service;

    ClientOperation(String elementName, Service service) {
        this.elementName = elementName;
        this.service = service;
    }

    public String elementName() {
        return elementName;
    }

    public Service service() {
        return service;
    }

    public String namespace() {
        return service.namespace();
    }

    /** The SOAPAction value, without quotes. */
    public String soapAction() {
        return service.namespace() + "/" + elementName;
    }

    /** {@code <name>Response}. */
    public String responseElement() {
        return elementName + "Response";
    }

    /** {@code <name>Result}. */
    public String resultElement() {
        return elementName + "Result";
    }

    /** The operation whose request element this is, or null. */
    public static ClientOperation fromElement(String namespace, String localName) {
        for (ClientOperation op : values()) {
            if (op.elementName.equals(localName) && op.namespace().equals(namespace)) {
                return op;
            }
        }
        return null;
    }
}
