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
import ferry.wsus.soap.Messages.RevisionIdList;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
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
 * Each run lists the whole selection (GetRevisionIdList without an anchor) and subtracts the revisions and file
 * SHA-1s recorded in the channel's state ({@link WsusState}); only the difference is fetched and carried. This does
 * not depend on the upstream keeping its anchors valid, picks up newly selected products or classifications by
 * itself, and costs one list per run (the anchor is recorded for information only). After a metadata-only run, the
 * files of what was exported then are still owed, and a later metadata+files run goes back for them.
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
        WsusState previous = ctx.recorded(WsusState.class);
        WsusState baseline = ctx.baseline(WsusState.class);

        Upstream up = Upstream.open(o.upstream(), o.clientOptions(), ctx.spool(), progress);
        if (previous != null && !previous.upstream().equals(up.base().toString())) {
            ctx.warn("the channel's earlier bundles came from " + previous.upstream() + ", this one from "
                    + up.base() + "; update identities are global, so only what is new to the channel is exported");
        }
        Map<String, FetchedUpdate> config = configDocuments(up, ctx);
        Map<String, FetchedUpdate> categories = new HashMap<>();
        config.forEach((id, u) -> {
            if (u.type() == UpdateType.CATEGORY) {
                categories.put(id, u);
            }
        });
        Selection sel = new SelectionResolver(categories, up.base()).resolve(o.products(), o.classifications(),
                o.languages(), up.config().languages());
        progress.info("selection: " + sel.products().size() + " product(s), "
                + (sel.classifications().isEmpty() ? "all" : sel.classifications().size()) + " classification(s)");

        RevisionIdList listed = up.updateRevisions(sel);
        progress.info("upstream lists " + listed.newRevisions().size() + " revisions for the selection");

        boolean files = o.mode() == ExportMode.METADATA_AND_FILES;
        Set<UpdateIdentity> exported = baseline == null ? Set.of() : baseline.revisions();
        Set<String> exportedFiles = baseline == null ? Set.of() : new HashSet<>(baseline.exportedFiles());
        // after a metadata-only run, the files of what was exported then are still owed
        boolean backfill = files && baseline != null && !baseline.allFilesExported();
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

        if (added.isEmpty() && toCarry.isEmpty()) {
            return ExportPlan.nothing(figures(o, up, listed.anchor(), sel, revisionCounts, FileCounts.NONE,
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
        ObjectNode selection = WsusEntries.selection(up.base().toString(), sel, o.mode().label(), o.full(),
                listed.anchor(), unresolved, manifestCounts(added, byType, toCarry, unresolved));
        WsusState next = nextState(baseline, up, sel, listed.anchor(), added, toCarry, files, o.mode());
        return new ExportPlan(entries, selection, next,
                figures(o, up, listed.anchor(), sel, revisionCounts, fetched.counts(), unresolved),
                added.size() + " revisions, " + toCarry.size() + " files");
    }

    /** GetRevisionIdList(GetConfig=true) and the documents, by update GUID. */
    private static Map<String, FetchedUpdate> configDocuments(Upstream up, Context ctx) throws ExportException {
        RevisionIdList list = up.configRevisions();
        Upstream.Fetched fetched = up.fetch(list.newRevisions());
        if (!fetched.missing().isEmpty()) {
            ctx.warn("the upstream listed " + fetched.missing().size() + " category/detectoid revision(s) it would not"
                    + " return (first: " + fetched.missing().get(0) + ")");
        }
        Map<String, FetchedUpdate> byId = new HashMap<>();
        for (FetchedUpdate u : fetched.updates().values()) {
            byId.merge(u.identity().updateId(), u,
                    (a, b) -> a.identity().revisionNumber() >= b.identity().revisionNumber() ? a : b);
        }
        ctx.progress().info("upstream " + up.base() + ": " + byId.size()
                + " categories, classifications and detectoids");
        return byId;
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
                                       ExportMode mode) {
        Set<String> revisions = new TreeSet<>(baseline == null ? List.of() : baseline.exportedRevisions());
        added.forEach(u -> revisions.add(WsusState.format(u.identity())));
        Set<String> fileIds = new TreeSet<>(baseline == null ? List.of() : baseline.exportedFiles());
        carried.forEach(f -> fileIds.add(f.sha1Hex()));
        boolean allFiles = files || (baseline == null || baseline.allFilesExported())
                && added.stream().allMatch(u -> u.files().isEmpty());
        return new WsusState(up.base().toString(), sel.products(), sel.classifications(), sel.languages(),
                mode.label(), allFiles, anchor, List.copyOf(revisions), List.copyOf(fileIds));
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
                                       WsusFigures.RevisionCounts revisions, FileCounts files,
                                       List<UnresolvedReference> unresolved) {
        return new WsusFigures(up.base().toString(), anchor, sel.products(), sel.classifications(), sel.languages(),
                o.mode().label(), revisions, files, unresolved);
    }
}
