package ferry.exporter.wsus;

import com.fasterxml.jackson.databind.node.ObjectNode;
import ferry.exporter.ExportException;
import ferry.exporter.ExportMode;
import ferry.exporter.ExportOptions;
import ferry.exporter.ExportPlan;
import ferry.exporter.ExportUpstreamException;
import ferry.exporter.FetchedFiles;
import ferry.exporter.FileCounts;
import ferry.exporter.PlannedEntry;
import ferry.exporter.RemoteFile;
import ferry.exporter.SourceExport;
import ferry.format.FieldRules;
import ferry.format.Progress;
import ferry.wsus.UpdateIdentity;
import ferry.wsus.metadata.UpdateFile;
import ferry.wsus.metadata.UpdateType;
import ferry.wsus.client.RevisionFilter;
import ferry.wsus.client.WsusFaultException;
import ferry.wsus.soap.Messages.LanguageData;
import ferry.wsus.soap.Messages.RevisionIdList;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The WSUS source type's export half: synchronizes the selection from an upstream server as a downstream server
 * would (MS-WSUSSS 3.2.4.1 authorization, 3.2.4.2 metadata, 3.2.4.4 content) and plans what the channel has not
 * exported yet.
 *
 * <ol>
 *   <li>GetAuthConfig, GetAuthorizationCookie, GetCookie, GetConfigData;</li>
 *   <li>GetRevisionIdList(GetConfig=true) and GetUpdateData for categories, classifications and detectoids;</li>
 *   <li>resolve the selection's titles against those categories;</li>
 *   <li>GetRevisionIdList(GetConfig=false) for products x classifications (x languages);</li>
 *   <li>GetUpdateData for the listed revisions not exported yet, then their closure (prerequisites, categories,
 *       bundled updates); references the upstream lacks become warnings;</li>
 *   <li>in metadata+files mode, download (or take from the cache) every file not exported yet, verifying size,
 *       SHA-1 and SHA-256 against the metadata.</li>
 * </ol>
 *
 * <h2>How "only what changed" is decided</h2>
 * A run sends the anchors the upstream gave the channel's last bundle's run (MS-WSUSSS 3.1.4.4, 3.1.4.5; kept in
 * {@link WsusState}): GetConfigData's {@code configAnchor}, and GetRevisionIdList's anchor with Delta=true for the
 * products and classifications selected then (Delta=false for newly selected ones), so the upstream lists only
 * what changed. What it lists is still compared with the revisions and file SHA-1s the state records, so an
 * anchor that lists too much costs only time; an anchor the upstream refuses is dropped for a whole listing. The
 * whole selection is listed when there is no usable anchor: a first or full export, another upstream, other
 * languages, all classifications where specific ones were selected, or files still owed by a metadata-only run
 * (a later metadata+files run goes back for them). Category and detectoid documents are held between runs
 * ({@link HeldConfig}) and listed with their own anchor, so they are fetched once.
 */
public final class WsusExport implements SourceExport {

    /** The one instance, registered in {@code ferry.exporter.SourceExports}. */
    public static final WsusExport INSTANCE = new WsusExport();

    private WsusExport() {
    }

    @Override
    public String name() {
        return "wsus";
    }

