package ferry.exporter;

import ferry.format.BundleLayout;
import ferry.format.BundleWriter;
import ferry.format.CrashPoints;
import ferry.format.Entry;
import ferry.format.Manifest;
import ferry.format.ManifestHeader;
import ferry.format.Producer;
import ferry.format.Progress;
import ferry.format.par2.RecoveryWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The connected side's export: asks the channel's source type ({@link SourceExport}, WSUS today) what is new since
 * the channel's last bundle and writes it as one signed bundle. Built for unattended runs: no prompts, one lock per
 * state directory, and either a complete bundle plus an updated state, or no bundle and the old state, whatever
 * the source type.
 *
 * <ol>
 *   <li>lock {@code <stateDir>/lock} (held to the end);</li>
 *   <li>settle what a killed run left ({@code InterruptedRun}); check the output directory;</li>
 *   <li>the source type plans: it talks to its upstream, decides what is new, and fetches the files into the file
 *       cache (for WSUS, {@code ferry.exporter.wsus.WsusExport});</li>
 *   <li>nothing new: no bundle, the state is left as it is;</li>
 *   <li>otherwise reserve the next sequence number ({@code pending.json}), write and sign the bundle, then replace
 *       {@code state.json} (the state machine of {@code package-info.java}).</li>
 * </ol>
 */
public final class ExportJob {

    private static final Logger LOG = LoggerFactory.getLogger(ExportJob.class);
    /** The most recovery data computed at once (bytes); passes over the volumes bound the rest. */
    private static final long RECOVERY_MEMORY = 256L << 20;

    private final ExportOptions o;
    private final SourceExport source;
    private final Progress progress;
    private final List<String> warnings = new ArrayList<>();
    private final List<ExportResult.Recovery> recovery = new ArrayList<>();

    private ExportJob(ExportOptions options, SourceExport source, Progress progress) {
        this.o = options;
        this.source = source;
        this.progress = progress;
    }

