package ferry.wsus.wusp;

import ferry.wsus.UpdateIdentity;
import ferry.wsus.soap.Messages.Cookie;
import ferry.wsus.soap.SoapFaultException;
import ferry.wsus.soap.SoapFormatException;
import ferry.wsus.soap.SoapInput;
import ferry.wsus.soap.SoapVersion;
import ferry.wsus.wusp.ClientRequest.AuthorizationCookie;
import ferry.wsus.wusp.ClientRequest.CategoryRelationship;
import ferry.wsus.wusp.ClientRequest.ComputerInfo;
import ferry.wsus.wusp.ClientRequest.ReportingEvent;
import ferry.wsus.wusp.ClientRequest.SyncParameters;
import ferry.wsus.xml.StaxCursor;
import ferry.wsus.xml.XmlLimits;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLStreamException;

/**
 * Reads MS-WUSP requests (2.2.2) with the hardened parser and {@link XmlLimits#SOAP_REQUEST} (at most 4 MiB, no DTD,
 * no entities). On top of those, each array has a cap; a request over one is refused with a
 * {@link SoapFormatException} naming the parameter, which a server answers with the {@code InvalidParameters} fault
 * (MS-WUSP 2.2.2.4). Unknown child elements are skipped, as the protocol grows by adding them.
 */
public final class ClientRequestReader {
    /** The real server refused 401 installed non-leaf ids with InvalidParameters and took 400. */
    public static final int MAX_INSTALLED_NON_LEAF = 400;
    /** Other cached ids: the real server took 3,679; a client of a large catalog holds tens of thousands. */
    public static final int MAX_OTHER_CACHED = 200_000;
    /** Revision ids per GetExtendedUpdateInfo; the server advertises its own lower MaxExtendedUpdatesPerRequest. */
    public static final int MAX_EXTENDED_IDS = 10_000;
    public static final int MAX_FILE_DIGESTS = 10_000;
    public static final int MAX_DEVICES = 10_000;
    public static final int MAX_EVENTS = 10_000;
    public static final int MAX_STRINGS = 1_000;
    public static final int MAX_COMPUTER_FIELDS = 64;
    /** Longest name, time, id or version text, in characters. */
    public static final int MAX_NAME = 1_024;
    /** Longest attribute string (DeviceAttributes grows with every release) or event string, in characters. */
    public static final int MAX_TEXT = 65_536;

    private ClientRequestReader() {
    }

    /**
     * @param body    the request body (the caller bounds its size)
     * @param version the SOAP version the Content-Type announced, or null for either
     * @throws SoapFormatException for anything but a well-formed request of a known operation within the caps;
     *                             {@link SoapFormatException#parameter()} names the parameter at fault, and is null
     *                             for an unknown operation or a broken envelope
     */
    public static ClientRequest read(InputStream body, SoapVersion version) throws SoapFormatException {
        try {
            StaxCursor c = SoapInput.open(body, XmlLimits.SOAP_REQUEST, version).cursor();
            ClientOperation op = ClientOperation.fromElement(c.namespace(), c.name());
            if (op == null) {
                throw new SoapFormatException("unknown operation {" + c.namespace() + "}" + c.name());
            }
            return switch (op) {
                case GET_AUTHORIZATION_COOKIE -> authorizationCookie(c);
                case GET_CONFIG -> getConfig(c);
                case GET_COOKIE -> getCookie(c);
                case REGISTER_COMPUTER -> registerComputer(c);
                case SYNC_UPDATES -> syncUpdates(c);
                case REFRESH_CACHE -> refreshCache(c);
                case GET_EXTENDED_UPDATE_INFO -> extendedUpdateInfo(c);
                case GET_FILE_LOCATIONS -> fileLocations(c);
                case START_CATEGORY_SCAN -> startCategoryScan(c);
                case SYNC_PRINTER_CATALOG -> syncPrinterCatalog(c);
                case GET_EXTENDED_UPDATE_INFO2 -> extendedUpdateInfo2(c);
                case REPORT_EVENT_BATCH -> reportEventBatch(c);
            };
        } catch (XMLStreamException e) {
            throw new SoapFormatException("malformed or refused SOAP request: " + oneLine(e.getMessage()), e);
        } catch (SoapFaultException e) {
            throw new SoapFormatException("a request cannot be a SOAP fault");
        }
    }

