package ferry.wsus.client;

import ferry.wsus.ContentUrls;
import ferry.wsus.UpdateIdentity;
import ferry.wsus.cab.CabBlob;
import ferry.wsus.cab.CabException;
import ferry.wsus.soap.Messages.ConfigData;
import ferry.wsus.soap.Messages.Cookie;
import ferry.wsus.soap.Messages.RevisionIdList;
import ferry.wsus.soap.Messages.ServerSyncFilter;
import ferry.wsus.soap.Messages.ServerUpdateData;
import ferry.wsus.soap.Messages.UpdateData;
import ferry.wsus.soap.Messages.UpdateFileDecryption;
import ferry.wsus.soap.Messages.UrlData;
import ferry.wsus.soap.Operation;
import ferry.wsus.soap.SoapFault;
import ferry.wsus.soap.SoapRequests;
import ferry.wsus.soap.SoapResponseReader;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * An authorized conversation with one upstream server (MS-WSUSSS 3.2.4.2). Holds the cookie and re-acquires it
 * once per call when the upstream answers InvalidCookie or CookieExpired, or when it is about to expire. Not
 * thread-safe: use one session per thread.
 */
public final class ServerSyncSession {

    /** Most revisions asked for in one GetUpdateData, whatever the upstream allows. */
    public static final int MAX_BATCH = 100;

    private static final Duration EXPIRY_MARGIN = Duration.ofMinutes(1);

    private final WsusClient client;
    /** The clock proactive renewal reads; a test moves it on instead of waiting hours. */
    private java.time.Clock clock = java.time.Clock.systemUTC();
    private Cookie cookie;
    private Instant cookieDeadline;
    private ConfigData config;

    ServerSyncSession(WsusClient client) {
        this.client = client;
    }

    /** For tests: the clock renewal reads from now on; takes effect with the next cookie. */
    void useClock(java.time.Clock c) {
        clock = c;
    }

    void start(String configAnchor) throws WsusException {
        setCookie(client.authorize(null));
        config = client.configData(cookie, configAnchor);
    }

    /** GetConfigData again without an anchor: the whole answer, languages included. */
    public ConfigData reloadConfig() throws WsusException {
        config = withCookie(Operation.GET_CONFIG_DATA, c -> SoapRequests.getConfigData(c, null),
                SoapResponseReader::getConfigData);
        return config;
    }

    /**
     * The upstream's clock may differ from ours: an Expiration already past on arrival is not trusted for
     * proactive renewal, and the InvalidCookie fault path handles the real expiry.
     */
    private void setCookie(Cookie fresh) {
        cookie = fresh;
        Instant expiry = fresh.expirationInstant();
        cookieDeadline = expiry != null && expiry.isAfter(clock.instant().plus(EXPIRY_MARGIN.multipliedBy(2)))
                ? expiry.minus(EXPIRY_MARGIN) : null;
    }

    /** The upstream's GetConfigData answer: limits, LazySync, CatalogOnlySync, languages, NewConfigAnchor. */
    public ConfigData config() {
        return config;
    }

    /** The upstream base URL. */
    public URI upstream() {
        return client.upstream();
    }

    /**
     * GetRevisionIdList (3.1.4.5).
     *
     * @param getConfig true for categories, classifications and detectoids; false for software and driver updates
     * @param filter    anchor, products, classifications, languages, each with its Delta flag; for
     *                  {@code getConfig} only the anchor is used
     * @return the new anchor (store it for the next run) and the revisions, as the upstream listed them
     */
    public RevisionIdList getRevisionIdList(boolean getConfig, RevisionFilter filter) throws WsusException {
        ServerSyncFilter f = getConfig
                ? new ServerSyncFilter(filter.anchor(), true, List.of(), List.of(), List.of())
                : new ServerSyncFilter(filter.anchor(), false, filter.products(), filter.classifications(), filter.languages());
        return withCookie(Operation.GET_REVISION_ID_LIST, c -> SoapRequests.getRevisionIdList(c, f),
                SoapResponseReader::getRevisionIdList);
    }

    /**
     * GetUpdateData (3.1.4.6) in batches of {@code min(MaxNumberOfUpdatesPerRequest, 100)}; compressed blobs are
     * decoded. Every requested revision must come back exactly once and nothing else, else
     * {@link UpstreamException}.
     *
     * @return one entry per distinct requested revision, in request order
     */
    public List<SyncedUpdate> getUpdateData(List<UpdateIdentity> ids) throws WsusException {
        List<UpdateIdentity> distinct = new ArrayList<>(new LinkedHashSet<>(ids));
        int batch = Math.max(1, Math.min(MAX_BATCH, config.maxNumberOfUpdatesPerRequest()));
        List<SyncedUpdate> out = new ArrayList<>(distinct.size());
        for (int from = 0; from < distinct.size(); from += batch) {
            List<UpdateIdentity> part = distinct.subList(from, Math.min(distinct.size(), from + batch));
            ServerUpdateData data = withCookie(Operation.GET_UPDATE_DATA, c -> SoapRequests.getUpdateData(c, part),
                    SoapResponseReader::getUpdateData);
            out.addAll(collect(part, data));
        }
        return out;
    }

