package ferry.exporter;

import ferry.format.CrashPoints;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ferry.format.BundleWriter;
import ferry.format.FieldRules;
import ferry.format.Manifest;
import ferry.format.ManifestHeader;
import ferry.format.Producer;
import ferry.format.Progress;
import ferry.wsus.UpdateIdentity;
import ferry.wsus.metadata.UpdateFile;
import ferry.wsus.metadata.UpdateType;
import ferry.wsus.soap.Messages.RevisionIdList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The connected side's export: synchronizes the selection from an upstream server as a downstream server would
 * (MS-WSUSSS 3.2.4.1 authorization, 3.2.4.2 metadata, 3.2.4.4 content) and writes what the channel has not
 * exported yet as one signed bundle. Built for unattended runs: no prompts, one lock per state directory, and
 * either a complete bundle plus an updated state, or no bundle and the old state.
 *
 * <ol>
 *   <li>lock {@code <stateDir>/lock} (held to the end);</li>
 *   <li>GetAuthConfig, GetAuthorizationCookie, GetCookie, GetConfigData;</li>
 *   <li>GetRevisionIdList(GetConfig=true) and GetUpdateData for categories, classifications and detectoids;</li>
 *   <li>resolve the selection's titles against those categories;</li>
 *   <li>GetRevisionIdList(GetConfig=false) for products x classifications (x languages);</li>
 *   <li>GetUpdateData for the listed revisions not exported yet, then their closure (prerequisites, categories,
 *       bundled updates); references the upstream lacks become warnings;</li>
 *   <li>in metadata+files mode, download (or take from the cache) every file not exported yet, verifying size,
 *       SHA-1 and SHA-256 against the metadata;</li>
 *   <li>write and sign the bundle; then replace {@code state.json}.</li>
 * </ol>
 */
public final class ExportJob {

    private static final Logger LOG = LoggerFactory.getLogger(ExportJob.class);

    private final ExportOptions o;
    private final Progress progress;
    private final List<String> warnings = new ArrayList<>();

    private ExportJob(ExportOptions options, Progress progress) {
        this.o = options;
        this.progress = progress;
    }

    /**
     * Runs one export.
     *
     * @param options  what to export and where
     * @param progress receives byte progress (downloads, cache checks, bundle writing) and one-line notes
     * @return what was done; {@code bundleWritten} is false when nothing changed since the last bundle
     * @throws ExportConfigException  bad output or state directory, local disk failure
     * @throws SelectionException     a product, classification or language the upstream does not have
     * @throws ExportUpstreamException upstream unreachable, SOAP fault (ErrorCode kept), bad document
     * @throws DownloadException      a file that cannot be downloaded or does not match its metadata
     * @throws ExportLockedException  another run holds the state directory
     */
    public static ExportResult run(ExportOptions options, Progress progress) throws ExportException {
        return new ExportJob(options, progress).execute();
    }

    @SuppressWarnings("try") // the lock is held by being open, never referenced
    private ExportResult execute() throws ExportException {
        long t0 = System.nanoTime();
        Instant started = o.clock().instant().truncatedTo(ChronoUnit.SECONDS);
        Path stateDir = o.stateDir().toAbsolutePath().normalize();
        Path out = o.outputDir().toAbsolutePath().normalize();
        createDirectories(stateDir, "state directory");
        try (StateLock lock = StateLock.acquire(stateDir.resolve("lock"))) {
            CrashPoints.reached("locked");
            StateStore store = new StateStore(stateDir);
            InterruptedRun.Settled settled = InterruptedRun.settle(store, o.channel(), o.signingKeys(), this::warn);
            if (out.equals(settled.adopted())) {
                throw new ExportConfigException("output directory " + out + " holds the bundle an interrupted export"
                        + " finished, now recorded in the state; give another output directory for the next bundle");
            }
            boolean outputWasEmptyDir = checkOutput(out);
            try (Spool spool = Spool.create(stateDir)) {
                return export(store, settled, spool, stateDir, out, outputWasEmptyDir, started, t0);
            }
        }
    }

    private ExportResult export(StateStore store, InterruptedRun.Settled settled, Spool spool, Path stateDir, Path out,
                                boolean outputWasEmptyDir, Instant started, long t0) throws ExportException {
        ExportState previous = settled.state();
        ExportState baseline = o.full() ? null : previous;

        Upstream up = Upstream.open(o.upstream(), o.clientOptions(), spool, progress);
        if (previous != null && !previous.upstream().equals(up.base().toString())) {
            warn("the channel's earlier bundles came from " + previous.upstream() + ", this one from "
                    + up.base() + "; update identities are global, so only what is new to the channel is exported");
        }
        Map<String, FetchedUpdate> config = configDocuments(up);
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
            warn(unresolved.size() + " reference(s) could not be followed (the upstream does not have them);"
                    + " the bundle is written without them");
        }

