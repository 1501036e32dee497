package ferry.wsus.soap;

import java.util.Locale;

/**
 * The MS-WSUSSS web methods ferry speaks (3.1.4.1 - 3.1.4.18, without the driver methods). Each request body holds
 * one element named like the operation, in the operation's namespace; the SOAPAction is that namespace, "/", and
 * the name. Each is served by one of three web services ({@link Service}).
 */
public enum Operation {
    GET_AUTH_CONFIG("GetAuthConfig", Soap.NS_SERVER_SYNC, Service.SERVER_SYNC),
    GET_AUTHORIZATION_COOKIE("GetAuthorizationCookie", Soap.NS_DSS_AUTH, Service.DSS_AUTH),
    GET_COOKIE("GetCookie", Soap.NS_SERVER_SYNC, Service.SERVER_SYNC),
    GET_CONFIG_DATA("GetConfigData", Soap.NS_SERVER_SYNC, Service.SERVER_SYNC),
    GET_REVISION_ID_LIST("GetRevisionIdList", Soap.NS_SERVER_SYNC, Service.SERVER_SYNC),
    GET_UPDATE_DATA("GetUpdateData", Soap.NS_SERVER_SYNC, Service.SERVER_SYNC),
    GET_UPDATE_DECRYPTION_DATA("GetUpdateDecryptionData", Soap.NS_SERVER_SYNC, Service.SERVER_SYNC),
    GET_DEPLOYMENTS("GetDeployments", Soap.NS_SERVER_SYNC, Service.SERVER_SYNC),
    DOWNLOAD_FILES("DownloadFiles", Soap.NS_SERVER_SYNC, Service.SERVER_SYNC),
    PING("Ping", Soap.NS_SERVER_SYNC, Service.SERVER_SYNC),
    GET_ROLLUP_CONFIGURATION("GetRollupConfiguration", Soap.NS_SERVER_SYNC, Service.REPORTING),
    ROLLUP_DOWNSTREAM_SERVERS("RollupDownstreamServers", Soap.NS_SERVER_SYNC, Service.REPORTING),
    ROLLUP_COMPUTERS("RollupComputers", Soap.NS_SERVER_SYNC, Service.REPORTING),
    GET_OUT_OF_SYNC_COMPUTERS("GetOutOfSyncComputers", Soap.NS_SERVER_SYNC, Service.REPORTING),
    ROLLUP_COMPUTER_STATUS("RollupComputerStatus", Soap.NS_SERVER_SYNC, Service.REPORTING);

    /** The web service (one .asmx path) that answers an operation. */
    public enum Service {
        /** {@value Soap#SERVER_SYNC_PATH} */
        SERVER_SYNC,
        /** {@value Soap#DSS_AUTH_PATH} */
        DSS_AUTH,
        /** {@value Soap#REPORTING_PATH} */
        REPORTING
    }

    private final String elementName;
    private final String namespace;
    private final Service service;

    Operation(String elementName, String namespace, Service service) {
        this.elementName = elementName;
        this.namespace = namespace;
        this.service = service;
    }

    /** The web service that answers this operation. */
    public Service service() {
        return service;
    }

    /** Request element name, e.g. {@code GetCookie}. */
    public String elementName() {
        return elementName;
    }

    /** {@code <name>Response}. */
    public String responseElement() {
        return elementName + "Response";
    }

    /** {@code <name>Result}. */
    public String resultElement() {
        return elementName + "Result";
    }

    public String namespace() {
        return namespace;
    }

    /** The SOAPAction value, without quotes. */
    public String soapAction() {
        return namespace + "/" + elementName;
    }

    /** True for the operation served by the DSS Authorization Web Service rather than the Server Sync one. */
    public boolean isDssAuth() {
        return service == Service.DSS_AUTH;
    }

    /** The operation whose request element this is, or null. */
    public static Operation fromElement(String namespace, String localName) {
        for (Operation op : values()) {
            if (op.elementName.equals(localName) && op.namespace.equals(namespace)) {
                return op;
            }
        }
        return null;
    }

    /** The operation for a SOAPAction header value (quotes optional), or null. */
    public static Operation fromSoapAction(String header) {
        if (header == null) {
            return null;
        }
        String action = header.trim();
        if (action.length() >= 2 && action.startsWith("\"") && action.endsWith("\"")) {
            action = action.substring(1, action.length() - 1);
        }
        for (Operation op : values()) {
            if (op.soapAction().toLowerCase(Locale.ROOT).equals(action.toLowerCase(Locale.ROOT))) {
                return op;
            }
        }
        return null;
    }
}
