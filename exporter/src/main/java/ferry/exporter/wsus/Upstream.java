package ferry.exporter.wsus;

import ferry.exporter.ExportException;
import ferry.exporter.ExportUpstreamException;
import ferry.exporter.Spool;
import ferry.format.Progress;
import ferry.wsus.UpdateIdentity;
import ferry.wsus.client.RevisionFilter;
import ferry.wsus.client.ServerSyncSession;
import ferry.wsus.client.SyncedUpdate;
import ferry.wsus.client.WsusClient;
import ferry.wsus.client.WsusClientOptions;
import ferry.wsus.client.WsusException;
import ferry.wsus.client.WsusFaultException;
import ferry.wsus.metadata.MetadataException;
import ferry.wsus.metadata.UpdateDocument;
import ferry.wsus.soap.Messages.ConfigData;
import ferry.wsus.soap.Messages.RevisionIdList;
import ferry.wsus.soap.Messages.UrlData;
import ferry.wsus.soap.SoapFault;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The export's side of an MS-WSUSSS conversation (3.2.4.1 authorization, 3.2.4.2 metadata): lists revisions and
 * fetches documents in batches, spooling each document and checking it is the one asked for. Every client
 * failure becomes an {@link ExportUpstreamException} keeping the fault's ErrorCode.
 */
final class Upstream {

    /** The answer to a fetch: the revisions received, and those the upstream does not have. */
    record Fetched(Map<UpdateIdentity, FetchedUpdate> updates, List<UpdateIdentity> missing) {
    }

    private final ServerSyncSession session;
    private final Spool spool;
    private final Progress progress;
    private int received;

    private Upstream(ServerSyncSession session, Spool spool, Progress progress) {
        this.session = session;
        this.spool = spool;
        this.progress = progress;
    }

    /**
     * GetAuthConfig, GetAuthorizationCookie, GetCookie, GetConfigData (3.2.4.1, 3.2.4.2 step 1).
     *
     * @param configAnchor chooses the earlier GetConfigData's {@code NewConfigAnchor} to send, given the upstream's
     *                     normalised base URL; returns null to send none
     */
    static Upstream open(URI upstream, WsusClientOptions options, Spool spool, Progress progress,
                         java.util.function.Function<URI, String> configAnchor) throws ExportUpstreamException {
        try {
            WsusClient client = new WsusClient(upstream, options);
            return new Upstream(client.open(configAnchor.apply(client.upstream())), spool, progress);
        } catch (WsusException e) {
            throw failure(e);
        }
    }

    /** GetConfigData without an anchor, for the language list an anchored answer leaves out. */
    ConfigData reloadConfig() throws ExportUpstreamException {
        try {
            return session.reloadConfig();
        } catch (WsusException e) {
            throw failure(e);
        }
    }

    /** Documents received with GetUpdateData so far in this run. */
    int received() {
        return received;
    }

    URI base() {
        return session.upstream();
    }

    ConfigData config() {
        return session.config();
    }

    /**
     * GetRevisionIdList with GetConfig=true: categories, classifications, detectoids (3.2.4.2).
     *
     * @param anchor null for all of them, else only those new since this anchor
     * @throws WsusFaultException as the upstream answered, so that a refused anchor can be dropped
     */
    RevisionIdList configRevisions(String anchor) throws ExportUpstreamException, WsusFaultException {
        return list(true, anchor == null ? RevisionFilter.everything() : RevisionFilter.since(anchor));
    }

    /**
     * GetRevisionIdList with GetConfig=false for the selected products, classifications and languages.
     *
     * @throws WsusFaultException as the upstream answered, so that a refused anchor can be dropped
     */
    RevisionIdList updateRevisions(RevisionFilter filter) throws ExportUpstreamException, WsusFaultException {
        return list(false, filter);
    }

    private RevisionIdList list(boolean getConfig, RevisionFilter filter)
            throws ExportUpstreamException, WsusFaultException {
        try {
            return session.getRevisionIdList(getConfig, filter);
        } catch (WsusFaultException e) {
            throw e;
        } catch (WsusException e) {
            throw failure(e);
        }
    }