        List<FetchedUpdate> added = closure.included().values().stream()
                .filter(u -> !exported.contains(u.identity()))
                .sorted(Comparator.comparing(FetchedUpdate::identity)).toList();
        List<ExpectedFile> toCarry = files ? expectedFiles(closure.included().values(), exportedFiles, up) : List.of();
        Map<String, Integer> byType = byType(added);
        ExportResult.RevisionCounts revisionCounts = new ExportResult.RevisionCounts(listed.newRevisions().size(),
                closure.included().size(), added.size(), byType);

        if (added.isEmpty() && toCarry.isEmpty()) {
            progress.info("nothing new since sequence " + (previous == null ? 0 : previous.lastSequence())
                    + " on channel " + o.channel() + "; no bundle written");
            return result(false, null, null, null, null, up, listed.anchor(), sel, revisionCounts,
                    new ExportResult.FileCounts(0, 0, 0, 0, 0, 0), 0, 0, unresolved, started, t0);
        }

        FileStage stage = new FileStage(new FileCache(o.effectiveCacheDir().toAbsolutePath().normalize(), stateDir),
                new Downloader(o.clientOptions(), o.downloadAttempts(), o.retryBackoff(), up.base()), progress);
        Map<ExpectedFile, Path> ready = stage.fetchAll(toCarry);

        long sequence = settled.nextSequence();
        Long base = baseline == null ? null : baseline.lastSequence();
        UUID bundleId = UUID.randomUUID();
        Instant createdAt = o.clock().instant().truncatedTo(ChronoUnit.SECONDS);
        Map<String, Long> counts = manifestCounts(added, byType, toCarry, unresolved);
        ObjectNode selection = BundleComposer.selection(up.base().toString(), sel, o.mode().label(), o.full(),
                listed.anchor(), unresolved, counts);
        ManifestHeader header = new ManifestHeader(bundleId, o.channel(), sequence, base, createdAt,
                o.expiresIn() == null ? null : createdAt.plus(o.expiresIn()),
                new Producer(ExportOptions.PRODUCER_NAME, o.producerVersion()), selection, o.channelReset());
        ExportState next = nextState(baseline, sequence, bundleId, createdAt, up, sel, listed.anchor(), added,
                toCarry, files);

