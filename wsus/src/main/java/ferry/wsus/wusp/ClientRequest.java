package ferry.wsus.wusp;

import ferry.wsus.UpdateIdentity;
import ferry.wsus.soap.Messages.Cookie;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An MS-WUSP request as {@link ClientRequestReader} read it: only what a server acts on or records. Lists are never
 * null (an omitted array reads as empty, except where the record says otherwise); revision ids are the server's
 * own int ids (MS-WUSP 3.1.1, Revision Table).
 */
public sealed interface ClientRequest {

    ClientOperation operation();

    /**
     * MS-WUSP 2.2.2.1.1: {@code clientId} is the client's GUID (lower case), {@code dnsName} its name, both as sent;
     * {@code targetGroupName} the group(s) the client's policy names (client-side targeting; several separated by
     * {@code ;}), or null when it sent none (the recorded native client sent none: no targeting policy).
     */
    record GetAuthorizationCookie(String clientId, String targetGroupName, String dnsName) implements ClientRequest {
        @Override
        public ClientOperation operation() {
            return ClientOperation.GET_AUTHORIZATION_COOKIE;
        }
    }

    /** MS-WUSP 2.2.2.2.1: {@code protocolVersion} as sent (e.g. "2.90"), or null. */
    record GetConfig(String protocolVersion) implements ClientRequest {
        @Override
        public ClientOperation operation() {
            return ClientOperation.GET_CONFIG;
        }
    }

    /** An AuthorizationCookie (MS-WUSP 2.2.3.1): the plug-in id and its opaque base64 data. */
    record AuthorizationCookie(String plugInId, String cookieData) {
    }

    /**
     * MS-WUSP 2.2.2.2.2. {@code oldCookie} is null when absent (a native client sends one carrying only
     * {@code Expiration}); {@code lastChange} and {@code currentTime} are the client's text, or null.
     */
    record GetCookie(List<AuthorizationCookie> authCookies, Cookie oldCookie, String lastChange, String currentTime,
                     String protocolVersion) implements ClientRequest {
        public GetCookie {
            authCookies = List.copyOf(authCookies);
        }

        @Override
        public ClientOperation operation() {
            return ClientOperation.GET_COOKIE;
        }
    }

    /**
     * MS-WUSP 2.2.2.2.3 ComputerInfo: every simple element as sent, by name, in order (at most
     * {@link ClientRequestReader#MAX_COMPUTER_FIELDS}); accessors for the ones an administrator reads.
     */
    record ComputerInfo(Map<String, String> fields) {
        public ComputerInfo {
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }

        public String dnsName() {
            return fields.get("DnsName");
        }

        /** e.g. "10.0.26200", or null if the client sent no OSMajorVersion. */
        public String osVersion() {
            String major = fields.get("OSMajorVersion");
            return major == null ? null : major + "." + fields.getOrDefault("OSMinorVersion", "0") + "."
                    + fields.getOrDefault("OSBuildNumber", "0");
        }

        public String osDescription() {
            return fields.get("OSDescription");
        }

        public String osLocale() {
            return fields.get("OSLocale");
        }

        public String manufacturer() {
            return fields.get("ComputerManufacturer");
        }

        public String model() {
            return fields.get("ComputerModel");
        }

        public String processorArchitecture() {
            return fields.get("ProcessorArchitecture");
        }

        /** The Windows Update Agent's version, e.g. "1507.2601.30012.0", or null. */
        public String clientVersion() {
            String major = fields.get("ClientVersionMajorNumber");
            return major == null ? null : major + "." + fields.getOrDefault("ClientVersionMinorNumber", "0") + "."
                    + fields.getOrDefault("ClientVersionBuildNumber", "0") + "."
                    + fields.getOrDefault("ClientVersionQfeNumber", "0");
        }
    }

    /** MS-WUSP 2.2.2.2.3 */
    record RegisterComputer(Cookie cookie, ComputerInfo computer) implements ClientRequest {
        @Override
        public ClientOperation operation() {
            return ClientOperation.REGISTER_COMPUTER;
        }
    }

    /**
     * MS-WUSP 2.2.2.2.4 SyncUpdateParameters. {@code installedNonLeafUpdateIds} and {@code otherCachedUpdateIds} are
     * null when the element was omitted (the first scan of a native client omits both) and empty when sent empty;
     * {@code systemSpecDevices} is the number of {@code Device} entries, or -1 without {@code SystemSpec}.
     * {@code filterCategoryIds} are lower-case GUIDs. The attribute strings are the client's text, or null.
     */
    record SyncParameters(boolean expressQuery, List<Integer> installedNonLeafUpdateIds,
                          List<Integer> otherCachedUpdateIds, int systemSpecDevices, List<Integer> cachedDriverIds,
                          boolean skipSoftwareSync, List<String> filterCategoryIds,
                          boolean needTwoGroupOutOfScopeUpdates, String deviceAttributes, String callerAttributes) {
        public SyncParameters {
            installedNonLeafUpdateIds = installedNonLeafUpdateIds == null ? null : List.copyOf(installedNonLeafUpdateIds);
            otherCachedUpdateIds = otherCachedUpdateIds == null ? null : List.copyOf(otherCachedUpdateIds);
            cachedDriverIds = List.copyOf(cachedDriverIds);
            filterCategoryIds = List.copyOf(filterCategoryIds);
        }
    }

