package ferry.wsus.wusp;

import ferry.wsus.soap.Messages.Cookie;
import ferry.wsus.soap.SoapVersion;
import ferry.wsus.soap.SoapWriter;
import java.util.List;
import java.util.Map;

/**
 * Writes MS-WUSP responses (2.2.2) in the shape the recorded Windows Server 2025 WSUS sent them: the operation's
 * response element in its service's namespace, children unprefixed, elements in schema order, optional elements
 * the real server leaves out left out. Faults have the MS-WSUSSS shape ({@code SoapResponses.fault}), which
 * MS-WUSP 2.2.2.4 shares.
 */
public final class ClientResponses {

    private ClientResponses() {
    }

    /** An AuthPlugInInfo of GetConfig (2.2.2.2.1): e.g. {@code SimpleTargeting}, {@code SimpleAuthWebService/SimpleAuth.asmx}. */
    public record AuthPlugIn(String plugInId, String serviceUrl, String parameter) {
    }

    /**
     * GetConfigResult (2.2.2.2.1).
     *
     * @param lastChange             when the server's configuration last changed, UTC, xs:dateTime text
     * @param registrationRequired   whether clients must call RegisterComputer
     * @param properties             ConfigurationProperty name to value, in order (e.g. MaxExtendedUpdatesPerRequest
     *                               50, ProtocolVersion 3.2 as recorded)
     */
    public record Config(String lastChange, boolean registrationRequired, List<AuthPlugIn> plugIns,
                         Map<String, String> properties) {
    }

    /**
     * A Deployment (2.2.2.2.4): {@code action} Install, Uninstall, PreDeploymentCheck, Bundle or Evaluate;
     * {@code deadline} UTC xs:dateTime text or null; {@code lastChangeTime} as the real server writes it (a date).
     */
    public record Deployment(int id, String action, String deadline, boolean isAssigned, String lastChangeTime,
                             int autoSelect, int autoDownload, int supersedenceBehavior) {
    }

    /** An UpdateInfo (2.2.2.2.4): the revision id, its deployment (or null), leaf or not, and its Core fragment. */
    public record UpdateInfo(int id, Deployment deployment, boolean isLeaf, String coreXml) {
    }

    /**
     * SyncInfo (2.2.2.2.4). {@code newUpdates} is left out when empty, as the real server does;
     * {@code outOfScopeRevisionIds} likewise; {@code driverSyncNotNeeded} is written as "true"/"false".
     */
    public record SyncInfo(List<UpdateInfo> newUpdates, List<Integer> outOfScopeRevisionIds, boolean truncated,
                           Cookie newCookie, boolean driverSyncNotNeeded) {
    }

    /** An Update of GetExtendedUpdateInfo (2.2.2.2.6): revision id and one fragment. */
    public record UpdateFragment(int id, String xml) {
    }

    /** A FileLocation (2.2.2.2.6, 2.2.2.2.7): base64 SHA-1 and absolute URL. */
    public record FileLocation(String fileDigest, String url) {
    }

    public static byte[] getConfig(SoapVersion v, Config c) {
        SoapWriter w = result(v, ClientOperation.GET_CONFIG)
                .element("LastChange", c.lastChange())
                .element("IsRegistrationRequired", c.registrationRequired())
                .start("AuthInfo");
        for (AuthPlugIn p : c.plugIns()) {
            w.start("AuthPlugInInfo").element("PlugInID", p.plugInId()).element("ServiceUrl", p.serviceUrl())
                    .element("Parameter", p.parameter() == null ? "" : p.parameter()).end();
        }
        w.end().start("Properties");
        for (Map.Entry<String, String> e : c.properties().entrySet()) {
            w.start("ConfigurationProperty").element("Name", e.getKey()).element("Value", e.getValue()).end();
        }
        return w.end().end().end().finish();
    }

    /** GetAuthorizationCookieResult (2.2.2.1.1). */
    public static byte[] getAuthorizationCookie(SoapVersion v, String plugInId, String cookieData) {
        return result(v, ClientOperation.GET_AUTHORIZATION_COOKIE).element("PlugInId", plugInId)
                .element("CookieData", cookieData).end().end().finish();
    }

    /** GetCookieResult (2.2.2.2.2). */
    public static byte[] getCookie(SoapVersion v, Cookie cookie) {
        return cookie(result(v, ClientOperation.GET_COOKIE), cookie).end().end().finish();
    }

    /** RegisterComputerResponse (2.2.2.2.3): empty. */
    public static byte[] registerComputer(SoapVersion v) {
        return response(v, ClientOperation.REGISTER_COMPUTER).end().finish();
    }

    /** StartCategoryScanResponse (2.2.2.2.8): the categories to scan, lower-case GUIDs. */
    public static byte[] startCategoryScan(SoapVersion v, List<String> preferredCategoryIds) {
        SoapWriter w = response(v, ClientOperation.START_CATEGORY_SCAN).start("preferredCategoryIds");
        for (String id : preferredCategoryIds) {
            w.element("guid", id);
        }
        return w.end().end().finish();
    }

    /** SyncUpdatesResult (2.2.2.2.4). */
    public static byte[] syncUpdates(SoapVersion v, SyncInfo s) {
        return syncInfo(v, ClientOperation.SYNC_UPDATES, s);
    }

    /** SyncPrinterCatalogResult (2.2.2.2.9): a SyncInfo, as SyncUpdates. */
    public static byte[] syncPrinterCatalog(SoapVersion v, SyncInfo s) {
        return syncInfo(v, ClientOperation.SYNC_PRINTER_CATALOG, s);
    }