    /**
     * GetUpdateData for {@code ids} in batches of at most MaxNumberOfUpdatesPerRequest (3.1.4.6). A real upstream
     * answers a batch holding an unknown revision with fault InternalServerError, so such a batch is asked again
     * one revision at a time: the revisions that still fault are reported as missing, the others received.
     */
    Fetched fetch(List<UpdateIdentity> ids) throws ExportException {
        List<UpdateIdentity> distinct = new ArrayList<>(new LinkedHashSet<>(ids));
        Map<UpdateIdentity, FetchedUpdate> out = new LinkedHashMap<>();
        List<UpdateIdentity> missing = new ArrayList<>();
        int batch = Math.max(1, Math.min(ServerSyncSession.MAX_BATCH, session.config().maxNumberOfUpdatesPerRequest()));
        for (int from = 0; from < distinct.size(); from += batch) {
            List<UpdateIdentity> part = distinct.subList(from, Math.min(distinct.size(), from + batch));
            try {
                accept(session.getUpdateData(part), out);
            } catch (WsusFaultException e) {
                if (!SoapFault.INTERNAL_SERVER_ERROR.equals(e.errorCode())) {
                    throw failure(e);
                }
                isolate(part, out, missing);
            } catch (WsusException e) {
                throw failure(e);
            }
        }
        return new Fetched(out, missing);
    }

    private void isolate(List<UpdateIdentity> part, Map<UpdateIdentity, FetchedUpdate> out,
                         List<UpdateIdentity> missing) throws ExportException {
        int before = missing.size();
        for (UpdateIdentity id : part) {
            try {
                accept(session.getUpdateData(List.of(id)), out);
            } catch (WsusFaultException e) {
                if (!SoapFault.INTERNAL_SERVER_ERROR.equals(e.errorCode())) {
                    throw failure(e);
                }
                missing.add(id);
            } catch (WsusException e) {
                throw failure(e);
            }
        }
        progress.info("upstream does not have " + (missing.size() - before) + " of " + part.size()
                + " revisions asked for in one GetUpdateData batch");
    }

    private void accept(List<SyncedUpdate> received, Map<UpdateIdentity, FetchedUpdate> out) throws ExportException {
        for (SyncedUpdate s : received) {
            UpdateDocument doc;
            try {
                doc = UpdateDocument.parse(s.xml());
            } catch (MetadataException e) {
                throw dataError("the document of " + s.identity() + " is unusable: " + e.getMessage(), e);
            }
            if (!doc.identity().equals(s.identity())) {
                throw dataError("asked for " + s.identity() + " but the document is " + doc.identity(), null);
            }
            Spool.Spooled spooled = spool.put(s.identity() + ".xml", s.xml());
            this.received++;
            out.put(s.identity(), FetchedUpdate.of(doc, urls(s), spooled.file(), spooled.size()));
        }
    }

    /**
     * Where the upstream says each file is: UssUrl when it serves the file itself, else MUUrl. Only http(s)
     * URLs are taken; a file without one is fetched from the upstream's {@code /Content/} path (3.2.4.4).
     */
    private static Map<String, URI> urls(SyncedUpdate s) {
        Map<String, URI> out = new HashMap<>();
        for (UrlData u : s.fileUrls()) {
            URI url = httpUrl(u.ussUrl());
            if (url == null) {
                url = httpUrl(u.muUrl());
            }
            if (url != null) {
                out.putIfAbsent(u.fileDigest(), url);
            }
        }
        return out;
    }

    /** The upstream's own content URL for a file (MS-WSUSSS 2.1). */
    URI contentUri(String sha1Base64, String fileName) {
        return session.contentUri(sha1Base64, fileName);
    }

    private static URI httpUrl(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            URI u = new URI(s.trim());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && u.getHost() != null ? u : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** Keeps the client's one-line message (it names the upstream and operation) and the fault's ErrorCode. */
    static ExportUpstreamException failure(WsusException e) {
        String code = e instanceof WsusFaultException f ? f.errorCode() : null;
        return new ExportUpstreamException(e.getMessage(), e.upstream(), e.operation(), code, e);
    }

    private ExportUpstreamException dataError(String detail, Throwable cause) {
        return new ExportUpstreamException("upstream " + base() + " GetUpdateData: " + detail, base(),
                "GetUpdateData", null, cause);
    }
}
