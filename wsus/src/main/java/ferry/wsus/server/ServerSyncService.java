package ferry.wsus.server;

import ferry.wsus.ContentUrls;
import ferry.wsus.UpdateIdentity;
import ferry.wsus.catalog.Approval;
import ferry.wsus.catalog.DeploymentChanges;
import ferry.wsus.catalog.ServedDocument;
import ferry.wsus.catalog.TargetGroup;
import ferry.wsus.soap.Messages.DeploymentData;
import ferry.wsus.soap.Messages.DeploymentResult;
import ferry.wsus.soap.Messages.TargetGroupData;
import ferry.wsus.soap.Messages.AuthPlugIn;
import ferry.wsus.soap.Messages.AuthorizationCookie;
import ferry.wsus.soap.Messages.ConfigData;
import ferry.wsus.soap.Messages.Cookie;
import ferry.wsus.soap.Messages.FileDecryption;
import ferry.wsus.soap.Messages.IdAndDelta;
import ferry.wsus.soap.Messages.RevisionIdList;
import ferry.wsus.soap.Messages.ServerSyncFilter;
import ferry.wsus.soap.Messages.ServerUpdateData;
import ferry.wsus.soap.Messages.UpdateData;
import ferry.wsus.soap.Messages.UpdateFileDecryption;
import ferry.wsus.soap.Messages.UrlData;
import ferry.wsus.soap.Soap;
import ferry.wsus.soap.SoapFault;
import ferry.wsus.soap.SoapRequest;
import ferry.wsus.soap.SoapResponses;

import ferry.wsus.soap.Messages.LanguageData;
import ferry.wsus.soap.Messages.RollupConfiguration;
import ferry.wsus.soap.Operation;
import ferry.wsus.soap.SoapRequestReader;
import ferry.wsus.soap.SoapVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.zip.CRC32;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

/** Answers MS-WSUSSS requests (3.1.4) from an {@link UpdateCatalog}; independent of HTTP. Thread-safe. */
final class ServerSyncService {

    /** Documents above this many UTF-16 bytes travel compressed, as real servers do (3.1.4.6, note 36). */
    static final int COMPRESS_ABOVE_UTF16_BYTES = ServedDocument.COMPRESS_ABOVE_UTF16_BYTES;

    private static final Pattern PROTOCOL_VERSION = Pattern.compile("(\\d{1,4})\\.(\\d{1,4})");

    /** This server in GetRollupConfiguration: fixed, so a downstream server's rollup state survives restarts. */
    static final String SERVER_ID = UUID.nameUUIDFromBytes("ferry upstream server".getBytes(StandardCharsets.UTF_8)).toString();
    static final String ROLLUP_RESET_GUID = UUID.nameUUIDFromBytes("ferry rollup 1".getBytes(StandardCharsets.UTF_8)).toString();

    private static final Logger LOG = LoggerFactory.getLogger(ServerSyncService.class);

    private static final String NO_GROUP = "00000000-0000-0000-0000-000000000000";
    private static final String NO_DEADLINE = "9999-12-31T23:59:59.9999999";
    private static final java.time.format.DateTimeFormatter XS_TIME =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS").withZone(java.time.ZoneOffset.UTC);

    private final UpdateCatalog catalog;
    private final ServerSyncSettings settings;
    private final CookieAuthority cookies;
    private final Clock clock;
    private final String lastChange;
    private final long configCounter;
    private final BlobCabinets cabinets = new BlobCabinets(BlobCabinets.DEFAULT_BUDGET_BYTES);

    ServerSyncService(UpdateCatalog catalog, ServerSyncSettings settings, CookieAuthority cookies) {
        this.catalog = catalog;
        this.settings = settings;
        this.cookies = cookies;
        this.clock = Clock.systemUTC();
        this.lastChange = clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
        this.configCounter = configCounter(settings.languages());
    }