    @Override
    public ExportPlan plan(Context ctx) throws ExportException {
        ExportOptions o = ctx.options();
        Progress progress = ctx.progress();
        // an approval file at fault fails the run before the upstream is asked anything
        ApprovalFile approvalFile = o.approvals() == null ? null : ApprovalFile.read(o.approvals());
        WsusState previous = ctx.recorded(WsusState.class);
        WsusState baseline = ctx.baseline(WsusState.class);

        Upstream up = Upstream.open(o.upstream(), o.clientOptions(), ctx.spool(), progress,
                base -> previous != null && previous.upstream().equals(base.toString()) ? previous.configAnchor() : null);
        if (previous != null && !previous.upstream().equals(up.base().toString())) {
            ctx.warn("the channel's earlier bundles came from " + previous.upstream() + ", this one from "
                    + up.base() + "; update identities are global, so only what is new to the channel is exported");
        }
        ConfigDocuments configDocs = configDocuments(up, ctx, o.full());
        Map<String, FetchedUpdate> config = configDocs.byId();
        Map<String, FetchedUpdate> categories = new HashMap<>();
        config.forEach((id, u) -> {
            if (u.type() == UpdateType.CATEGORY) {
                categories.put(id, u);
            }
        });
        List<LanguageData> upstreamLanguages = up.config().languages();
        if (upstreamLanguages.isEmpty() && !o.languages().isEmpty()) {
            // an anchored GetConfigData answers "unchanged" without the list (exchange 000004)
            upstreamLanguages = up.reloadConfig().languages();
        }
        SelectionResolver resolver = new SelectionResolver(categories, up.base());
        Selection sel = resolver.resolve(o.products(), o.classifications(), o.languages(), upstreamLanguages);
        byte[] approvals = approvalFile == null ? null : approvalFile.carried(resolver);
        String approvalsSha256 = approvals == null ? null : WsusEntries.sha256(approvals);
        progress.info("selection: " + sel.products().size() + " product(s), "
                + (sel.classifications().isEmpty() ? "all" : sel.classifications().size()) + " classification(s)");

        boolean files = o.mode() == ExportMode.METADATA_AND_FILES;
        // after a metadata-only run, the files of what was exported then are still owed
        boolean backfill = files && baseline != null && !baseline.allFilesExported();
        String deltaAnchor = deltaAnchor(up, sel, baseline, backfill);
        Listing listing = updateRevisions(up, sel, baseline, deltaAnchor, ctx);
        RevisionIdList listed = listing.list();
        boolean incremental = listing.incremental();
        progress.info("upstream lists " + listed.newRevisions().size() + " revisions for the selection"
                + (incremental ? " changed since anchor " + deltaAnchor : ""));
        int configFetched = up.received();

        Set<UpdateIdentity> exported = baseline == null ? Set.of() : baseline.revisions();
        Set<String> exportedFiles = baseline == null ? Set.of() : new HashSet<>(baseline.exportedFiles());
        Set<UpdateIdentity> skip = backfill ? Set.of() : exported;
        List<UpdateIdentity> roots = listed.newRevisions().stream().filter(id -> !skip.contains(id)).toList();
        Closure.Result closure = new Closure(config, listed.newRevisions(), skip, up::fetch).compute(roots);
        List<UnresolvedReference> unresolved = closure.unresolved();
        if (!unresolved.isEmpty()) {
            ctx.warn(unresolved.size() + " reference(s) could not be followed (the upstream does not have them);"
                    + " the bundle is written without them");
        }

        List<FetchedUpdate> added = closure.included().values().stream()
                .filter(u -> !exported.contains(u.identity()))
                .sorted(Comparator.comparing(FetchedUpdate::identity)).toList();
        List<ExpectedFile> toCarry = files ? expectedFiles(closure.included().values(), exportedFiles, up) : List.of();
        Map<String, Integer> byType = byType(added);
        WsusFigures.RevisionCounts revisionCounts = new WsusFigures.RevisionCounts(listed.newRevisions().size(),
                closure.included().size(), added.size(), byType);

        WsusFigures.MetadataCounts metadata = new WsusFigures.MetadataCounts(incremental, configDocs.listed(),
                configDocs.held(), configFetched, up.received() - configFetched);
        // the same approval set as the last bundle's is news only with new updates (each bundle carrying one
        // re-applies it to what the store then holds)
        boolean newApprovals = approvals != null
                && (baseline == null || !approvalsSha256.equals(baseline.approvalsSha256()));
        if (added.isEmpty() && toCarry.isEmpty() && !newApprovals) {
            return ExportPlan.nothing(figures(o, up, listed.anchor(), sel, revisionCounts, metadata, FileCounts.NONE,
                    unresolved));
        }

        List<RemoteFile> remote = toCarry.stream().map(ExpectedFile::remote).toList();
        FetchedFiles fetched = ctx.fetch(up.base(), remote);

        List<PlannedEntry> entries = new ArrayList<>();
        for (FetchedUpdate u : added) {
            entries.add(WsusEntries.metadata(u));
        }
        for (ExpectedFile f : toCarry) {
            entries.add(WsusEntries.content(f, fetched.paths().get(f.remote())));
        }
        if (approvals != null) {
            entries.add(WsusEntries.approvals(approvals, approvalFile.set()));
            progress.info("approval set " + o.approvals() + ": " + approvalFile.set().approvals().size()
                    + " approval(s), " + approvalFile.set().declines().size() + " decline(s), "
                    + approvalFile.set().rules().size() + " rule(s), " + approvalFile.set().groups().size()
                    + " group(s)");
        }
        ObjectNode selection = WsusEntries.selection(up.base().toString(), sel, o.mode().label(), o.full(),
                listed.anchor(), unresolved, manifestCounts(added, byType, toCarry, unresolved));
        if (approvals != null) {
            selection.set("approvals", WsusEntries.approvalCounts(approvalFile.set()));
        }
        WsusState next = nextState(baseline, up, sel, listed.anchor(), added, toCarry, files, o.mode(),
                approvalsSha256);
        return new ExportPlan(entries, selection, next,
                figures(o, up, listed.anchor(), sel, revisionCounts, metadata, fetched.counts(), unresolved),
                added.size() + " revisions, " + toCarry.size() + " files"
                        + (approvals != null ? ", an approval set" : ""));
    }

