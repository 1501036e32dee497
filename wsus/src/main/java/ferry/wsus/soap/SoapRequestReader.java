package ferry.wsus.soap;

import ferry.wsus.UpdateIdentity;
import ferry.wsus.soap.Messages.AuthorizationCookie;
import ferry.wsus.soap.Messages.Cookie;
import ferry.wsus.soap.Messages.IdAndDelta;
import ferry.wsus.soap.Messages.LanguageAndDelta;
import ferry.wsus.soap.Messages.ServerSyncFilter;
import ferry.wsus.xml.StaxCursor;
import ferry.wsus.xml.XmlLimits;

import javax.xml.stream.XMLStreamException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** Reads requests on the upstream side (MS-WSUSSS 3.1.4) with the hardened parser and {@link XmlLimits#SOAP_REQUEST}. */
public final class SoapRequestReader {

    private SoapRequestReader() {
    }

    /**
     * Reads a SOAP 1.1 or SOAP 1.2 request.
     *
     * @param body the request body (the caller bounds its size)
     * @throws SoapFormatException for anything but a well-formed request for one of the known operations
     */
    public static SoapRequest read(InputStream body) throws SoapFormatException {
        return read(body, null);
    }

    /**
     * Reads a request in one SOAP version.
     *
     * @param body    the request body (the caller bounds its size)
     * @param version the version the request's Content-Type announced, or null for either
     * @throws SoapFormatException for anything but a well-formed request of that version for one of the known
     *                             operations; {@link SoapFormatException#parameter()} is null for an unknown operation
     */
    public static SoapRequest read(InputStream body, SoapVersion version) throws SoapFormatException {
        try {
            StaxCursor c = SoapInput.open(body, XmlLimits.SOAP_REQUEST, version).cursor();
            Operation op = Operation.fromElement(c.namespace(), c.name());
            if (op == null) {
                throw new SoapFormatException("unknown operation {" + c.namespace() + "}" + c.name());
            }
            return switch (op) {
                case GET_AUTH_CONFIG -> {
                    c.skip();
                    yield new SoapRequest.GetAuthConfig();
                }
                case GET_AUTHORIZATION_COOKIE -> authorizationCookie(c);
                case GET_COOKIE -> cookieRequest(c);
                case GET_CONFIG_DATA -> configData(c);
                case GET_REVISION_ID_LIST -> revisionIdList(c);
                case GET_UPDATE_DATA -> {
                    Ids ids = cookieAndIds(c);
                    yield new SoapRequest.GetUpdateData(ids.cookie, ids.ids);
                }
                case GET_UPDATE_DECRYPTION_DATA -> {
                    Ids ids = cookieAndIds(c);
                    yield new SoapRequest.GetUpdateDecryptionData(ids.cookie, ids.ids);
                }
                case GET_DEPLOYMENTS -> deployments(c);
                case DOWNLOAD_FILES -> downloadFiles(c);
                case PING -> {
                    c.skip();
                    yield new SoapRequest.Ping();
                }
                case GET_ROLLUP_CONFIGURATION, ROLLUP_DOWNSTREAM_SERVERS, ROLLUP_COMPUTERS, GET_OUT_OF_SYNC_COMPUTERS,
                        ROLLUP_COMPUTER_STATUS -> reporting(c, op);
            };
        } catch (XMLStreamException e) {
            throw new SoapFormatException("malformed or refused SOAP request: " + oneLine(e.getMessage()), e);
        } catch (SoapFaultException e) {
            throw new SoapFormatException("a request cannot be a SOAP fault");
        }
    }

    private static SoapRequest authorizationCookie(StaxCursor c) throws XMLStreamException {
        String name = null;
        String guid = null;
        while (c.nextChild()) {
            switch (c.name()) {
                case "accountName" -> name = c.text();
                case "accountGuid" -> guid = c.text().trim();
                default -> c.skip();
            }
        }
        return new SoapRequest.GetAuthorizationCookie(name, guid);
    }

    private static SoapRequest cookieRequest(StaxCursor c) throws XMLStreamException, SoapFormatException {
        List<AuthorizationCookie> auth = null;
        Cookie old = null;
        String version = null;
        while (c.nextChild()) {
            switch (c.name()) {
                case "authCookies" -> {
                    auth = new ArrayList<>();
                    while (c.nextChild()) {
                        if (auth.size() >= 16) {
                            throw new SoapFormatException("authCookies holds too many cookies", "authCookies", null);
                        }
                        String plugIn = null;
                        String data = null;
                        while (c.nextChild()) {
                            switch (c.name()) {
                                case "PlugInId" -> plugIn = c.text().trim();
                                case "CookieData" -> data = c.text().trim();
                                default -> c.skip();
                            }
                        }
                        auth.add(new AuthorizationCookie(plugIn, data));
                    }
                }
                case "oldCookie" -> old = SoapInput.cookie(c, "oldCookie");
                case "protocolVersion" -> version = c.text().trim();
                default -> c.skip();
            }
        }
        return new SoapRequest.GetCookie(auth, old, version);
    }

    private static SoapRequest configData(StaxCursor c) throws XMLStreamException, SoapFormatException {
        Cookie cookie = null;
        String anchor = null;
        while (c.nextChild()) {
            switch (c.name()) {
                case "cookie" -> cookie = SoapInput.cookie(c, "cookie");
                case "configAnchor" -> anchor = c.text();
                default -> c.skip();
            }
        }
        return new SoapRequest.GetConfigData(cookie, anchor);
    }

    private static SoapRequest revisionIdList(StaxCursor c) throws XMLStreamException, SoapFormatException {
        Cookie cookie = null;
        ServerSyncFilter filter = null;
        while (c.nextChild()) {
            switch (c.name()) {
                case "cookie" -> cookie = SoapInput.cookie(c, "cookie");
                case "filter" -> filter = filter(c);
                default -> c.skip();
            }
        }
        return new SoapRequest.GetRevisionIdList(cookie, filter);
    }

    private static ServerSyncFilter filter(StaxCursor c) throws XMLStreamException, SoapFormatException {
        String anchor = null;
        Boolean getConfig = null;
        List<IdAndDelta> categories = List.of();
        List<IdAndDelta> classifications = List.of();
        List<LanguageAndDelta> languages = new ArrayList<>();
        while (c.nextChild()) {
            switch (c.name()) {
                case "Anchor" -> anchor = c.text();
                case "GetConfig" -> getConfig = SoapInput.bool(c.text(), "filter");
                case "Categories" -> categories = idsAndDeltas(c);
                case "Classifications" -> classifications = idsAndDeltas(c);
                case "Languages" -> {
                    while (c.nextChild()) {
                        if (languages.size() >= 1000) {
                            throw new SoapFormatException("filter holds too many languages", "filter", null);
                        }
                        String id = null;
                        String delta = "false";
                        while (c.nextChild()) {
                            switch (c.name()) {
                                case "Id" -> id = c.text();
                                case "Delta" -> delta = c.text();
                                default -> c.skip();
                            }
                        }
                        if (id == null) {
                            throw new SoapFormatException("filter: LanguageAndDelta without Id", "filter", null);
                        }
                        languages.add(new LanguageAndDelta(SoapInput.integer(id, "filter"), SoapInput.bool(delta, "filter")));
                    }
                }
                default -> c.skip();
            }
        }
        if (getConfig == null) {
            throw new SoapFormatException("filter has no GetConfig", "filter", null);
        }
        return new ServerSyncFilter(anchor, getConfig, categories, classifications, languages);
    }

    private static List<IdAndDelta> idsAndDeltas(StaxCursor c) throws XMLStreamException, SoapFormatException {
        List<IdAndDelta> out = new ArrayList<>();
        while (c.nextChild()) {
            if (out.size() >= 10_000) {
                throw new SoapFormatException("filter holds too many categories", "filter", null);
            }
            String id = null;
            String delta = "false";
            while (c.nextChild()) {
                switch (c.name()) {
                    case "Id" -> id = c.text().trim();
                    case "Delta" -> delta = c.text();
                    default -> c.skip();
                }
            }
            if (id == null) {
                throw new SoapFormatException("filter: IdAndDelta without Id", "filter", null);
            }
            out.add(new IdAndDelta(SoapInput.guid(id, "filter"), SoapInput.bool(delta, "filter")));
        }
        return out;
    }

    private static SoapRequest deployments(StaxCursor c) throws XMLStreamException, SoapFormatException {
        Cookie cookie = null;
        String deploymentAnchor = null;
        String syncAnchor = null;
        while (c.nextChild()) {
            switch (c.name()) {
                case "cookie" -> cookie = SoapInput.cookie(c, "cookie");
                case "deploymentAnchor" -> deploymentAnchor = c.text();
                case "syncAnchor" -> syncAnchor = c.text();
                default -> c.skip();
            }
        }
        return new SoapRequest.GetDeployments(cookie, deploymentAnchor, syncAnchor);
    }

    /** Most digests one DownloadFiles may name (3.1.4.11.2.1); more are refused while reading. */
    public static final int MAX_DOWNLOAD_DIGESTS = 100;

    private static SoapRequest downloadFiles(StaxCursor c) throws XMLStreamException, SoapFormatException {
        Cookie cookie = null;
        List<String> digests = null;
        while (c.nextChild()) {
            switch (c.name()) {
                case "cookie" -> cookie = SoapInput.cookie(c, "cookie");
                case "fileDigestList" -> {
                    digests = new ArrayList<>();
                    while (c.nextChild()) {
                        if (digests.size() >= MAX_DOWNLOAD_DIGESTS) {
                            throw new SoapFormatException("fileDigestList holds more than " + MAX_DOWNLOAD_DIGESTS
                                    + " digests", "fileDigestList", null);
                        }
                        digests.add(c.text().trim());
                    }
                }
                default -> c.skip();
            }
        }
        return new SoapRequest.DownloadFiles(cookie, digests);
    }

    /** Reads nothing the server keeps: counts the items of the array parameter, skips everything else. */
    private static SoapRequest reporting(StaxCursor c, Operation op) throws XMLStreamException {
        int items = 0;
        while (c.nextChild()) {
            switch (c.name()) {
                case "downstreamServers", "computers", "lastRollupNumbers" -> {
                    while (c.nextChild()) {
                        items++;
                        c.skip();
                    }
                }
                default -> c.skip();
            }
        }
        return new SoapRequest.Reporting(op, items);
    }

    private record Ids(Cookie cookie, List<UpdateIdentity> ids) {
    }

    private static Ids cookieAndIds(StaxCursor c) throws XMLStreamException, SoapFormatException {
        Cookie cookie = null;
        List<UpdateIdentity> ids = null;
        while (c.nextChild()) {
            switch (c.name()) {
                case "cookie" -> cookie = SoapInput.cookie(c, "cookie");
                case "updateIds" -> ids = SoapInput.identities(c, "updateIds");
                default -> c.skip();
            }
        }
        return new Ids(cookie, ids);
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }
}