    /**
     * @param v           the SOAP version to answer in (the request's)
     * @param contentBase this server's base URL as the caller reached it (e.g. {@code http://host:8530}), used for
     *                    the UssUrl of content files
     * @throws FaultSignal for a request the protocol says to refuse, with its ErrorCode
     */
    byte[] answer(SoapVersion v, SoapRequest request, String contentBase) throws FaultSignal {
        if (request instanceof SoapRequest.GetAuthConfig) {
            return SoapResponses.getAuthConfig(v, lastChange,
                    List.of(new AuthPlugIn(Soap.PLUGIN_DSS_TARGETING, Soap.DSS_AUTH_SERVICE_URL)));
        }
        if (request instanceof SoapRequest.GetAuthorizationCookie r) {
            return SoapResponses.getAuthorizationCookie(v, cookies.issueAuthorization(accountGuid(r.accountGuid())));
        }
        if (request instanceof SoapRequest.GetCookie r) {
            return SoapResponses.getCookie(v, getCookie(r));
        }
        if (request instanceof SoapRequest.GetConfigData r) {
            requireCookie(r.cookie());
            return SoapResponses.getConfigData(v, configData(r.configAnchor()));
        }
        if (request instanceof SoapRequest.GetRevisionIdList r) {
            requireCookie(r.cookie());
            return SoapResponses.getRevisionIdList(v, revisions(r.filter()));
        }
        if (request instanceof SoapRequest.GetUpdateData r) {
            requireCookie(r.cookie());
            return SoapResponses.getUpdateData(v, updateData(ids(r.updateIds()), contentBase));
        }
        if (request instanceof SoapRequest.GetUpdateDecryptionData r) {
            requireCookie(r.cookie());
            List<UpdateFileDecryption> out = new ArrayList<>();
            for (UpdateIdentity id : ids(r.updateIds())) {
                List<FileDecryption> files = catalog.files(id).stream()
                        .map(f -> new FileDecryption(f.sha1Base64(), null)).toList();
                out.add(new UpdateFileDecryption(id, files));
            }
            return SoapResponses.getUpdateDecryptionData(v, out);
        }
        if (request instanceof SoapRequest.GetDeployments r) {
            requireCookie(r.cookie());
            return SoapResponses.getDeployments(v, deployments(r));
        }
        if (request instanceof SoapRequest.DownloadFiles r) {
            requireCookie(r.cookie());
            downloadFiles(r.fileDigests());
            return SoapResponses.empty(v, Operation.DOWNLOAD_FILES);
        }
        if (request instanceof SoapRequest.Ping) {
            return SoapResponses.empty(v, Operation.PING);
        }
        return reporting(v, (SoapRequest.Reporting) request);
    }

    /**
     * ServerSyncConfigData (3.1.4.4). CatalogOnlySync and LazySync follow the operator's settings but never promise
     * content the catalog lacks: a catalog holding no file says CatalogOnlySync (a downstream server then takes
     * files from their MUUrl, never from here), one holding only some says LazySync (files are fetched only when
     * an update is approved for install). The language list is left empty, as the recorded server does (exchange
     * 000004), when the downstream server sends a config anchor this server issued for the same list.
     */
    private ConfigData configData(String configAnchor) {
        UpdateCatalog.ContentCoverage coverage = catalog.contentCoverage();
        boolean catalogOnly = settings.catalogOnlySync() || coverage == UpdateCatalog.ContentCoverage.NONE;
        boolean lazy = settings.lazySync() || coverage != UpdateCatalog.ContentCoverage.ALL;
        Anchors.Anchor given = Anchors.parse(configAnchor);
        boolean unchanged = given != null && given.counter() == configCounter;
        return new ConfigData(catalogOnly, lazy, false, settings.maxUpdatesPerRequest(), 0, 0, 0,
                Anchors.format(configCounter, clock.instant()), Soap.PROTOCOL_VERSION,
                unchanged ? List.of() : settings.languages(), settings.maxUpdatesPerRequest());
    }