    private static ClientRequest authorizationCookie(StaxCursor c) throws XMLStreamException, SoapFormatException {
        String clientId = null;
        String dnsName = null;
        String targetGroup = null;
        while (c.nextChild()) {
            switch (c.name()) {
                case "clientId" -> clientId = SoapInput.guid(c.text().trim(), "clientId");
                case "targetGroupName" -> targetGroup = text(c, "targetGroupName").trim();
                case "dnsName" -> dnsName = text(c, "dnsName");
                default -> c.skip();
            }
        }
        if (clientId == null) {
            throw new SoapFormatException("GetAuthorizationCookie has no clientId", "clientId", null);
        }
        return new ClientRequest.GetAuthorizationCookie(clientId,
                targetGroup == null || targetGroup.isEmpty() ? null : targetGroup, dnsName);
    }

    private static ClientRequest getConfig(StaxCursor c) throws XMLStreamException, SoapFormatException {
        String version = null;
        while (c.nextChild()) {
            if (c.name().equals("protocolVersion")) {
                version = text(c, "protocolVersion").trim();
            } else {
                c.skip();
            }
        }
        return new ClientRequest.GetConfig(version);
    }

    private static ClientRequest getCookie(StaxCursor c) throws XMLStreamException, SoapFormatException {
        List<AuthorizationCookie> auth = new ArrayList<>();
        Cookie old = null;
        String lastChange = null;
        String currentTime = null;
        String version = null;
        while (c.nextChild()) {
            switch (c.name()) {
                case "authCookies" -> {
                    while (c.nextChild()) {
                        cap(auth.size(), 16, "authCookies");
                        String plugIn = null;
                        String data = null;
                        while (c.nextChild()) {
                            switch (c.name()) {
                                case "PlugInId" -> plugIn = text(c, "PlugInId").trim();
                                case "CookieData" -> data = c.text().trim();
                                default -> c.skip();
                            }
                        }
                        auth.add(new AuthorizationCookie(plugIn, data));
                    }
                }
                case "oldCookie" -> old = SoapInput.cookie(c, "oldCookie");
                case "lastChange" -> lastChange = text(c, "lastChange").trim();
                case "currentTime" -> currentTime = text(c, "currentTime").trim();
                case "protocolVersion" -> version = text(c, "protocolVersion").trim();
                default -> c.skip();
            }
        }
        return new ClientRequest.GetCookie(auth, old, lastChange, currentTime, version);
    }

    private static ClientRequest registerComputer(StaxCursor c) throws XMLStreamException, SoapFormatException {
        Cookie cookie = null;
        ComputerInfo info = null;
        while (c.nextChild()) {
            switch (c.name()) {
                case "cookie" -> cookie = SoapInput.cookie(c, "cookie");
                case "computerInfo" -> {
                    Map<String, String> fields = new LinkedHashMap<>();
                    while (c.nextChild()) {
                        cap(fields.size(), MAX_COMPUTER_FIELDS, "computerInfo");
                        String name = c.name();
                        fields.put(name, text(c, "computerInfo/" + name).trim());
                    }
                    info = new ComputerInfo(fields);
                }
                default -> c.skip();
            }
        }
        if (info == null) {
            throw new SoapFormatException("RegisterComputer has no computerInfo", "computerInfo", null);
        }
        return new ClientRequest.RegisterComputer(cookie, info);
    }

    private static ClientRequest syncUpdates(StaxCursor c) throws XMLStreamException, SoapFormatException {
        Cookie cookie = null;
        SyncParameters parameters = null;
        while (c.nextChild()) {
            switch (c.name()) {
                case "cookie" -> cookie = SoapInput.cookie(c, "cookie");
                case "parameters" -> parameters = syncParameters(c);
                default -> c.skip();
            }
        }
        if (parameters == null) {
            throw new SoapFormatException("SyncUpdates has no parameters", "parameters", null);
        }
        return new ClientRequest.SyncUpdates(cookie, parameters);
    }

