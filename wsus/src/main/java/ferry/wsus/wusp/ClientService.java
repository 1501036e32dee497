package ferry.wsus.wusp;

import ferry.wsus.ContentUrls;
import ferry.wsus.UpdateIdentity;
import ferry.wsus.metadata.MetadataException;
import ferry.wsus.metadata.UpdateFile;
import ferry.wsus.soap.Messages.Cookie;
import ferry.wsus.soap.SoapFault;
import ferry.wsus.soap.SoapVersion;
import ferry.wsus.wusp.ClientApprovals.Decisions;
import ferry.wsus.wusp.ClientCookies.Checked;
import ferry.wsus.wusp.ClientRegistry.Offer;
import ferry.wsus.wusp.ClientResponses.CacheEntry;
import ferry.wsus.wusp.ClientResponses.FileLocation;
import ferry.wsus.wusp.ClientResponses.SyncInfo;
import ferry.wsus.wusp.ClientResponses.UpdateFragment;
import ferry.wsus.wusp.ClientResponses.UpdateInfo;
import ferry.wsus.wusp.ClientScope.Entry;
import ferry.wsus.wusp.ClientScope.Snapshot;
import ferry.wsus.wusp.SyncPlanner.Approval;
import ferry.wsus.wusp.SyncPlanner.Page;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The server half of MS-WUSP (3.1.5): answers each {@link ClientRequest} of a Windows Update Agent from a store
 * ({@link ClientScope}), the administrator's decisions ({@link ClientApprovals}) and the clients database
 * ({@link ClientRegistry}), and writes the answer with {@link ClientResponses}.
 *
 * <p>What it decides: GetConfig advertises {@link ClientConfiguration} (protocol 3.2, registration required and
 * SimpleTargeting) with the LastChange of that configuration; cookies are {@link ClientCookies} (one hour, sealed
 * with the clients database's key and naming the store and the configuration's LastChange, so a restart keeps them
 * valid, a cookie of another store gets ServerChanged, and one of an earlier configuration gets ConfigChanged from
 * SyncUpdates and SyncPrinterCatalog); SyncUpdates is
 * {@link SyncPlanner} over every latest revision that is not declined, with an approval's {@code Install} only for
 * an update whose files (its own and its bundled updates') the store holds all of, since an offer the client cannot
 * download fails on every computer; file locations name {@code /Content/} on the scheme, host and port the request
 * came to, and only files the store holds.
 *
 * <p>Thread-safe.
 */
public final class ClientService {
    /** GetConfig's MaxExtendedUpdatesPerRequest, as the recorded server advertised. */
    public static final int MAX_EXTENDED_UPDATES_PER_REQUEST = ClientConfiguration.MAX_EXTENDED_UPDATES_PER_REQUEST;
    /** Every computer is in this group; approvals for it apply to all. */
    public static final String ALL_COMPUTERS = "All Computers";
    /** A computer whose policy names no group is in this one. */
    public static final String UNASSIGNED_COMPUTERS = "Unassigned Computers";

    private static final DateTimeFormatter LAST_CHANGE = DateTimeFormatter.ISO_INSTANT;

    private final ClientScope scope;
    private final ClientApprovals approvals;
    private final ClientRegistry registry;
    private final ClientCookies cookies;
    private final Clock clock;
    private final ClientConfiguration configuration;
    // GetConfig's LastChange, to the millisecond; cookies carry it as epoch milliseconds
    private final Instant lastChange;

    /** A service advertising {@link ClientConfiguration#ferry()}. */
    public ClientService(ClientScope scope, ClientApprovals approvals, ClientRegistry registry, String serverId,
                         Clock clock) {
        this(scope, approvals, registry, serverId, clock, ClientConfiguration.ferry());
    }

    /**
     * @param serverId the server's identity in cookies: the store's id, so that a cookie of another store (whose
     *                 revision ids mean nothing here) is told apart as ServerChanged; a cookie sealed with another
     *                 key of the same store (a new clients database) is InvalidCookie: the client asks for a new
     *                 one and keeps its cache, whose revision ids are still this store's
     * @param configuration what GetConfig advertises; recorded in the clients database, where a configuration other
     *                 than the one recorded there is a change: GetConfig's LastChange becomes now and cookies issued
     *                 under the earlier one get ConfigChanged (see {@link ClientRegistry#configuration})
     * @throws ferry.store.StoreException if the clients database cannot record the configuration
     */
    public ClientService(ClientScope scope, ClientApprovals approvals, ClientRegistry registry, String serverId,
                         Clock clock, ClientConfiguration configuration) {
        this.scope = scope;
        this.approvals = approvals;
        this.registry = registry;
        this.clock = clock;
        this.cookies = new ClientCookies(registry.cookieKey(), clock, serverId);
        this.configuration = configuration;
        this.lastChange = registry.configuration(configuration.digest(), clock.instant()).truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * @param origin {@code scheme://host:port} as the client addressed this server (file locations use it)
     * @throws ClientFault for a request the protocol answers with a fault (cookies, registration, parameters)
     */
    public byte[] answer(SoapVersion v, ClientRequest request, String origin) throws ClientFault {
        return switch (request.operation()) {
            case GET_CONFIG -> ClientResponses.getConfig(v, config());
            case GET_AUTHORIZATION_COOKIE -> authorization(v, (ClientRequest.GetAuthorizationCookie) request);
            case GET_COOKIE -> cookie(v, (ClientRequest.GetCookie) request);
            case REGISTER_COMPUTER -> register(v, (ClientRequest.RegisterComputer) request);
            case START_CATEGORY_SCAN -> categoryScan(v, (ClientRequest.StartCategoryScan) request);
            case SYNC_UPDATES -> sync(v, (ClientRequest.SyncUpdates) request);
            case SYNC_PRINTER_CATALOG -> printers(v, (ClientRequest.SyncPrinterCatalog) request);
            case REFRESH_CACHE -> refresh(v, (ClientRequest.RefreshCache) request);
            case GET_EXTENDED_UPDATE_INFO -> extended(v, (ClientRequest.GetExtendedUpdateInfo) request, origin);
            case GET_EXTENDED_UPDATE_INFO2 -> extended2(v, (ClientRequest.GetExtendedUpdateInfo2) request, origin);
            case GET_FILE_LOCATIONS -> locations(v, (ClientRequest.GetFileLocations) request, origin);
            case REPORT_EVENT_BATCH -> report(v, (ClientRequest.ReportEventBatch) request);
        };
    }

    /** GetConfig's answer: the same for every client; LastChange is when this configuration took effect. */
    public ClientResponses.Config config() {
        return configuration.withLastChange(LAST_CHANGE.format(lastChange));
    }

    private byte[] authorization(SoapVersion v, ClientRequest.GetAuthorizationCookie r) {
        registry.authorized(r.clientId(), r.dnsName(), r.targetGroupName(), clock.instant());
        return ClientResponses.getAuthorizationCookie(v, ClientCookies.SIMPLE_TARGETING,
                cookies.issueAuthorization(r.clientId()));
    }

    private byte[] cookie(SoapVersion v, ClientRequest.GetCookie r) throws ClientFault {
        String clientId = null;
        for (ClientRequest.AuthorizationCookie a : r.authCookies()) {
            if (a.cookieData() != null) {
                clientId = cookies.checkAuthorization(a.plugInId(), a.cookieData());
                if (clientId != null) {
                    break;
                }
            }
        }
        if (clientId == null) {
            throw new ClientFault(SoapFault.INVALID_AUTHORIZATION_COOKIE, "authCookies");
        }
        // MS-WUSP 3.1.5.4: lastChange MUST be GetConfig's LastChange, else ConfigChanged (the client re-reads the
        // configuration). A request without one (the schema requires it; the native client always sends it) gets a
        // cookie of the configuration now, which SyncUpdates then accepts.
        if (r.lastChange() != null && !r.lastChange().isEmpty() && !lastChange.equals(clientTime(r.lastChange()))) {
            throw new ClientFault(ClientFault.CONFIG_CHANGED, "lastChange");
        }
        registry.contacted(clientId, clock.instant());
        return ClientResponses.getCookie(v, cookies.issue(clientId, r.protocolVersion(), lastChange.toEpochMilli()));
    }

    // xs:dateTime as the client echoes GetConfig's LastChange, to the millisecond
    private static Instant clientTime(String text) throws ClientFault {
        try {
            return OffsetDateTime.parse(text.trim()).toInstant().truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeParseException e) {
            try {
                // xs:dateTime without a zone: the protocol's times are UTC
                return LocalDateTime.parse(text.trim()).toInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
            } catch (DateTimeParseException e2) {
                throw new ClientFault(SoapFault.INVALID_PARAMETERS, "lastChange");
            }
        }
    }

    private byte[] register(SoapVersion v, ClientRequest.RegisterComputer r) throws ClientFault {
        String clientId = client(r.cookie());
        registry.registered(clientId, r.computer(), clock.instant());
        return ClientResponses.registerComputer(v);
    }

    // MS-WUSP 3.1.5.9: the requested categories this server knows (each once, in request order)
    private byte[] categoryScan(SoapVersion v, ClientRequest.StartCategoryScan r) throws ClientFault {
        if (r.requestedCategories().size() >= 200) {
            throw new ClientFault(SoapFault.INVALID_PARAMETERS, "requestedCategories");
        }
        Snapshot s = scope.current();
        Set<String> preferred = new LinkedHashSet<>();
        for (ClientRequest.CategoryRelationship c : r.requestedCategories()) {
            Entry e = s.byUpdate(c.categoryId());
            if (e != null && e.updateType().equals("Category")) {
                preferred.add(c.categoryId());
            }
        }
        return ClientResponses.startCategoryScan(v, List.copyOf(preferred));
    }

    private byte[] sync(SoapVersion v, ClientRequest.SyncUpdates r) throws ClientFault {
        String clientId = synchronizing(r.cookie());
        ClientRegistry.Known known = registry.known(clientId).orElse(null);
        if (known == null || !known.registered()) {
            throw new ClientFault(ClientFault.REGISTRATION_REQUIRED, "RegisterComputer first");
        }
        // The updates and the decisions of one committed state: when an import commits between the two reads (a
        // bundle bringing updates and an approval set for them), both are read again, so the answer is not built
        // from the new approvals and the old updates (up to three times, should imports keep committing meanwhile).
        Snapshot read = scope.current();
        Decisions decided = approvals.decisions(targetGroups(known.targetGroup()));
        for (int retry = 0; retry < 3 && scope.current() != read; retry++) {
            read = scope.current();
            decided = approvals.decisions(targetGroups(known.targetGroup()));
        }
        Snapshot s = read;
        Decisions d = decided;
        List<SyncPlanner.Revision> revisions = s.revisions();
        if (!d.declined().isEmpty()) {
            revisions = revisions.stream().filter(x -> !d.declined().contains(x.updateId())).toList();
        }
        Map<String, Approval> installable = new HashMap<>();
        d.approvals().forEach((updateId, a) -> {
            if (s.byUpdate(updateId) != null && (!a.action().equals("Install") || s.missingFiles(updateId).isEmpty())) {
                installable.put(updateId, a);
            }
        });
        Page page = SyncPlanner.plan(revisions, installable, r.parameters(), SyncPlanner.PAGE_SIZE);
        List<UpdateInfo> updates = new ArrayList<>(page.updates().size());
        List<Offer> offers = new ArrayList<>();
        for (UpdateInfo u : page.updates()) {
            Entry e = s.byId(u.id());
            updates.add(new UpdateInfo(u.id(), u.deployment(), u.isLeaf(), fragments(e).core()));
            if (u.deployment() != null && u.deployment().action().equals("Install")) {
                offers.add(new Offer(e.updateId(), e.revisionNumber(), e.title()));
            }
        }
        registry.synced(clientId, offers, clock.instant());
        // The recorded server handed the presented cookie back: its lifetime is not extended by use.
        return ClientResponses.syncUpdates(v, new SyncInfo(updates, page.outOfScopeRevisionIds(), page.truncated(),
                r.cookie(), page.driverSyncNotNeeded()));
    }

    // ferry serves no printer drivers
    private byte[] printers(SoapVersion v, ClientRequest.SyncPrinterCatalog r) throws ClientFault {
        synchronizing(r.cookie());
        return ClientResponses.syncPrinterCatalog(v, new SyncInfo(List.of(), List.of(), false, r.cookie(), true));
    }

    private byte[] refresh(SoapVersion v, ClientRequest.RefreshCache r) throws ClientFault {
        client(r.cookie());
        Snapshot s = scope.current();
        Set<String> needed = new HashSet<>();
        Set<String> bundled = new HashSet<>();
        for (SyncPlanner.Revision x : s.revisions()) {
            x.clauses().forEach(needed::addAll);
            bundled.addAll(x.bundledUpdateIds());
        }
        List<CacheEntry> out = new ArrayList<>();
        for (UpdateIdentity id : r.globalIds()) {
            Entry e = s.byUpdate(id.updateId().toLowerCase(Locale.ROOT));
            if (e != null && e.revisionNumber() == id.revisionNumber()) {
                String action = !e.updateType().equals("Software") ? "Evaluate"
                        : bundled.contains(e.updateId()) ? "Bundle" : "PreDeploymentCheck";
                out.add(new CacheEntry(e.id(), new UpdateIdentity(e.updateId(), e.revisionNumber()),
                        !needed.contains(e.updateId()), new ClientResponses.Deployment(e.id(), action, null, true,
                        e.lastChange(), 0, 0, 0)));
            }
        }
        return ClientResponses.refreshCache(v, out);
    }

    private byte[] extended(SoapVersion v, ClientRequest.GetExtendedUpdateInfo r, String origin) throws ClientFault {
        client(r.cookie());
        if (r.revisionIds().size() > MAX_EXTENDED_UPDATES_PER_REQUEST) {
            throw new ClientFault(SoapFault.INVALID_PARAMETERS, "revisionIDs");
        }
        Snapshot s = scope.current();
        List<Entry> entries = new ArrayList<>();
        TreeSet<Integer> outOfScope = new TreeSet<>();
        for (int id : new LinkedHashSet<>(r.revisionIds())) { // in the order asked, as the recorded server
            Entry e = s.byId(id);
            if (e == null) {
                outOfScope.add(id);
            } else {
                entries.add(e);
            }
        }
        Fragmented f = fragmented(s, entries, r.infoTypes(), r.locales(), origin);
        return ClientResponses.getExtendedUpdateInfo(v, f.fragments(), f.locations(), List.copyOf(outOfScope));
    }

    private byte[] extended2(SoapVersion v, ClientRequest.GetExtendedUpdateInfo2 r, String origin) throws ClientFault {
        client(r.cookie());
        if (r.updateIds().size() > MAX_EXTENDED_UPDATES_PER_REQUEST) {
            throw new ClientFault(SoapFault.INVALID_PARAMETERS, "updateIDs");
        }
        Snapshot s = scope.current();
        List<Entry> entries = new ArrayList<>();
        for (UpdateIdentity id : r.updateIds()) {
            Entry e = s.byUpdate(id.updateId().toLowerCase(Locale.ROOT));
            if (e != null && e.revisionNumber() == id.revisionNumber() && !entries.contains(e)) {
                entries.add(e);
            }
        }
        Fragmented f = fragmented(s, entries, r.infoTypes(), r.locales(), origin);
        return ClientResponses.getExtendedUpdateInfo2(v, f.fragments(), f.locations());
    }

    private record Fragmented(List<UpdateFragment> fragments, List<FileLocation> locations) {
    }

    // Fragments grouped by info type in the order asked, revisions ascending within each, as the recorded server;
    // file locations come with the Extended fragment (the native client asks for no file-URL info type).
    private Fragmented fragmented(Snapshot s, List<Entry> entries, List<String> infoTypes, List<String> locales,
                                  String origin) {
        Map<Integer, Fragments> derived = new HashMap<>();
        for (Entry e : entries) {
            derived.put(e.id(), fragments(e));
        }
        List<UpdateFragment> out = new ArrayList<>();
        Map<String, FileLocation> files = new LinkedHashMap<>();
        for (String type : new LinkedHashSet<>(infoTypes)) {
            for (Entry e : entries) {
                Fragments f = derived.get(e.id());
                switch (type) {
                    case "Core" -> out.add(new UpdateFragment(e.id(), f.core()));
                    case "Extended" -> {
                        out.add(new UpdateFragment(e.id(), f.extended()));
                        for (UpdateFile file : e.files()) {
                            locate(s, file, origin, files);
                        }
                    }
                    case "LocalizedProperties" -> {
                        for (Fragments.Localized l : localized(f, locales)) {
                            out.add(new UpdateFragment(e.id(), l.xml()));
                        }
                    }
                    case "Eula" -> {
                        for (Fragments.Eula eula : f.eulas()) {
                            if (matches(eula.language(), locales)) {
                                out.add(new UpdateFragment(e.id(), eula.xml()));
                            }
                        }
                    }
                    default -> { } // Published, VerificationRule, FileUrl, FileDecryption: nothing ferry keeps
                }
            }
        }
        return new Fragmented(out, List.copyOf(files.values()));
    }

    // The first requested locale the document has, by its full tag or its language ("en-US" then "en"); English
    // when none matches, as MS-WUSP 3.1.5.8 says a server should always return it.
    private static List<Fragments.Localized> localized(Fragments f, List<String> locales) {
        for (String locale : locales) {
            var exact = f.localized(locale);
            if (exact.isPresent()) {
                return List.of(exact.get());
            }
        }
        for (String locale : locales) {
            int dash = locale.indexOf('-');
            if (dash > 0) {
                var language = f.localized(locale.substring(0, dash));
                if (language.isPresent()) {
                    return List.of(language.get());
                }
            }
        }
        return f.localized("en").map(List::of).orElse(List.of());
    }

    private static boolean matches(String language, List<String> locales) {
        if (language == null || language.isEmpty()) {
            return true;
        }
        for (String l : locales) {
            if (l.equalsIgnoreCase(language) || l.toLowerCase(Locale.ROOT).startsWith(language.toLowerCase(Locale.ROOT)
                    + "-")) {
                return true;
            }
        }
        return false;
    }

    private static void locate(Snapshot s, UpdateFile file, String origin, Map<String, FileLocation> out) {
        String hex = ContentUrls.sha1Hex(file.sha1Base64());
        if (s.holds(hex) && !out.containsKey(file.sha1Base64())) {
            out.put(file.sha1Base64(), new FileLocation(file.sha1Base64(),
                    origin + ContentUrls.path(file.sha1Base64(), file.fileName())));
        }
    }

    private byte[] locations(SoapVersion v, ClientRequest.GetFileLocations r, String origin) throws ClientFault {
        client(r.cookie());
        Snapshot s = scope.current();
        Map<String, String> names = new HashMap<>();
        for (String digest : r.fileDigests()) {
            names.put(digest, null);
        }
        // the file name (for the URL's extension) comes from the documents naming the digest
        for (SyncPlanner.Revision x : s.revisions()) {
            Entry e = s.byId(x.id());
            for (UpdateFile f : e.files()) {
                if (names.containsKey(f.sha1Base64()) && names.get(f.sha1Base64()) == null) {
                    names.put(f.sha1Base64(), f.fileName());
                }
            }
        }
        Map<String, FileLocation> out = new LinkedHashMap<>();
        for (String digest : r.fileDigests()) {
            String name = names.get(digest);
            if (name != null) {
                locate(s, new UpdateFile(name, 0, digest, null, null), origin, out);
            }
        }
        return ClientResponses.getFileLocations(v, List.copyOf(out.values()), r.cookie());
    }

    private byte[] report(SoapVersion v, ClientRequest.ReportEventBatch r) throws ClientFault {
        String clientId = client(r.cookie());
        registry.reported(clientId, r.events(), clock.instant());
        return ClientResponses.reportEventBatch(v, true);
    }

    /** The group names a computer's policy sends ({@code targetGroupName}, several separated by {@code ;}). */
    public static List<String> targetGroups(String targetGroup) {
        List<String> out = new ArrayList<>();
        if (targetGroup != null) {
            for (String g : targetGroup.split(";")) {
                if (!g.isBlank() && !out.contains(g.trim())) {
                    out.add(g.trim());
                }
            }
        }
        return out;
    }

    /**
     * The groups of a computer as it names them: All Computers, and the groups its policy names or else Unassigned
     * Computers (a name the store has no group of still counts as unassigned when approvals are read).
     */
    public static List<String> groups(String targetGroup) {
        List<String> out = new ArrayList<>();
        out.add(ALL_COMPUTERS);
        if (targetGroup != null) {
            for (String g : targetGroup.split(";")) {
                if (!g.isBlank() && !out.contains(g.trim())) {
                    out.add(g.trim());
                }
            }
        }
        if (out.size() == 1) {
            out.add(UNASSIGNED_COMPUTERS);
        }
        return out;
    }

    // The cookie check of every operation but the two synchronizations: MS-WUSP names InvalidCookie, ServerChanged
    // and CookieExpired for them, not ConfigChanged, so a cookie of an earlier configuration still serves (the client
    // learns of the change at its next SyncUpdates).
    private String client(Cookie cookie) throws ClientFault {
        return checked(cookie, false);
    }

    // SyncUpdates and SyncPrinterCatalog (3.1.5.7, 3.1.5.12): a configuration changed since the cookie was issued is
    // ConfigChanged.
    private String synchronizing(Cookie cookie) throws ClientFault {
        return checked(cookie, true);
    }

    private String checked(Cookie cookie, boolean configuration) throws ClientFault {
        Checked c = cookies.check(cookie, lastChange.toEpochMilli());
        return switch (c.check()) {
            case VALID -> c.clientId();
            case EXPIRED -> throw new ClientFault(SoapFault.COOKIE_EXPIRED, "cookie");
            case CONFIG_CHANGED -> {
                if (configuration) {
                    throw new ClientFault(ClientFault.CONFIG_CHANGED, "cookie");
                }
                yield c.clientId();
            }
            case SERVER_CHANGED -> throw new ClientFault(SoapFault.SERVER_CHANGED, "cookie");
            case INVALID -> throw new ClientFault(SoapFault.INVALID_COOKIE, "cookie");
        };
    }

    private Fragments fragments(Entry e) {
        try {
            return FragmentDeriver.derive(scope.documentBytes(e.metadataSha256()));
        } catch (MetadataException ex) {
            throw new IllegalStateException("update " + e.updateId() + " revision " + e.revisionNumber()
                    + ": stored metadata does not derive fragments: " + ex.getMessage(), ex);
        }
    }
}