    /** A number from 1 to 2^31-1 that changes when the advertised language list does. */
    private static long configCounter(List<LanguageData> languages) {
        CRC32 crc = new CRC32();
        for (LanguageData l : languages) {
            crc.update((l.languageId() + "|" + l.shortLanguage() + "|" + l.longLanguage() + "|" + l.enabled() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        return (crc.getValue() & 0x7FFFFFFFL) % 2_147_483_646L + 1;
    }

    /**
     * GetDeployments (3.1.4.10): validates the anchors, then answers every computer group, the approvals made and
     * removed since the deployment anchor's counter (all of them without one, or with a counter this store never
     * reached: an anchor of another server), and the declined updates as hidden. The anchor is the store's deployment
     * counter and the time of the call, in the real form. Approvals of updates the store does not hold are left out.
     * Deadlines and go-live times are UTC without a zone designator, as in the specification's example; no deadline
     * is {@code 9999-12-31T23:59:59.9999999}. AdminName is {@code WUS Server} for a rule's approval, as WSUS names
     * its automatic approvals, and {@code ferry} otherwise.
     */
    private DeploymentResult deployments(SoapRequest.GetDeployments r) throws FaultSignal {
        if (r.syncAnchor() == null || Anchors.parse(r.syncAnchor()) == null) {
            throw new FaultSignal(SoapFault.INVALID_PARAMETERS, "syncAnchor");
        }
        Anchors.Anchor given = null;
        if (r.deploymentAnchor() != null && !r.deploymentAnchor().isBlank()) {
            given = Anchors.parse(r.deploymentAnchor());
            if (given == null) {
                throw new FaultSignal(SoapFault.INVALID_PARAMETERS, "deploymentAnchor");
            }
        }
        DeploymentChanges all = catalog.deploymentChanges(0);
        long since = given == null || given.counter() > all.counter() ? 0 : given.counter();
        DeploymentChanges d = since == 0 ? all : catalog.deploymentChanges(since);
        List<TargetGroupData> groups = new ArrayList<>();
        for (TargetGroup g : d.groups()) {
            groups.add(new TargetGroupData(g.id(), g.parentId() == null ? NO_GROUP : g.parentId(), g.name(),
                    g.builtIn()));
        }
        List<DeploymentData> deployments = new ArrayList<>();
        for (Approval a : d.deployments()) {
            deployments.add(new DeploymentData(new UpdateIdentity(a.updateId(), a.revisionNumber()),
                    a.action().equals(Approval.UNINSTALL) ? 1 : 0, a.origin().equals("rule") ? "WUS Server" : "ferry",
                    a.deadline() == null ? NO_DEADLINE : XS_TIME.format(a.deadline()), true,
                    XS_TIME.format(a.approvedAt()), a.deploymentGuid(), a.groupId(), 1));
        }
        return new DeploymentResult(Anchors.format(d.counter(), clock.instant()), groups, deployments,
                d.deadDeployments(), d.hiddenUpdates(), List.of());
    }

    /**
     * DownloadFiles (3.1.4.11): 1 to 100 SHA-1 digests. This server has no parent to fetch from, so like a real
     * one whose parent fails it answers success and downloads nothing (the specification lets it ignore download
     * failures silently); files arrive only by import.
     */
    private void downloadFiles(List<String> digests) throws FaultSignal {
        if (digests == null || digests.isEmpty() || digests.size() > SoapRequestReader.MAX_DOWNLOAD_DIGESTS) {
            throw new FaultSignal(SoapFault.INVALID_PARAMETERS, "fileDigestList");
        }
        for (String d : digests) {
            try {
                if (Base64.getDecoder().decode(d).length != 20) {
                    throw new FaultSignal(SoapFault.INVALID_PARAMETERS, "fileDigestList");
                }
            } catch (IllegalArgumentException e) {
                throw new FaultSignal(SoapFault.INVALID_PARAMETERS, "fileDigestList");
            }
        }
        LOG.info("DownloadFiles for {} file(s): files reach this server only by import; nothing downloaded",
                digests.size());
    }

    /**
     * The Reporting Web Service (3.1.4.13-17). This server keeps no reports: it asks for no detailed rollup, takes
     * what a downstream server rolls up and discards it, names no computer as out of step, and says each status
     * batch was processed. The batch sizes are the Windows values (3.1.4.13, notes 46-49).
     */
    private byte[] reporting(SoapVersion v, SoapRequest.Reporting r) {
        return switch (r.operation()) {
            case GET_ROLLUP_CONFIGURATION -> SoapResponses.getRollupConfiguration(v, new RollupConfiguration(false,
                    ROLLUP_RESET_GUID, SERVER_ID, 5000, 1500, 20000, 500));
            case ROLLUP_DOWNSTREAM_SERVERS -> SoapResponses.empty(v, r.operation());
            case ROLLUP_COMPUTERS, GET_OUT_OF_SYNC_COMPUTERS -> SoapResponses.emptyResult(v, r.operation());
            case ROLLUP_COMPUTER_STATUS -> SoapResponses.rollupComputerStatus(v, true);
            default -> throw new IllegalArgumentException(r.operation() + " is not a reporting operation");
        };
    }

    private static String accountGuid(String guid) throws FaultSignal {
        try {
            return UUID.fromString(guid == null ? "" : guid.trim()).toString();
        } catch (IllegalArgumentException e) {
            throw new FaultSignal(SoapFault.INVALID_PARAMETERS, "accountGuid");
        }
    }

    private Cookie getCookie(SoapRequest.GetCookie r) throws FaultSignal {
        if (r.authCookies() == null || r.authCookies().size() != 1) {
            throw new FaultSignal(SoapFault.INVALID_PARAMETERS, "authCookies");
        }
        String version = r.protocolVersion() == null ? "" : r.protocolVersion();
        var m = PROTOCOL_VERSION.matcher(version);
        if (!m.matches()) {
            throw new FaultSignal(SoapFault.INVALID_PARAMETERS, "protocolVersion");
        }
        if (!"1".equals(m.group(1))) {
            throw new FaultSignal(SoapFault.INCOMPATIBLE_PROTOCOL_VERSION, "protocolVersion");
        }
        AuthorizationCookie auth = r.authCookies().get(0);
        String account = cookies.checkAuthorization(auth)
                .orElseThrow(() -> new FaultSignal(SoapFault.INVALID_AUTHORIZATION_COOKIE, "authCookies"));
        return cookies.issueCookie(account, version);
    }

    private void requireCookie(Cookie cookie) throws FaultSignal {
        if (!cookies.checkCookie(cookie)) {
            throw new FaultSignal(SoapFault.INVALID_COOKIE, "");
        }
    }

    /**
     * 3.1.4.5 with per-id Delta: everything newer than the anchor in the selection, plus, for ids with
     * Delta=false (newly selected by the DSS), everything regardless of the anchor.
     */
    private RevisionIdList revisions(ServerSyncFilter filter) throws FaultSignal {
        if (filter == null) {
            throw new FaultSignal(SoapFault.INVALID_PARAMETERS, "filter");
        }
        String anchor = filter.anchor() == null || filter.anchor().isBlank() ? null : filter.anchor();
        String newAnchor = catalog.anchor();
        Set<UpdateIdentity> result = new TreeSet<>();
        try {
            if (filter.getConfig()) {
                result.addAll(catalog.revisions(true, Set.of(), Set.of(), anchor));
            } else {
                Set<String> products = ids(filter.categories(), false);
                Set<String> classifications = ids(filter.classifications(), false);
                result.addAll(catalog.revisions(false, products, classifications, anchor));
                if (anchor != null) {
                    Set<String> freshProducts = ids(filter.categories(), true);
                    Set<String> freshClassifications = ids(filter.classifications(), true);
                    if (!freshProducts.isEmpty()) {
                        result.addAll(catalog.revisions(false, freshProducts, classifications, null));
                    }
                    if (!freshClassifications.isEmpty()) {
                        result.addAll(catalog.revisions(false, products, freshClassifications, null));
                    }
                }
                addBundled(result);
            }
        } catch (UpdateCatalog.InvalidAnchorException e) {
            throw new FaultSignal(SoapFault.INVALID_PARAMETERS, "filter");
        }
        return new RevisionIdList(newAnchor, new ArrayList<>(result));
    }

    /**
     * Adds the bundled updates of every listed revision, transitively. Leaves of a bundle carry no category
     * membership of their own (their product and classification are the bundle's), so a downstream server
     * that synchronizes a product x classification must still be told about them, as real upstreams do.
     */
    private void addBundled(Set<UpdateIdentity> result) {
        UpdateCatalog.withBundled(catalog, result);
    }

    /** Writes an answer to a stream as it is made. */
    @FunctionalInterface
    interface StreamedAnswer {
        void writeTo(java.io.OutputStream out) throws java.io.IOException;
    }

    /**
     * A GetRevisionIdList for software and drivers with no product or classification filter (every update the
     * store holds: hundreds of thousands at WSUS scale) as an answer written while the catalog is read, never held
     * whole; null for any other request ({@link #answer} answers it). The cookie, the filter and the anchor are
     * checked here, before anything is written.
     *
     * @throws FaultSignal as {@link #answer}
     */
    StreamedAnswer streamed(SoapVersion v, SoapRequest request) throws FaultSignal {
        if (!(request instanceof SoapRequest.GetRevisionIdList r) || r.filter() == null || r.filter().getConfig()
                || !r.filter().categories().isEmpty() || !r.filter().classifications().isEmpty()) {
            return null;
        }
        requireCookie(r.cookie());
        String anchor = r.filter().anchor() == null || r.filter().anchor().isBlank() ? null : r.filter().anchor();
        String newAnchor = catalog.anchor();
        try {
            // the anchor is read now, so that one that is not an anchor is a fault, not a broken stream
            catalog.checkAnchor(anchor);
        } catch (UpdateCatalog.InvalidAnchorException e) {
            throw new FaultSignal(SoapFault.INVALID_PARAMETERS, "filter");
        }
        return out -> SoapResponses.getRevisionIdList(v, newAnchor, sink -> {
            try {
                catalog.forEachUnfilteredRevision(anchor, sink);
            } catch (UpdateCatalog.InvalidAnchorException e) {
                throw new IllegalStateException("anchor read once, refused the second time: " + e.getMessage(), e);
            }
        }, out);
    }

    /** @param onlyFresh true: only ids with Delta=false */
    private static Set<String> ids(List<IdAndDelta> list, boolean onlyFresh) {
        Set<String> out = new TreeSet<>();
        for (IdAndDelta id : list) {
            if (!onlyFresh || !id.delta()) {
                out.add(id.id());
            }
        }
        return out;
    }

    private List<UpdateIdentity> ids(List<UpdateIdentity> ids) throws FaultSignal {
        if (ids == null || ids.isEmpty() || ids.size() > settings.maxUpdatesPerRequest()) {
            throw new FaultSignal(SoapFault.INVALID_PARAMETERS, "updateIds");
        }
        return ids;
    }

    private ServerUpdateData updateData(List<UpdateIdentity> ids, String contentBase) throws FaultSignal {
        List<UpdateData> updates = new ArrayList<>();
        Map<String, UrlData> urls = new LinkedHashMap<>();
        List<Optional<UpdateCatalog.UpdateContent>> contents = catalog.updateContent(ids);
        String[] xmls = new String[ids.size()];
        byte[][] cabs = new byte[ids.size()][];
        List<UpdateIdentity> toCompress = new ArrayList<>();
        List<String> toCompressXml = new ArrayList<>();
        List<Integer> toCompressAt = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            UpdateCatalog.UpdateContent content = contents.get(i).orElseThrow(
                    // a real server answers an unknown revision with InternalServerError (exchange 000017)
                    () -> new FaultSignal(SoapFault.INTERNAL_SERVER_ERROR, ""));
            if (content.cabinet() != null && !settings.plainBlobsOnly()) {
                cabs[i] = content.cabinet(); // made at import: the usual case, a keyed read
                continue;
            }
            String xml = content.metadata() != null ? content.metadata() : catalog.metadata(ids.get(i)).orElseThrow(
                    () -> new FaultSignal(SoapFault.INTERNAL_SERVER_ERROR, ""));
            if (!compressed(xml)) {
                xmls[i] = xml;
            } else if (content.cabinet() != null) {
                cabs[i] = content.cabinet();
            } else {
                // a revision imported before the catalog kept cabinets
                toCompress.add(ids.get(i));
                toCompressXml.add(xml);
                toCompressAt.add(i);
            }
        }
        List<byte[]> made = cabinets.cabinets(toCompress, toCompressXml);
        for (int k = 0; k < made.size(); k++) {
            cabs[toCompressAt.get(k)] = made.get(k);
        }
        for (int i = 0; i < ids.size(); i++) {
            UpdateIdentity id = ids.get(i);
            List<UpdateCatalog.CatalogFile> files = contents.get(i).orElseThrow().files();
            List<String> digests = files.stream().map(UpdateCatalog.CatalogFile::sha1Base64).distinct().toList();
            updates.add(cabs[i] != null ? new UpdateData(id, null, digests, cabs[i])
                    : new UpdateData(id, xmls[i], digests, null));
            for (UpdateCatalog.CatalogFile f : files) {
                urls.computeIfAbsent(f.sha1Base64(), d -> urlData(contentBase, f));
            }
        }
        return new ServerUpdateData(updates, new ArrayList<>(urls.values()));
    }

    /** Whether a document travels as an LZX cabinet. */
    private boolean compressed(String xml) {
        return settings.plainBlobsOnly() ? !ServedDocument.plainXmlSafe(xml) : ServedDocument.sentCompressed(xml);
    }

    /**
     * ServerSyncUrlData for every file (3.1.4.6.3.5): UssUrl is this server's URL when it holds the file, else
     * empty; MUUrl is the Microsoft Update URL when the catalog knows it, else this server's URL for a file it
     * holds (where a catalog-only downstream server can still get it), else empty.
     */
    private static UrlData urlData(String contentBase, UpdateCatalog.CatalogFile f) {
        String uss = f.held() ? ussUrl(contentBase, f) : "";
        String mu = f.muUrl() != null && !f.muUrl().isEmpty() ? f.muUrl() : uss;
        return new UrlData(f.sha1Base64(), mu, uss);
    }

    private static String ussUrl(String contentBase, UpdateCatalog.CatalogFile f) {
        try {
            return contentBase + ContentUrls.path(f.sha1Base64(), f.fileName());
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