    private static SyncParameters syncParameters(StaxCursor c) throws XMLStreamException, SoapFormatException {
        boolean express = false;
        List<Integer> installed = null;
        List<Integer> other = null;
        int devices = -1;
        List<Integer> drivers = List.of();
        boolean skipSoftware = false;
        List<String> filter = new ArrayList<>();
        boolean twoGroups = false;
        String deviceAttributes = null;
        String callerAttributes = null;
        while (c.nextChild()) {
            switch (c.name()) {
                case "ExpressQuery" -> express = SoapInput.bool(c.text(), "ExpressQuery");
                case "InstalledNonLeafUpdateIDs" -> installed = ints(c, MAX_INSTALLED_NON_LEAF, "InstalledNonLeafUpdateIDs");
                case "OtherCachedUpdateIDs" -> other = ints(c, MAX_OTHER_CACHED, "OtherCachedUpdateIDs");
                case "SystemSpec" -> {
                    devices = 0;
                    while (c.nextChild()) {
                        cap(devices, MAX_DEVICES, "SystemSpec");
                        c.skip(); // ferry serves no drivers; the count is all it keeps
                        devices++;
                    }
                }
                case "CachedDriverIDs" -> drivers = ints(c, MAX_OTHER_CACHED, "CachedDriverIDs");
                case "SkipSoftwareSync" -> skipSoftware = SoapInput.bool(c.text(), "SkipSoftwareSync");
                case "FilterCategoryIds" -> {
                    while (c.nextChild()) {
                        cap(filter.size(), MAX_STRINGS, "FilterCategoryIds");
                        String id = null;
                        while (c.nextChild()) {
                            if (c.name().equals("Id")) {
                                id = SoapInput.guid(c.text().trim(), "FilterCategoryIds");
                            } else {
                                c.skip();
                            }
                        }
                        if (id == null) {
                            throw new SoapFormatException("FilterCategoryIds: a CategoryIdentifier without Id",
                                    "FilterCategoryIds", null);
                        }
                        filter.add(id);
                    }
                }
                case "NeedTwoGroupOutOfScopeUpdates" ->
                        twoGroups = SoapInput.bool(c.text(), "NeedTwoGroupOutOfScopeUpdates");
                case "ProductsParameters" -> {
                    while (c.nextChild()) {
                        switch (c.name()) {
                            case "DeviceAttributes" -> deviceAttributes = text(c, MAX_TEXT, "DeviceAttributes");
                            case "CallerAttributes" -> callerAttributes = text(c, MAX_TEXT, "CallerAttributes");
                            default -> c.skip();
                        }
                    }
                }
                default -> c.skip();
            }
        }
        return new SyncParameters(express, installed, other, devices, drivers, skipSoftware, filter, twoGroups,
                deviceAttributes, callerAttributes);
    }

    private static ClientRequest refreshCache(StaxCursor c) throws XMLStreamException, SoapFormatException {
        Cookie cookie = null;
        List<UpdateIdentity> ids = List.of();
        while (c.nextChild()) {
            switch (c.name()) {
                case "cookie" -> cookie = SoapInput.cookie(c, "cookie");
                case "globalIDs" -> ids = identities(c, MAX_EXTENDED_IDS, "globalIDs");
                default -> c.skip();
            }
        }
        return new ClientRequest.RefreshCache(cookie, ids);
    }

    private static ClientRequest extendedUpdateInfo(StaxCursor c) throws XMLStreamException, SoapFormatException {
        Cookie cookie = null;
        List<Integer> ids = List.of();
        List<String> types = List.of();
        List<String> locales = List.of();
        String geoId = null;
        while (c.nextChild()) {
            switch (c.name()) {
                case "cookie" -> cookie = SoapInput.cookie(c, "cookie");
                case "revisionIDs" -> ids = ints(c, MAX_EXTENDED_IDS, "revisionIDs");
                case "infoTypes" -> types = strings(c, 16, "infoTypes");
                case "locales" -> locales = strings(c, MAX_STRINGS, "locales");
                case "GeoId" -> geoId = text(c, "GeoId").trim();
                default -> c.skip();
            }
        }
        return new ClientRequest.GetExtendedUpdateInfo(cookie, ids, types, locales, geoId);
    }

