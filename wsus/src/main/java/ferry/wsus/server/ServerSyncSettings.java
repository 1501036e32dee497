package ferry.wsus.server;

import ferry.wsus.soap.Messages.LanguageData;

import java.time.Duration;
import java.util.List;

/**
 * What {@link ServerSyncHandler} advertises in GetConfigData (MS-WSUSSS 3.1.4.4) and how long its cookies live.
 *
 * @param maxUpdatesPerRequest  MaxNumberOfUpdatesPerRequest, 1..100 (GetUpdateData with more ids is refused)
 * @param lazySync              LazySync
 * @param catalogOnlySync       CatalogOnlySync (true: this server serves no /Content/)
 * @param languages             LanguageUpdateList entries, the "all" entry (id 0) first
 * @param cookieLifetime        lifetime of GetCookie cookies (real servers: 240 minutes)
 * @param plainBlobsOnly        GetUpdateData sends every document as plain {@code XmlUpdateBlob}, never as an LZX
 *                              cabinet in {@code XmlUpdateBlobCompressed} (for a downstream server that cannot read
 *                              ferry's cabinets); a document holding characters XML 1.0 cannot carry still travels
 *                              as a cabinet, the only lossless form. Default false: documents over 5,120 UTF-16
 *                              bytes travel compressed, as real servers send them.
 */
public record ServerSyncSettings(int maxUpdatesPerRequest, boolean lazySync, boolean catalogOnlySync,
                                 List<LanguageData> languages, Duration cookieLifetime, boolean plainBlobsOnly) {

    public ServerSyncSettings {
        if (maxUpdatesPerRequest < 1 || maxUpdatesPerRequest > 100) {
            throw new IllegalArgumentException("maxUpdatesPerRequest must be 1..100");
        }
        languages = List.copyOf(languages);
        if (cookieLifetime.isNegative() || cookieLifetime.isZero()) {
            throw new IllegalArgumentException("cookieLifetime must be positive");
        }
    }

    /**
     * 100 updates per request, content served, the recorded server's language list (39 entries, English
     * enabled), 240-minute cookies, large documents compressed.
     */
    public static ServerSyncSettings defaults() {
        return new ServerSyncSettings(100, false, false, WsusLanguages.RECORDED, Duration.ofMinutes(240), false);
    }

    /** These settings with {@link #plainBlobsOnly()} set as given. */
    public ServerSyncSettings withPlainBlobsOnly(boolean plainOnly) {
        return new ServerSyncSettings(maxUpdatesPerRequest, lazySync, catalogOnlySync, languages, cookieLifetime,
                plainOnly);
    }
}