    /** GetUpdateDecryptionData (3.1.4.18), batched at {@code MaxUpdatesPerRequestInGetUpdateDecryptionData}. */
    public List<UpdateFileDecryption> getUpdateDecryptionData(List<UpdateIdentity> ids) throws WsusException {
        int batch = Math.max(1, Math.min(MAX_BATCH, config.maxUpdatesPerRequestInGetUpdateDecryptionData() > 0
                ? config.maxUpdatesPerRequestInGetUpdateDecryptionData() : MAX_BATCH));
        List<UpdateFileDecryption> out = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += batch) {
            List<UpdateIdentity> part = ids.subList(from, Math.min(ids.size(), from + batch));
            out.addAll(withCookie(Operation.GET_UPDATE_DECRYPTION_DATA,
                    c -> SoapRequests.getUpdateDecryptionData(c, part), SoapResponseReader::getUpdateDecryptionData));
        }
        return out;
    }

    /** The upstream's content URL for a file: {@code <base>Content/<XX>/<SHA1HEX>.<ext>} (2.1, 3.2.4.4). */
    public URI contentUri(String sha1Base64, String fileName) {
        return client.upstream().resolve(ContentUrls.path(sha1Base64, fileName).substring(1));
    }

    private List<SyncedUpdate> collect(List<UpdateIdentity> requested, ServerUpdateData data) throws UpstreamException {
        Set<UpdateIdentity> wanted = new HashSet<>(requested);
        Map<UpdateIdentity, SyncedUpdate> got = new HashMap<>();
        Map<String, List<UrlData>> urls = new HashMap<>();
        for (UrlData u : data.fileUrls()) {
            if (u.fileDigest() != null) {
                urls.computeIfAbsent(u.fileDigest(), k -> new ArrayList<>()).add(u);
            }
        }
        for (UpdateData u : data.updates()) {
            if (!wanted.contains(u.id())) {
                throw new UpstreamException(client.upstream(), "GetUpdateData", "returned revision " + u.id()
                        + " that was not requested");
            }
            String xml = u.xmlUpdateBlob();
            if (xml == null) {
                try {
                    xml = CabBlob.decode(u.xmlUpdateBlobCompressed());
                } catch (CabException e) {
                    throw new UpstreamException(client.upstream(), "GetUpdateData", "XmlUpdateBlobCompressed of "
                            + u.id() + " is unusable: " + e.getMessage(), e);
                }
            }
            List<UrlData> fileUrls = new ArrayList<>();
            for (String digest : u.fileDigests()) {
                fileUrls.addAll(urls.getOrDefault(digest, List.of()));
            }
            if (got.put(u.id(), new SyncedUpdate(u.id(), xml, u.fileDigests(), fileUrls)) != null) {
                throw new UpstreamException(client.upstream(), "GetUpdateData", "returned revision " + u.id() + " twice");
            }
        }
        List<SyncedUpdate> ordered = new ArrayList<>(requested.size());
        List<UpdateIdentity> missing = new ArrayList<>();
        for (UpdateIdentity id : requested) {
            SyncedUpdate s = got.get(id);
            if (s == null) {
                missing.add(id);
            } else {
                ordered.add(s);
            }
        }
        if (!missing.isEmpty()) {
            throw new UpstreamException(client.upstream(), "GetUpdateData", "did not return " + missing.size() + " of "
                    + requested.size() + " requested revisions (first: " + missing.get(0) + ")");
        }
        return ordered;
    }

    private <T> T withCookie(Operation op, Function<Cookie, byte[]> request, SoapTransport.Parser<T> parser)
            throws WsusException {
        if (cookieDeadline != null && clock.instant().isAfter(cookieDeadline)) {
            setCookie(client.authorize(cookie));
        }
        try {
            return client.transport().call(op, client.serverSyncEndpoint(), request.apply(cookie), parser);
        } catch (WsusFaultException e) {
            if (!SoapFault.INVALID_COOKIE.equals(e.errorCode()) && !SoapFault.COOKIE_EXPIRED.equals(e.errorCode())) {
                throw e;
            }
            // 2.2.9.3: restart the protocol from the beginning, once
            setCookie(client.authorize(null));
            return client.transport().call(op, client.serverSyncEndpoint(), request.apply(cookie), parser);
        }
    }
}