    /** The GetConfig=true documents by update GUID, and how they were had. */
    private record ConfigDocuments(Map<String, FetchedUpdate> byId, int listed, int held) {
    }

    /** A GetConfig=false listing, and whether it holds only what changed since the channel's last bundle. */
    private record Listing(RevisionIdList list, boolean incremental) {
    }

    /**
     * GetRevisionIdList(GetConfig=true) and the documents not held yet ({@link HeldConfig}): with the held set's
     * anchor the upstream lists only what is new since, else everything (and still only what is not held is
     * fetched). A full export lists everything, to check the held set against the upstream.
     */
    private static ConfigDocuments configDocuments(Upstream up, Context ctx, boolean full) throws ExportException {
        HeldConfig held = HeldConfig.load(ctx.keepDir().resolve("config"), up.base().toString(), ctx.progress());
        String anchor = full ? null : held.anchor();
        RevisionIdList list;
        try {
            list = up.configRevisions(anchor);
        } catch (WsusFaultException e) {
            if (anchor == null) {
                throw Upstream.failure(e);
            }
            ctx.warn("the upstream refused the category anchor " + anchor + " (" + e.errorCode()
                    + "); listing every category again");
            anchor = null;
            try {
                list = up.configRevisions(null);
            } catch (WsusFaultException again) {
                throw Upstream.failure(again);
            }
        }
        List<UpdateIdentity> wanted = list.newRevisions().stream()
                .filter(id -> !held.documents().containsKey(id)).toList();
        Upstream.Fetched fetched = up.fetch(wanted);
        if (!fetched.missing().isEmpty()) {
            ctx.warn("the upstream listed " + fetched.missing().size() + " category/detectoid revision(s) it would not"
                    + " return (first: " + fetched.missing().get(0) + ")");
        }
        Map<UpdateIdentity, FetchedUpdate> all = new LinkedHashMap<>();
        if (anchor != null) {
            all.putAll(held.documents());
        } else {
            // a whole listing is the upstream's current set: held documents it no longer lists are dropped
            for (UpdateIdentity id : list.newRevisions()) {
                FetchedUpdate h = held.documents().get(id);
                if (h != null) {
                    all.put(id, h);
                }
            }
        }
        all.putAll(fetched.updates());
        // what the upstream would not return is asked for again next time: no anchor past it
        held.save(up.base().toString(), all, fetched.missing().isEmpty() ? list.anchor() : null);
        Map<String, FetchedUpdate> byId = new HashMap<>();
        for (FetchedUpdate u : all.values()) {
            byId.merge(u.identity().updateId(), u,
                    (x, y) -> x.identity().revisionNumber() >= y.identity().revisionNumber() ? x : y);
        }
        ctx.progress().info("upstream " + up.base() + ": " + byId.size()
                + " categories, classifications and detectoids (" + fetched.updates().size() + " fetched, "
                + (all.size() - fetched.updates().size()) + " held" + (anchor != null ? ", listed since " + anchor : "")
                + ")");
        return new ConfigDocuments(byId, list.newRevisions().size(), all.size() - fetched.updates().size());
    }

    /**
     * The anchor to list only what changed since the channel's last bundle (MS-WSUSSS 3.1.4.5, per-id Delta), or
     * null when the whole selection must be listed: no earlier bundle or a full export, another upstream, files
     * owed by a metadata-only run, other languages, or all classifications where specific ones were selected.
     */
    private static String deltaAnchor(Upstream up, Selection sel, WsusState baseline, boolean backfill) {
        if (baseline == null || backfill || baseline.upstreamAnchor() == null
                || !baseline.upstream().equals(up.base().toString())
                || !new HashSet<>(baseline.languages()).equals(new HashSet<>(sel.languages()))
                || sel.classifications().isEmpty() && !baseline.classifications().isEmpty()) {
            return null;
        }
        return baseline.upstreamAnchor();
    }

    /**
     * GetRevisionIdList(GetConfig=false): with an anchor, Delta=true for the products and classifications selected
     * at the anchor's time and false for newly selected ones (everything of those); an anchor the upstream refuses
     * falls back to the whole selection.
     */
    private static Listing updateRevisions(Upstream up, Selection sel, WsusState baseline, String anchor, Context ctx)
            throws ExportException {
        RevisionFilter whole = RevisionFilter.full(sel.productIds(), sel.classificationIds());
        if (!sel.languageIds().isEmpty()) {
            whole = whole.withLanguages(sel.languageIds());
        }
        if (anchor != null) {
            Set<String> before = new HashSet<>();
            baseline.products().forEach(c -> before.add(c.id()));
            baseline.classifications().forEach(c -> before.add(c.id()));
            Set<String> fresh = new HashSet<>();
            sel.products().stream().map(CategoryRef::id).filter(id -> !before.contains(id)).forEach(fresh::add);
            sel.classifications().stream().map(CategoryRef::id).filter(id -> !before.contains(id)).forEach(fresh::add);
            RevisionFilter delta = RevisionFilter.incremental(anchor, sel.productIds(), sel.classificationIds(), fresh);
            if (!sel.languageIds().isEmpty()) {
                delta = delta.withLanguages(sel.languageIds());
            }
            try {
                return new Listing(up.updateRevisions(delta), true);
            } catch (WsusFaultException e) {
                ctx.warn("the upstream refused the anchor " + anchor + " (" + e.errorCode()
                        + "); listing the whole selection");
            }
        }
        try {
            return new Listing(up.updateRevisions(whole), false);
        } catch (WsusFaultException e) {
            throw Upstream.failure(e);
        }
    }