        Manifest m = writeBundle(out, outputWasEmptyDir, added, toCarry, ready, header, store, next);
        progress.info("bundle " + bundleId + " (sequence " + sequence + (base == null ? ", full" : ", base " + base)
                + "): " + added.size() + " revisions, " + toCarry.size() + " files, " + m.volumes().size()
                + " volume(s)");
        return result(true, out, bundleId, sequence, base, up, listed.anchor(), sel, revisionCounts,
                stage.counts(toCarry), m.volumes().size(), m.totalVolumeBytes(), unresolved, started, t0);
    }

    /** GetRevisionIdList(GetConfig=true) and the documents, by update GUID. */
    private Map<String, FetchedUpdate> configDocuments(Upstream up) throws ExportException {
        RevisionIdList list = up.configRevisions();
        Upstream.Fetched fetched = up.fetch(list.newRevisions());
        if (!fetched.missing().isEmpty()) {
            warn("the upstream listed " + fetched.missing().size() + " category/detectoid revision(s) it would not"
                    + " return (first: " + fetched.missing().get(0) + ")");
        }
        Map<String, FetchedUpdate> byId = new HashMap<>();
        for (FetchedUpdate u : fetched.updates().values()) {
            byId.merge(u.identity().updateId(), u,
                    (a, b) -> a.identity().revisionNumber() >= b.identity().revisionNumber() ? a : b);
        }
        progress.info("upstream " + up.base() + ": " + byId.size() + " categories, classifications and detectoids");
        return byId;
    }

    /** The files named by the included revisions and not exported yet, one per SHA-1, sorted by entry path. */
    private List<ExpectedFile> expectedFiles(Iterable<FetchedUpdate> included, Set<String> exportedFiles, Upstream up)
            throws ExportUpstreamException {
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

    /**
     * Reserves the sequence number, writes and signs the bundle, then records the state (see the state machine
     * in {@code package-info.java}). On any failure the staging directory is gone (the writer's close), the state
     * is the old one, and an output directory that existed empty exists empty again; the sequence number stays
     * reserved only if the bundle was visible for a moment.
     */
    private Manifest writeBundle(Path out, boolean outputWasEmptyDir, List<FetchedUpdate> added,
                                 List<ExpectedFile> toCarry, Map<ExpectedFile, Path> ready, ManifestHeader header,
                                 StateStore store, ExportState next) throws ExportException {
        long total = added.stream().mapToLong(FetchedUpdate::xmlBytes).sum()
                + toCarry.stream().mapToLong(f -> f.file().size()).sum();
        String token = header.bundleId().toString();
        Path staging = BundleWriter.stagingDir(out, token);
        store.writePending(new PendingBundle(PendingBundle.FORMAT_VERSION, o.channel(), header.sequence(), token,
                out.toString(), staging.toString(), false, next));
        CrashPoints.reached("reserved");
        boolean placed = false;
        boolean recorded = false;
        try {
            if (outputWasEmptyDir) {
                Files.delete(out);
            }
            Manifest m;
            try (BundleWriter w = BundleWriter.create(out, o.volumeSize(), CrashPoints.marking(progress, "bundle.bytes"),
                    token, CrashPoints.bundleSteps())) {
                BundleComposer c = new BundleComposer(w);
                progress.begin("write bundle " + out.getFileName(), total);
                try {
                    for (FetchedUpdate u : added) {
                        c.addMetadata(u);
                    }
                    for (ExpectedFile f : toCarry) {
                        c.addContent(f, ready.get(f));
                    }
                } finally {
                    progress.end();
                }
                m = w.finish(header, o.signingKeys());
                placed = true;
            }
            store.write(next);
            recorded = true;
            CrashPoints.reached("recorded");
            try {
                store.clearPending();
            } catch (ExportConfigException e) {
                // the state already records the bundle: the next run sees that and removes the reservation
                warn(e.getMessage());
            }
            return m;
        } catch (IOException e) {
            throw new ExportConfigException("cannot write bundle " + out + ": " + e.getMessage(), e);
        } finally {
            if (!recorded) {
                abandon(out, staging, placed, store);
            }
            if (outputWasEmptyDir && !Files.exists(out)) {
                try {
                    Files.createDirectories(out);
                } catch (IOException ignored) {
                    // it was empty; its absence loses nothing
                }
            }
        }
    }

    /**
     * After a failure before the state recorded the bundle. A bundle that was placed is removed (on failure
     * nothing is left in the output) but its sequence number stays reserved: it was visible, and may have been
     * copied. One that never left staging frees its number, once the staging directory is surely gone.
     */
    private void abandon(Path out, Path staging, boolean placed, StateStore store) {
        if (placed) {
            deleteQuietly(out);
            return;
        }
        if (!Files.exists(staging, LinkOption.NOFOLLOW_LINKS)) {
            try {
                store.clearPending();
            } catch (ExportConfigException e) {
                LOG.warn("{}; the next run settles the reservation", e.getMessage());
            }
        }
    }

    private ExportState nextState(ExportState baseline, long sequence, UUID bundleId, Instant createdAt, Upstream up,
                                  Selection sel, String anchor, List<FetchedUpdate> added, List<ExpectedFile> carried,
                                  boolean files) {
        Set<String> revisions = new TreeSet<>(baseline == null ? List.of() : baseline.exportedRevisions());
        added.forEach(u -> revisions.add(ExportState.format(u.identity())));
        Set<String> fileIds = new TreeSet<>(baseline == null ? List.of() : baseline.exportedFiles());
        carried.forEach(f -> fileIds.add(f.sha1Hex()));
        boolean allFiles = files || (baseline == null || baseline.allFilesExported())
                && added.stream().allMatch(u -> u.files().isEmpty());
        return new ExportState(ExportState.FORMAT_VERSION, o.channel(), sequence, bundleId.toString(),
                createdAt.toString(), up.base().toString(), sel.products(), sel.classifications(), sel.languages(),
                o.mode().label(), allFiles, anchor, List.copyOf(revisions), List.copyOf(fileIds));
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
        byType.forEach((t, n) -> c.put(t.toLowerCase(java.util.Locale.ROOT) + "Revisions", (long) n));
        c.put("files", (long) files.size());
        c.put("fileBytes", files.stream().mapToLong(f -> f.file().size()).sum());
        c.put("unresolvedReferences", (long) unresolved.size());
        return c;
    }

    private ExportResult result(boolean written, Path dir, UUID id, Long sequence, Long base, Upstream up,
                                String anchor, Selection sel, ExportResult.RevisionCounts revisions,
                                ExportResult.FileCounts files, int volumes, long bytes,
                                List<UnresolvedReference> unresolved, Instant started, long t0) {
        return new ExportResult(written, dir == null ? null : dir.toString(), id == null ? null : id.toString(),
                o.channel(), sequence, base, up.base().toString(), anchor, sel.products(), sel.classifications(),
                sel.languages(), o.mode().label(), revisions, files, volumes, bytes, unresolved, started.toString(),
                (System.nanoTime() - t0) / 1_000_000, warnings);
    }

    private void warn(String line) {
        warnings.add(line);
        LOG.warn(line);
        progress.info("warning: " + line);
    }

    private static void createDirectories(Path dir, String what) throws ExportConfigException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ExportConfigException("cannot create " + what + " " + dir + ": " + e.getMessage(), e);
        }
    }

    /** @return true when the output directory exists and is empty (it is replaced by the bundle) */
    private static boolean checkOutput(Path out) throws ExportConfigException {
        if (!Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        if (!Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) {
            throw new ExportConfigException("output " + out + " exists and is not a directory");
        }
        try (Stream<Path> s = Files.list(out)) {
            if (s.findAny().isPresent()) {
                throw new ExportConfigException("output directory " + out + " is not empty");
            }
        } catch (IOException e) {
            throw new ExportConfigException("cannot read output directory " + out + ": " + e.getMessage(), e);
        }
        return true;
    }

    private static void deleteQuietly(Path dir) {
        try {
            Spool.deleteTree(dir);
        } catch (IOException e) {
            LOG.warn("could not remove {}: {}", dir, e.getMessage());
        }
    }
}
