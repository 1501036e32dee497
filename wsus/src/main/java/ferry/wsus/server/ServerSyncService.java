package ferry.wsus.server;

import ferry.wsus.ContentUrls;
import ferry.wsus.UpdateIdentity;
import ferry.wsus.cab.CabBlob;
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

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

/** Answers MS-WSUSSS requests (3.1.4) from an {@link UpdateCatalog}; independent of HTTP. Thread-safe. */
final class ServerSyncService {

    /** Documents above this many UTF-16 bytes travel compressed, as real servers do (3.1.4.6, note 36). */
    static final int COMPRESS_ABOVE_UTF16_BYTES = 5120;

    private static final Pattern PROTOCOL_VERSION = Pattern.compile("(\\d{1,4})\\.(\\d{1,4})");

    private final UpdateCatalog catalog;
    private final ServerSyncSettings settings;
    private final CookieAuthority cookies;
    private final String lastChange = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();

    ServerSyncService(UpdateCatalog catalog, ServerSyncSettings settings, CookieAuthority cookies) {
        this.catalog = catalog;
        this.settings = settings;
        this.cookies = cookies;
    }

    /**
     * @param contentBase this server's base URL as the caller reached it (e.g. {@code http://host:8530}), used for
     *                    the UssUrl of content files
     */
    byte[] answer(SoapRequest request, String contentBase) throws FaultSignal {
        if (request instanceof SoapRequest.GetAuthConfig) {
            return SoapResponses.getAuthConfig(lastChange,
                    List.of(new AuthPlugIn(Soap.PLUGIN_DSS_TARGETING, Soap.DSS_AUTH_SERVICE_URL)));
        }
        if (request instanceof SoapRequest.GetAuthorizationCookie r) {
            return SoapResponses.getAuthorizationCookie(cookies.issueAuthorization(accountGuid(r.accountGuid())));
        }
        if (request instanceof SoapRequest.GetCookie r) {
            return SoapResponses.getCookie(getCookie(r));
        }
        if (request instanceof SoapRequest.GetConfigData r) {
            requireCookie(r.cookie());
            return SoapResponses.getConfigData(new ConfigData(settings.catalogOnlySync(), settings.lazySync(), false,
                    settings.maxUpdatesPerRequest(), 0, 0, 0, catalog.anchor(), Soap.PROTOCOL_VERSION,
                    settings.languages(), settings.maxUpdatesPerRequest()));
        }
        if (request instanceof SoapRequest.GetRevisionIdList r) {
            requireCookie(r.cookie());
            return SoapResponses.getRevisionIdList(revisions(r.filter()));
        }
        if (request instanceof SoapRequest.GetUpdateData r) {
            requireCookie(r.cookie());
            return SoapResponses.getUpdateData(updateData(ids(r.updateIds()), contentBase));
        }
        SoapRequest.GetUpdateDecryptionData r = (SoapRequest.GetUpdateDecryptionData) request;
        requireCookie(r.cookie());
        List<UpdateFileDecryption> out = new ArrayList<>();
        for (UpdateIdentity id : ids(r.updateIds())) {
            List<FileDecryption> files = catalog.files(id).stream()
                    .map(f -> new FileDecryption(f.sha1Base64(), null)).toList();
            out.add(new UpdateFileDecryption(id, files));
        }
        return SoapResponses.getUpdateDecryptionData(out);
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
        Deque<UpdateIdentity> todo = new ArrayDeque<>(result);
        while (!todo.isEmpty()) {
            for (UpdateIdentity child : catalog.bundledUpdates(todo.pop())) {
                if (result.add(child)) {
                    todo.push(child);
                }
            }
        }
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
        for (UpdateIdentity id : ids) {
            String xml = catalog.metadata(id).orElseThrow(
                    // a real server answers an unknown revision with InternalServerError (exchange 000017)
                    () -> new FaultSignal(SoapFault.INTERNAL_SERVER_ERROR, ""));
            List<UpdateCatalog.CatalogFile> files = catalog.files(id);
            List<String> digests = files.stream().map(UpdateCatalog.CatalogFile::sha1Base64).distinct().toList();
            boolean compress = !plainXmlSafe(xml)
                    || !settings.plainBlobsOnly() && xml.length() * 2L > COMPRESS_ABOVE_UTF16_BYTES;
            updates.add(compress ? new UpdateData(id, null, digests, CabBlob.encode(xml))
                    : new UpdateData(id, xml, digests, null));
            for (UpdateCatalog.CatalogFile f : files) {
                urls.computeIfAbsent(f.sha1Base64(), d -> new UrlData(d, f.muUrl(), ussUrl(contentBase, f)));
            }
        }
        return new ServerUpdateData(updates, new ArrayList<>(urls.values()));
    }

    private static String ussUrl(String contentBase, UpdateCatalog.CatalogFile f) {
        try {
            return contentBase + ContentUrls.path(f.sha1Base64(), f.fileName());
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /** False when the text holds characters XML 1.0 cannot carry; the CAB form carries any text. */
    private static boolean plainXmlSafe(String xml) {
        for (int i = 0; i < xml.length(); i++) {
            char c = xml.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0xFFFE || c == 0xFFFF) {
                return false;
            }
        }
        return true;
    }
}