    /** MS-WUSP 2.2.2.2.4 */
    record SyncUpdates(Cookie cookie, SyncParameters parameters) implements ClientRequest {
        @Override
        public ClientOperation operation() {
            return ClientOperation.SYNC_UPDATES;
        }
    }

    /** MS-WUSP 2.2.2.2.5 */
    record RefreshCache(Cookie cookie, List<UpdateIdentity> globalIds) implements ClientRequest {
        public RefreshCache {
            globalIds = List.copyOf(globalIds);
        }

        @Override
        public ClientOperation operation() {
            return ClientOperation.REFRESH_CACHE;
        }
    }

    /**
     * MS-WUSP 2.2.2.2.6. {@code infoTypes} are XmlUpdateFragmentType names as sent (Published, Core, Extended,
     * VerificationRule, LocalizedProperties, Eula); {@code locales} as sent (e.g. "en-US", "en"); {@code geoId} or null.
     */
    record GetExtendedUpdateInfo(Cookie cookie, List<Integer> revisionIds, List<String> infoTypes, List<String> locales,
                                 String geoId) implements ClientRequest {
        public GetExtendedUpdateInfo {
            revisionIds = List.copyOf(revisionIds);
            infoTypes = List.copyOf(infoTypes);
            locales = List.copyOf(locales);
        }

        @Override
        public ClientOperation operation() {
            return ClientOperation.GET_EXTENDED_UPDATE_INFO;
        }
    }

    /** MS-WUSP 2.2.2.2.7: {@code fileDigests} are base64 SHA-1 digests as sent. */
    record GetFileLocations(Cookie cookie, List<String> fileDigests) implements ClientRequest {
        public GetFileLocations {
            fileDigests = List.copyOf(fileDigests);
        }

        @Override
        public ClientOperation operation() {
            return ClientOperation.GET_FILE_LOCATIONS;
        }
    }

    /** A CategoryRelationship of StartCategoryScan: the AND group it belongs to and a category (lower-case GUID). */
    record CategoryRelationship(int indexOfAndGroup, String categoryId) {
    }

    /** MS-WUSP 2.2.2.2.8 (sent without a cookie). */
    record StartCategoryScan(List<CategoryRelationship> requestedCategories) implements ClientRequest {
        public StartCategoryScan {
            requestedCategories = List.copyOf(requestedCategories);
        }

        @Override
        public ClientOperation operation() {
            return ClientOperation.START_CATEGORY_SCAN;
        }
    }

    /** MS-WUSP 2.2.2.2.9 */
    record SyncPrinterCatalog(Cookie cookie, List<Integer> installedNonLeafUpdateIds, List<Integer> printerUpdateIds)
            implements ClientRequest {
        public SyncPrinterCatalog {
            installedNonLeafUpdateIds = List.copyOf(installedNonLeafUpdateIds);
            printerUpdateIds = List.copyOf(printerUpdateIds);
        }

        @Override
        public ClientOperation operation() {
            return ClientOperation.SYNC_PRINTER_CATALOG;
        }
    }

    /** MS-WUSP 2.2.2.2.10: like GetExtendedUpdateInfo, by update identity instead of revision id. */
    record GetExtendedUpdateInfo2(Cookie cookie, List<UpdateIdentity> updateIds, List<String> infoTypes,
                                  List<String> locales) implements ClientRequest {
        public GetExtendedUpdateInfo2 {
            updateIds = List.copyOf(updateIds);
            infoTypes = List.copyOf(infoTypes);
            locales = List.copyOf(locales);
        }

        @Override
        public ClientOperation operation() {
            return ClientOperation.GET_EXTENDED_UPDATE_INFO2;
        }
    }

    /**
     * One ReportingEvent (MS-WUSP 2.2.2.3.1): its BasicData, and the replacement strings and MiscData strings of its
     * ExtendedData. {@code update} is the all-zero identity for events about no update. Times are the client's text
     * (UTC by the protocol).
     */
    record ReportingEvent(String targetSid, int sequenceNumber, String timeAtTarget, String eventInstanceId,
                          int namespaceId, int eventId, int sourceId, UpdateIdentity update, int win32HResult,
                          String appName, List<String> replacementStrings, List<String> miscData) {
        public ReportingEvent {
            replacementStrings = List.copyOf(replacementStrings);
            miscData = List.copyOf(miscData);
        }
    }

    /** MS-WUSP 2.2.2.3.1 */
    record ReportEventBatch(Cookie cookie, String clientTime, List<ReportingEvent> events) implements ClientRequest {
        public ReportEventBatch {
            events = List.copyOf(events);
        }

        @Override
        public ClientOperation operation() {
            return ClientOperation.REPORT_EVENT_BATCH;
        }
    }
}