    private static ClientRequest extendedUpdateInfo2(StaxCursor c) throws XMLStreamException, SoapFormatException {
        Cookie cookie = null;
        List<UpdateIdentity> ids = List.of();
        List<String> types = List.of();
        List<String> locales = List.of();
        while (c.nextChild()) {
            switch (c.name()) {
                case "cookie" -> cookie = SoapInput.cookie(c, "cookie");
                case "updateIDs" -> ids = identities(c, MAX_EXTENDED_IDS, "updateIDs");
                case "infoTypes" -> types = strings(c, 16, "infoTypes");
                case "locales" -> locales = strings(c, MAX_STRINGS, "locales");
                default -> c.skip();
            }
        }
        return new ClientRequest.GetExtendedUpdateInfo2(cookie, ids, types, locales);
    }

    private static ClientRequest fileLocations(StaxCursor c) throws XMLStreamException, SoapFormatException {
        Cookie cookie = null;
        List<String> digests = List.of();
        while (c.nextChild()) {
            switch (c.name()) {
                case "cookie" -> cookie = SoapInput.cookie(c, "cookie");
                case "fileDigests" -> digests = strings(c, MAX_FILE_DIGESTS, "fileDigests");
                default -> c.skip();
            }
        }
        return new ClientRequest.GetFileLocations(cookie, digests);
    }

    private static ClientRequest startCategoryScan(StaxCursor c) throws XMLStreamException, SoapFormatException {
        List<CategoryRelationship> categories = new ArrayList<>();
        while (c.nextChild()) {
            if (!c.name().equals("requestedCategories")) {
                c.skip();
                continue;
            }
            while (c.nextChild()) {
                cap(categories.size(), MAX_STRINGS, "requestedCategories");
                Integer group = null;
                String id = null;
                while (c.nextChild()) {
                    switch (c.name()) {
                        case "IndexOfAndGroup" -> group = SoapInput.integer(c.text(), "requestedCategories");
                        case "CategoryId" -> id = SoapInput.guid(c.text().trim(), "requestedCategories");
                        default -> c.skip();
                    }
                }
                if (group == null || id == null) {
                    throw new SoapFormatException("requestedCategories: a CategoryRelationship lacks IndexOfAndGroup or"
                            + " CategoryId", "requestedCategories", null);
                }
                categories.add(new CategoryRelationship(group, id));
            }
        }
        return new ClientRequest.StartCategoryScan(categories);
    }

    private static ClientRequest syncPrinterCatalog(StaxCursor c) throws XMLStreamException, SoapFormatException {
        Cookie cookie = null;
        List<Integer> installed = List.of();
        List<Integer> printers = List.of();
        while (c.nextChild()) {
            switch (c.name()) {
                case "cookie" -> cookie = SoapInput.cookie(c, "cookie");
                case "installedNonLeafUpdateIDs" ->
                        installed = ints(c, MAX_INSTALLED_NON_LEAF, "installedNonLeafUpdateIDs");
                case "printerUpdateIDs" -> printers = ints(c, MAX_OTHER_CACHED, "printerUpdateIDs");
                default -> c.skip();
            }
        }
        return new ClientRequest.SyncPrinterCatalog(cookie, installed, printers);
    }

    private static ClientRequest reportEventBatch(StaxCursor c) throws XMLStreamException, SoapFormatException {
        Cookie cookie = null;
        String clientTime = null;
        List<ReportingEvent> events = new ArrayList<>();
        while (c.nextChild()) {
            switch (c.name()) {
                case "cookie" -> cookie = SoapInput.cookie(c, "cookie");
                case "clientTime" -> clientTime = text(c, "clientTime").trim();
                case "eventBatch" -> {
                    while (c.nextChild()) {
                        cap(events.size(), MAX_EVENTS, "eventBatch");
                        events.add(event(c));
                    }
                }
                default -> c.skip();
            }
        }
        return new ClientRequest.ReportEventBatch(cookie, clientTime, events);
    }