    /**
     * Runs one export of the source type the options name.
     *
     * @param options  what to export and where
     * @param progress receives byte progress (downloads, cache checks, bundle writing) and one-line notes
     * @return what was done; {@code bundleWritten} is false when nothing changed since the last bundle
     * @throws ExportConfigException  bad output or state directory (including a state of another source type),
     *                                local disk failure
     * @throws SelectionException     a product, classification or language the upstream does not have
     * @throws ExportUpstreamException upstream unreachable, SOAP fault (ErrorCode kept), bad document
     * @throws DownloadException      a file that cannot be downloaded or does not match its metadata
     * @throws ExportLockedException  another run holds the state directory
     */
    public static ExportResult run(ExportOptions options, Progress progress) throws ExportException {
        return new ExportJob(options, SourceExports.named(options.source()), progress).execute();
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
            checkSource(store, settled.state());
            boolean outputWasEmptyDir = checkOutput(out);
            try (Spool spool = Spool.create(stateDir)) {
                return export(store, settled, spool, stateDir, out, outputWasEmptyDir, started, t0);
            }
        }
    }

    private ExportResult export(StateStore store, InterruptedRun.Settled settled, Spool spool, Path stateDir, Path out,
                                boolean outputWasEmptyDir, Instant started, long t0) throws ExportException {
        ExportState previous = settled.state();
        // a rebase is a full bundle on schedule: a receiver that missed a bundle catches up with it (one-way links)
        boolean rebase = previous != null && !o.full() && o.farSide() == null && o.rebaseAt(settled.nextSequence());
        if (rebase) {
            progress.info("sequence " + settled.nextSequence() + " is a rebase (every " + o.rebaseEvery()
                    + " bundles): writing a full bundle");
        }
        ExportState baseline = o.full() || rebase ? null : o.farSide() != null ? farSideBaseline(store, previous) : previous;
        ExportPlan plan = source.plan(new RunContext(store, previous, baseline, spool, stateDir));

        if (plan.nothingNew()) {
            progress.info("nothing new since sequence " + (previous == null ? 0 : previous.lastSequence())
                    + " on channel " + o.channel() + "; no bundle written");
            return result(false, null, null, null, null, plan, 0, 0, started, t0);
        }

        long sequence = settled.nextSequence();
        Long base = baseline == null ? null : baseline.lastSequence();
        UUID bundleId = UUID.randomUUID();
        Instant createdAt = o.clock().instant().truncatedTo(ChronoUnit.SECONDS);
        ManifestHeader header = new ManifestHeader(bundleId, o.channel(), sequence, base, createdAt,
                o.expiresIn() == null ? null : createdAt.plus(o.expiresIn()),
                new Producer(ExportOptions.PRODUCER_NAME, o.producerVersion()), plan.selection(), o.channelReset());
        ExportState next = new ExportState(ExportState.FORMAT_VERSION, o.channel(), sequence, bundleId.toString(),
                createdAt.toString(), source.name(), StateStore.toTree(plan.nextState()));

        preflight(out, plan);
        Manifest m = writeBundle(out, outputWasEmptyDir, plan, header, store, next);
        progress.info("bundle " + bundleId + " (sequence " + sequence + (base == null ? ", full" : ", base " + base)
                + "): " + plan.summary() + ", " + m.volumes().size() + " volume(s)");
        return result(true, out, bundleId, sequence, base, plan, m.volumes().size(), m.totalVolumeBytes(), started,
                t0);
    }

    /**
     * The state to build against when a receipt says where the far side stands: that position's recorded state, so
     * that whatever was sent since and lost is carried again; null (a full bundle) when the far side holds nothing.
     */
    private ExportState farSideBaseline(StateStore store, ExportState previous) throws ExportConfigException {
        var at = o.farSide();
        if (at.lastSequence() == 0) {
            progress.info("receipt: the far side holds nothing on channel " + o.channel() + "; writing a full bundle");
            return null;
        }
        String where = "receipt: the far side stands at sequence " + at.lastSequence() + " (bundle " + at.lastBundleId()
                + ") of channel " + o.channel();
        if (previous == null || at.lastSequence() > previous.lastSequence()) {
            throw new ExportConfigException(where + ", beyond what this state directory recorded ("
                    + (previous == null ? "nothing" : "sequence " + previous.lastSequence())
                    + "); use the state directory that exported those bundles, or --full");
        }
        ExportState base = at.lastSequence() == previous.lastSequence() ? previous
                : store.readHistory(at.lastSequence(), o.channel());
        if (base == null || !base.lastBundleId().equalsIgnoreCase(at.lastBundleId())) {
            throw new ExportConfigException(where + ", which this state directory "
                    + (base == null ? "kept no state for" : "recorded as bundle " + base.lastBundleId())
                    + "; export with --full");
        }
        if (base != previous) {
            progress.info(where + "; sequences " + (at.lastSequence() + 1) + " to " + previous.lastSequence()
                    + " did not arrive: this bundle carries them again");
        }
        return base;
    }

    /**
     * Refuses at once, with the figures, a bundle that cannot fit where it is to be written: the entries' bytes, a
     * 1024-byte header allowance per entry and per volume part (pax headers, padding), the end-of-archive records, and
     * a manifest allowance of 1 KiB per entry, copied once per medium when the bundle is split over media, and the
     * recovery files ({@code --recovery}).
     */
    private void preflight(Path out, ExportPlan plan) throws ExportNoSpaceException, ExportConfigException {
        long entries = plan.entries().size();
        long data = plan.totalBytes();
        long volumes = Math.max(1, data / Math.max(1, o.volumeSize() - 1024) + 1);
        long manifest = 4096 + 1024 * entries;
        long media = o.mediaSize() > 0 ? Math.max(1, (data + 1024 * (entries + volumes)) / o.mediaSize() + 1) : 1;
        long needed = data + 1024 * (entries + 2 * volumes) + manifest * media;
        if (o.recoveryPercent() > 0) {
            needed += recoveryAllowance(needed, volumes, media);
        }
        Path existing = out;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return;
        }
        long free;
        try {
            free = Files.getFileStore(existing).getUsableSpace();
        } catch (IOException e) {
            throw new ExportConfigException("cannot read the free space of " + existing + ": " + e.getMessage(), e);
        }
        if (needed > free) {
            throw new ExportNoSpaceException(existing, needed, free);
        }
    }

    /**
     * Bytes of the recovery files of a bundle of {@code bytes} in {@code volumes} volumes: their exact size for
     * volumes of equal size ({@code RecoveryWriter.sizeOf}), plus 1 MiB per medium for the index each medium's own
     * recovery set repeats.
     */
    private long recoveryAllowance(long bytes, long volumes, long media) {
        java.util.Map<String, Long> files = new java.util.TreeMap<>();
        long each = Math.max(1, bytes / volumes);
        for (long v = 1; v <= volumes; v++) {
            files.put("volumes/" + v, each);
        }
        return RecoveryWriter.sizeOf(files, o.recoveryPercent(), o.volumeSize()) + media * (1L << 20);
    }

    /** A channel is continued only by the source type that recorded its state. */
    private void checkSource(StateStore store, ExportState state) throws ExportConfigException {
        if (state != null && !state.source().equals(source.name())) {
            throw new ExportConfigException("state file " + store.file() + " records a " + state.source()
                    + " channel, not a " + source.name() + " one; use one state directory per channel");
        }
    }

    /** What the source type sees of the run. */
    private final class RunContext implements SourceExport.Context {
        private final StateStore store;
        private final ExportState previous;
        private final ExportState baseline;
        private final Spool spool;
        private final Path stateDir;

        RunContext(StateStore store, ExportState previous, ExportState baseline, Spool spool, Path stateDir) {
            this.store = store;
            this.previous = previous;
            this.baseline = baseline;
            this.spool = spool;
            this.stateDir = stateDir;
        }

        @Override
        public ExportOptions options() {
            return o;
        }

        @Override
        public <T> T baseline(Class<T> type) throws ExportConfigException {
            return store.sourceState(baseline, type);
        }

        @Override
        public <T> T recorded(Class<T> type) throws ExportConfigException {
            return store.sourceState(previous, type);
        }

        @Override
        public Spool spool() {
            return spool;
        }

        @Override
        public Path keepDir() {
            return stateDir.resolve(source.name());
        }

        @Override
        public FetchedFiles fetch(URI upstream, List<RemoteFile> files) throws ExportException {
            FileStage stage = new FileStage(new FileCache(o.effectiveCacheDir().toAbsolutePath().normalize(),
                    stateDir), new Downloader(o.clientOptions(),
                    o.clientOptions().retry().with(o.downloadAttempts(), o.retryBackoff()), upstream),
                    progress, o.downloadThreads());
            return new FetchedFiles(stage.fetchAll(files), stage.counts(files));
        }

        @Override
        public Progress progress() {
            return progress;
        }

        @Override
        public void warn(String line) {
            ExportJob.this.warn(line);
        }
    }

    /**
     * Reserves the sequence number, writes and signs the bundle, then records the state (see the state machine
     * in {@code package-info.java}). On any failure the staging directory is gone (the writer's close), the state
     * is the old one, and an output directory that existed empty exists empty again; the sequence number stays
     * reserved only if the bundle was visible for a moment.
     */
    private Manifest writeBundle(Path out, boolean outputWasEmptyDir, ExportPlan plan, ManifestHeader header,
                                 StateStore store, ExportState next) throws ExportException {
        long total = plan.totalBytes();
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
                progress.begin("write bundle " + out.getFileName(), total);
                try {
                    for (PlannedEntry e : plan.entries()) {
                        Entry written;
                        try (InputStream in = e.content().open()) {
                            written = w.add(e.path(), e.mediaType(), e.source(), in, e.size());
                        }
                        if (e.check() != null) {
                            e.check().written(written);
                        }
                    }
                } finally {
                    progress.end();
                }
                if (o.mediaSize() > 0) {
                    w.media(o.mediaSize(), o.recoveryPercent());
                }
                if (o.trustChange() != null) {
                    w.trustChange(o.trustChange());
                }
                m = w.finish(header, o.signingKeys(), this::writeRecovery);
                placed = true;
            }
            store.writeHistory(next);
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
     * PAR 2.0 recovery files over every file of a bundle directory or of one medium (manifest, signatures, trust
     * change, label, volumes), written into the staging directory so that they are placed with the bundle. Recovery
     * files hold at most a volume's size each, so that losing one file loses only part of the recovery data; over
     * media each medium carries its own, so that each can be checked and repaired alone.
     */
    private void writeRecovery(Path root) throws IOException {
        if (o.recoveryPercent() == 0) {
            return;
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .map(p -> root.relativize(p).toString().replace(java.io.File.separatorChar, '/'))
                    .filter(n -> !(n.indexOf('/') < 0 && BundleLayout.isRecoveryFileName(n)))
                    .sorted().forEach(names::add);
        }
        long memory = Math.min(RECOVERY_MEMORY, Runtime.getRuntime().maxMemory() / 4);
        RecoveryWriter.Result r = RecoveryWriter.write(root, names, BundleLayout.RECOVERY_BASE, o.recoveryPercent(),
                0, o.volumeSize(), memory, progress);
        recovery.add(new ExportResult.Recovery(o.mediaSize() > 0 ? root.getFileName().toString() : null,
                o.recoveryPercent(), names.size(), r.inputSlices(), r.recoverySlices(), r.sliceSize(), r.files().size(),
                r.bytes()));
        progress.info("recovery data" + (o.mediaSize() > 0 ? " on " + root.getFileName() : "") + ": "
                + r.recoverySlices() + " slice(s) of " + r.sliceSize() + " bytes for " + r.inputSlices() + " ("
                + o.recoveryPercent() + "%) in " + r.files().size() + " file(s), " + r.bytes() + " bytes");
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

    private ExportResult result(boolean written, Path dir, UUID id, Long sequence, Long base, ExportPlan plan,
                                int volumes, long bytes, Instant started, long t0) {
        return new ExportResult(written, dir == null ? null : dir.toString(), id == null ? null : id.toString(),
                o.channel(), sequence, base, source.name(), plan.figures(), volumes, bytes, started.toString(),
                (System.nanoTime() - t0) / 1_000_000, recovery, warnings);
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