    /** A RefreshCacheResult (2.2.2.2.5): a revision the client cached, under the id this server gives it now. */
    public record CacheEntry(int revisionId, ferry.wsus.UpdateIdentity globalId, boolean isLeaf, Deployment deployment) {
    }

    /** RefreshCacheResponse (2.2.2.2.5): one RefreshCacheResult per revision this server holds. */
    public static byte[] refreshCache(SoapVersion v, List<CacheEntry> entries) {
        SoapWriter w = result(v, ClientOperation.REFRESH_CACHE);
        for (CacheEntry e : entries) {
            w.start("RefreshCacheResult").element("RevisionID", e.revisionId()).identity("GlobalID", e.globalId())
                    .element("IsLeaf", e.isLeaf());
            deployment(w, e.deployment());
            w.end();
        }
        return w.end().end().finish();
    }

    /** GetExtendedUpdateInfo2Result (2.2.2.2.10): fragments, then file locations (each left out when empty). */
    public static byte[] getExtendedUpdateInfo2(SoapVersion v, List<UpdateFragment> updates, List<FileLocation> files) {
        SoapWriter w = result(v, ClientOperation.GET_EXTENDED_UPDATE_INFO2);
        fragments(w, updates);
        locations(w, files);
        return w.end().end().finish();
    }

    private static void deployment(SoapWriter w, Deployment d) {
        if (d == null) {
            return;
        }
        w.start("Deployment").element("ID", d.id()).element("Action", d.action())
                .element("Deadline", d.deadline())
                .element("IsAssigned", d.isAssigned()).element("LastChangeTime", d.lastChangeTime())
                .element("AutoSelect", d.autoSelect()).element("AutoDownload", d.autoDownload())
                .element("SupersedenceBehavior", d.supersedenceBehavior()).end();
    }

    private static byte[] syncInfo(SoapVersion v, ClientOperation op, SyncInfo s) {
        SoapWriter w = result(v, op);
        if (!s.newUpdates().isEmpty()) {
            w.start("NewUpdates");
            for (UpdateInfo u : s.newUpdates()) {
                w.start("UpdateInfo").element("ID", u.id());
                deployment(w, u.deployment());
                w.element("IsLeaf", u.isLeaf()).element("Xml", u.coreXml()).end();
            }
            w.end();
        }
        ints(w, "OutOfScopeRevisionIDs", s.outOfScopeRevisionIds());
        w.element("Truncated", s.truncated());
        if (s.newCookie() != null) {
            cookie(w.start("NewCookie"), s.newCookie()).end();
        }
        return w.element("DriverSyncNotNeeded", s.driverSyncNotNeeded()).end().end().finish();
    }

    /** GetExtendedUpdateInfoResult (2.2.2.2.6): fragments, then file locations, then out-of-scope ids (each left out when empty). */
    public static byte[] getExtendedUpdateInfo(SoapVersion v, List<UpdateFragment> updates, List<FileLocation> files,
                                               List<Integer> outOfScope) {
        SoapWriter w = result(v, ClientOperation.GET_EXTENDED_UPDATE_INFO);
        fragments(w, updates);
        locations(w, files);
        ints(w, "OutOfScopeRevisionIDs", outOfScope);
        return w.end().end().finish();
    }

    /** GetFileLocationsResult (2.2.2.2.7): the locations and the client's cookie, renewed. */
    public static byte[] getFileLocations(SoapVersion v, List<FileLocation> files, Cookie newCookie) {
        SoapWriter w = result(v, ClientOperation.GET_FILE_LOCATIONS);
        locations(w, files);
        return cookie(w.start("NewCookie"), newCookie).end().end().end().finish();
    }

    /** ReportEventBatchResult (2.2.2.3.1): whether the batch was accepted. */
    public static byte[] reportEventBatch(SoapVersion v, boolean accepted) {
        return result(v, ClientOperation.REPORT_EVENT_BATCH).text(Boolean.toString(accepted)).end().end().finish();
    }

    private static void fragments(SoapWriter w, List<UpdateFragment> updates) {
        if (updates.isEmpty()) {
            return;
        }
        w.start("Updates");
        for (UpdateFragment u : updates) {
            w.start("Update").element("ID", u.id()).element("Xml", u.xml()).end();
        }
        w.end();
    }

    private static void locations(SoapWriter w, List<FileLocation> files) {
        if (files.isEmpty()) {
            return;
        }
        w.start("FileLocations");
        for (FileLocation f : files) {
            w.start("FileLocation").element("FileDigest", f.fileDigest()).element("Url", f.url()).end();
        }
        w.end();
    }

    private static void ints(SoapWriter w, String arrayName, List<Integer> ids) {
        if (ids.isEmpty()) {
            return;
        }
        w.start(arrayName);
        for (int id : ids) {
            w.element("int", id);
        }
        w.end();
    }

    private static SoapWriter cookie(SoapWriter w, Cookie c) {
        return w.element("Expiration", c.expiration()).element("EncryptedData", c.encryptedData());
    }

    private static SoapWriter response(SoapVersion v, ClientOperation op) {
        return new SoapWriter(v, true).operation(op.responseElement(), op.namespace());
    }

    private static SoapWriter result(SoapVersion v, ClientOperation op) {
        return response(v, op).start(op.resultElement());
    }
}