    private static ReportingEvent event(StaxCursor c) throws XMLStreamException, SoapFormatException {
        String sid = null;
        int sequence = 0;
        String time = null;
        String instance = null;
        int namespaceId = 0;
        int eventId = 0;
        int sourceId = 0;
        UpdateIdentity update = null;
        int hresult = 0;
        String appName = null;
        List<String> replacement = List.of();
        List<String> misc = List.of();
        while (c.nextChild()) {
            switch (c.name()) {
                case "BasicData" -> {
                    while (c.nextChild()) {
                        switch (c.name()) {
                            case "TargetID" -> {
                                while (c.nextChild()) {
                                    if (c.name().equals("Sid")) {
                                        sid = text(c, "TargetID").trim();
                                    } else {
                                        c.skip();
                                    }
                                }
                            }
                            case "SequenceNumber" -> sequence = SoapInput.integer(c.text(), "SequenceNumber");
                            case "TimeAtTarget" -> time = text(c, "TimeAtTarget").trim();
                            case "EventInstanceID" -> instance = SoapInput.guid(c.text().trim(), "EventInstanceID");
                            case "NamespaceID" -> namespaceId = SoapInput.integer(c.text(), "NamespaceID");
                            case "EventID" -> eventId = SoapInput.integer(c.text(), "EventID");
                            case "SourceID" -> sourceId = SoapInput.integer(c.text(), "SourceID");
                            case "UpdateID" -> update = SoapInput.identity(c, "UpdateID");
                            case "Win32HResult" -> hresult = SoapInput.integer(c.text(), "Win32HResult");
                            case "AppName" -> appName = text(c, "AppName");
                            default -> c.skip();
                        }
                    }
                }
                case "ExtendedData" -> {
                    while (c.nextChild()) {
                        switch (c.name()) {
                            case "ReplacementStrings" -> replacement = strings(c, MAX_STRINGS, "ReplacementStrings");
                            case "MiscData" -> misc = strings(c, MAX_STRINGS, "MiscData");
                            default -> c.skip();
                        }
                    }
                }
                default -> c.skip();
            }
        }
        if (instance == null || update == null) {
            throw new SoapFormatException("eventBatch: a ReportingEvent lacks " + (instance == null ? "EventInstanceID"
                    : "UpdateID"), "eventBatch", null);
        }
        return new ReportingEvent(sid, sequence, time, instance, namespaceId, eventId, sourceId, update, hresult,
                appName, replacement, misc);
    }

    // --- arrays and text with caps

    private static List<Integer> ints(StaxCursor c, int max, String parameter) throws XMLStreamException,
            SoapFormatException {
        List<Integer> out = new ArrayList<>();
        while (c.nextChild()) {
            cap(out.size(), max, parameter);
            out.add(SoapInput.integer(c.text(), parameter));
        }
        return out;
    }

    private static List<String> strings(StaxCursor c, int max, String parameter) throws XMLStreamException,
            SoapFormatException {
        List<String> out = new ArrayList<>();
        while (c.nextChild()) {
            cap(out.size(), max, parameter);
            out.add(text(c, MAX_TEXT, parameter));
        }
        return out;
    }

    private static List<UpdateIdentity> identities(StaxCursor c, int max, String parameter)
            throws XMLStreamException, SoapFormatException {
        List<UpdateIdentity> out = new ArrayList<>();
        while (c.nextChild()) {
            cap(out.size(), max, parameter);
            out.add(SoapInput.identity(c, parameter));
        }
        return out;
    }

    private static String text(StaxCursor c, String parameter) throws XMLStreamException, SoapFormatException {
        return text(c, MAX_NAME, parameter);
    }

    private static String text(StaxCursor c, int max, String parameter) throws XMLStreamException,
            SoapFormatException {
        String s = c.text();
        if (s.length() > max) {
            throw new SoapFormatException(parameter + " is " + s.length() + " characters, over the limit of " + max,
                    parameter, null);
        }
        return s;
    }

    private static void cap(int size, int max, String parameter) throws SoapFormatException {
        if (size >= max) {
            throw new SoapFormatException(parameter + " holds more than " + max + " items", parameter, null);
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }
}