    /** The files named by the included revisions and not exported yet, one per SHA-1, sorted by entry path. */
    private static List<ExpectedFile> expectedFiles(Iterable<FetchedUpdate> included, Set<String> exportedFiles,
                                                    Upstream up) throws ExportUpstreamException {
        Map<String, ExpectedFile> out = new TreeMap<>();
        List<FetchedUpdate> sorted = new ArrayList<>();
        included.forEach(sorted::add);
        sorted.sort(Comparator.comparing(FetchedUpdate::identity));
        for (FetchedUpdate u : sorted) {
            for (UpdateFile f : u.files()) {
                ExpectedFile e;
                try {
                    URI url = u.fileUrls().get(f.sha1Base64());
                    String nameProblem = FieldRules.sourceValueProblem(f.fileName());
                    if (nameProblem != null) {
                        throw new IllegalArgumentException("file name " + nameProblem);
                    }
                    e = ExpectedFile.of(u.identity(), f, url != null ? url : up.contentUri(f.sha1Base64(), f.fileName()));
                } catch (IllegalArgumentException ex) {
                    throw new ExportUpstreamException("upstream " + up.base() + " GetUpdateData: update "
                            + u.identity() + " names an unusable file: " + ex.getMessage(), up.base(),
                            "GetUpdateData", null, ex);
                }
                if (!exportedFiles.contains(e.sha1Hex())) {
                    out.putIfAbsent(e.sha1Hex(), e);
                }
            }
        }
        List<ExpectedFile> list = new ArrayList<>(out.values());
        list.sort(Comparator.comparing(ExpectedFile::entryPath));
        return list;
    }

    private static WsusState nextState(WsusState baseline, Upstream up, Selection sel, String anchor,
                                       List<FetchedUpdate> added, List<ExpectedFile> carried, boolean files,
                                       ExportMode mode, String approvalsSha256) {
        Set<String> revisions = new TreeSet<>(baseline == null ? List.of() : baseline.exportedRevisions());
        added.forEach(u -> revisions.add(WsusState.format(u.identity())));
        Set<String> fileIds = new TreeSet<>(baseline == null ? List.of() : baseline.exportedFiles());
        carried.forEach(f -> fileIds.add(f.sha1Hex()));
        boolean allFiles = files || (baseline == null || baseline.allFilesExported())
                && added.stream().allMatch(u -> u.files().isEmpty());
        return new WsusState(up.base().toString(), sel.products(), sel.classifications(), sel.languages(),
                mode.label(), allFiles, anchor, List.copyOf(revisions), List.copyOf(fileIds),
                up.config().newConfigAnchor(), approvalsSha256);
    }

    private static Map<String, Integer> byType(List<FetchedUpdate> added) {
        Map<String, Integer> m = new TreeMap<>();
        for (FetchedUpdate u : added) {
            m.merge(u.type().xmlName(), 1, Integer::sum);
        }
        return m;
    }

    private static Map<String, Long> manifestCounts(List<FetchedUpdate> added, Map<String, Integer> byType,
                                                    List<ExpectedFile> files, List<UnresolvedReference> unresolved) {
        Map<String, Long> c = new TreeMap<>();
        c.put("revisions", (long) added.size());
        byType.forEach((t, n) -> c.put(t.toLowerCase(Locale.ROOT) + "Revisions", (long) n));
        c.put("files", (long) files.size());
        c.put("fileBytes", files.stream().mapToLong(f -> f.file().size()).sum());
        c.put("unresolvedReferences", (long) unresolved.size());
        return c;
    }

    private static WsusFigures figures(ExportOptions o, Upstream up, String anchor, Selection sel,
                                       WsusFigures.RevisionCounts revisions, WsusFigures.MetadataCounts metadata,
                                       FileCounts files, List<UnresolvedReference> unresolved) {
        return new WsusFigures(up.base().toString(), anchor, sel.products(), sel.classifications(), sel.languages(),
                o.mode().label(), revisions, files, unresolved, metadata);
    }
}
