package ferry.importer;

import ferry.format.CrashPoints;
import ferry.format.Entry;
import ferry.format.Manifest;
import ferry.format.Progress;
import ferry.store.BundleEntryException;
import ferry.store.CatalogWrite;
import ferry.store.ChannelState;
import ferry.store.SourceImport;
import ferry.store.ImportRecord;
import ferry.store.ImportRefusedException;
import ferry.store.PendingImport;
import ferry.store.Store;
import ferry.store.StoreException;
import ferry.store.StoreFullException;
import ferry.store.StoreLockedException;
import ferry.verifier.BundleVerifier;
import ferry.verifier.ChannelPolicy;
import ferry.verifier.Signer;
import ferry.verifier.TrustedBundle;
import ferry.verifier.VerificationReport;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** One import of an admitted bundle into an open store: channel decision, pre-flight, copy while verifying, commit. */
final class ImportRun {
    /** A bundle the gate admitted, with its entries checked by their source type. */
    record Admitted(BundleVerifier.Admission admission, SourceImport.Plan plan) {
    }

    private final BundleVerifier gate;
    private final BundleVerifier.Admission admission;
    private final TrustedBundle bundle;
    private final Manifest manifest;
    private final SourceImport.Plan plan;
    private final Store store;
    private final Instant now;
    private final Progress progress;

    ImportRun(BundleVerifier gate, Admitted admitted, Store store, Instant now, Progress progress) {
        this.gate = gate;
        this.admission = admitted.admission();
        this.bundle = admission.bundle();
        this.manifest = bundle.manifest();
        this.plan = admitted.plan();
        this.store = store;
        this.now = now;
        this.progress = progress;
    }

    /** Admission through the gate, then the entries' source type checks them. */
    static Admitted admit(BundleVerifier gate, Path bundleDir, Instant now, List<SourceImport> sources)
            throws ImporterException {
        return admit(gate, ferry.format.BundleSource.of(bundleDir), now, sources);
    }

    /** As {@link #admit(BundleVerifier, Path, Instant, List)}; volumes missing from every directory are named. */
    static Admitted admit(BundleVerifier gate, ferry.format.BundleSource where, Instant now, List<SourceImport> sources)
            throws ImporterException {
        Path bundleDir = where.primary();
        BundleVerifier.Admission a = gate.admit(where, now);
        if (!a.ok()) {
            boolean onlyMissing = a.report().problems().stream()
                    .allMatch(p -> p.code() == ferry.verifier.Problem.Code.VOLUME_MISSING);
            if (onlyMissing && !a.missingVolumes().isEmpty()) {
                throw MissingMedia.exception(where, a.report(), a.missingVolumes());
            }
            throw new BundleInvalidException(a.report());
        }
        Manifest m = a.bundle().manifest();
        SourceImport source = SourceTypes.of(m, sources);
        try {
            return new Admitted(a, source.plan(m.entries()));
        } catch (BundleEntryException e) {
            throw new BundleInvalidException("bundle " + bundleDir + " is invalid: " + e.getMessage(), e);
        }
    }

    ImportResult run(long startedNanos) throws ImporterException {
        try {
            ChannelPolicy.Decision early = decide();
            if (early.verdict() == ChannelPolicy.Verdict.ALREADY_IMPORTED) {
                return result(true, ImportResult.Outcome.none(), startedNanos);
            }
            if (!early.accepted()) {
                throw new BundleRefusedException(early.verdict(), early.message());
            }
            preflight();
            CrashPoints.reached("import.decided");
            return copyAndCommit(startedNanos);
        } catch (StoreFullException e) {
            throw new NoSpaceException(e.path(), e.neededBytes(), e.freeBytes(), e);
        } catch (StoreLockedException e) {
            throw new StoreBusyException(e.getMessage(), e);
        } catch (StoreException e) {
            throw new ImportFailedException("bundle " + manifest.bundleId() + ": import failed, the store is unchanged: "
                    + e.getMessage(), e);
        }
    }

    /** The channel policy with the store's history, before anything is copied (the commit asks again). */
    private ChannelPolicy.Decision decide() {
        String id = manifest.bundleId().toString();
        Optional<ChannelPolicy.Prior> prior = Optional.empty();
        if (store.isImported(id)) {
            prior = store.bundles().stream().filter(b -> b.bundleId().equals(id)).findFirst()
                    .map(b -> new ChannelPolicy.Prior(b.channel(), b.sequenceNumber(), b.manifestSha256()));
        }
        Optional<ChannelState> ch = store.channel(manifest.channel());
        return gate.channelPolicy().decide(bundle.candidate(), ch.map(c -> new ChannelPolicy.Position(
                c.lastSequence(), c.lastBundleId())), prior);
    }

    /** Refuses at once, with the figures, an import that cannot fit. */
    private void preflight() throws NoSpaceException {
        long needed = bytesToCopy();
        long free = store.usableSpace();
        if (free >= 0 && needed > free) {
            throw new NoSpaceException(store.directory(), needed, free, null);
        }
    }

    private ImportResult copyAndCommit(long startedNanos) throws ImporterException {
        PendingImport pending = store.beginImport();
        StoreSink sink = new StoreSink(store, pending);
        boolean committed = false;
        try {
            VerificationReport report;
            try {
                report = gate.verifyAndCopy(admission, now, CrashPoints.marking(progress, "import.copy"), sink);
                sink.finish();
                CrashPoints.reached("import.copied");
            } catch (IOException e) {
                throw storeFailure(sink, e);
            }
            if (!report.ok()) {
                throw new BundleInvalidException(report);
            }
            if (!sink.sha1Mismatches().isEmpty()) {
                throw new BundleInvalidException("bundle " + bundle.directory() + " is invalid: entry "
                        + sink.sha1Mismatches().get(0));
            }
            CatalogWrite<?> rows;
            try {
                rows = plan.rows(manifest.bundleId().toString(), store);
            } catch (BundleEntryException e) {
                throw new BundleInvalidException("bundle " + bundle.directory() + " is invalid: " + e.getMessage(), e);
            }
            CrashPoints.reached("import.parsed");
            CatalogWrite.Result outcome;
            try {
                outcome = pending.commit(record(rows), gate.channelPolicy());
            } catch (ImportRefusedException e) {
                if (e.verdict() == ChannelPolicy.Verdict.ALREADY_IMPORTED) {
                    return result(true, ImportResult.Outcome.none(), startedNanos);
                }
                BundleRefusedException r = new BundleRefusedException(e.verdict(), e.getMessage());
                r.initCause(e);
                throw r;
            }
            committed = true;
            CrashPoints.reached("import.committed");
            int collected = collectLeftovers();
            outcome.notes().forEach(progress::info);
            return result(false, new ImportResult.Outcome(outcome.newRecords(),
                    outcome.records() - outcome.newRecords(), outcome.newFiles(), outcome.files() - outcome.newFiles(),
                    sink.copied(), sink.reused(), sink.copiedBytes(), sink.reusedBytes(), collected, outcome.notes(),
                    outcome), startedNanos);
        } finally {
            sink.close();
            if (!committed) {
                giveBack(pending);
            }
        }
    }

    /** The store failed while copying: a full disk gets its own exception with the figures. */
    private ImporterException storeFailure(StoreSink sink, IOException e) {
        Throwable cause = sink.failure() != null ? sink.failure() : e;
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof StoreFullException full) {
                long needed = full.neededBytes() > 0 ? full.neededBytes() : bytesToCopy();
                return new NoSpaceException(full.path(), needed, full.freeBytes(), cause);
            }
        }
        return new ImportFailedException("bundle " + manifest.bundleId() + ": import failed, the store is unchanged: "
                + cause.getMessage(), cause);
    }

    /** Bytes of the distinct objects the bundle carries that the store does not hold yet. */
    private long bytesToCopy() {
        long needed = 0;
        Set<String> counted = new HashSet<>();
        for (Entry e : manifest.entries()) {
            if (counted.add(e.sha256()) && !store.hasObject(e.sha256())) {
                needed += e.size();
            }
        }
        return needed;
    }

    /** Gives back what imports killed earlier left (the store's journal knows exactly what they wrote). */
    private int collectLeftovers() {
        try {
            return store.collectGarbage();
        } catch (StoreException e) {
            progress.info("could not remove objects left by earlier interrupted imports: " + e.getMessage());
            return 0;
        }
    }

    /** Deletes the objects this import wrote that nothing references (the store's journal knows which). */
    private void giveBack(PendingImport pending) {
        try {
            pending.abort();
        } catch (StoreException e) {
            progress.info("could not give back the objects this import wrote: " + e.getMessage()
                    + "; the next import or `ferry store check` removes them");
        }
    }

    private <R extends CatalogWrite.Result> ImportRecord<R> record(CatalogWrite<R> rows) {
        List<String> fingerprints = bundle.signers().stream().map(Signer::fingerprint).toList();
        return new ImportRecord<>(manifest.bundleId().toString(), manifest.channel(), manifest.sequence(),
                manifest.baseSequence(), manifest.createdAt(), bundle.manifestSha256(), fingerprints, producer(),
                rows, manifest.channelReset());
    }

    private String producer() {
        return manifest.producer().name() + " " + manifest.producer().version();
    }

    private ImportResult result(boolean already, ImportResult.Outcome outcome, long startedNanos) {
        String what = "bundle " + manifest.bundleId() + " (channel " + manifest.channel() + ", sequence "
                + manifest.sequence() + ")";
        String message = already
                ? what + " was already imported; nothing changed"
                : "imported " + what + ": " + outcome.newRevisions() + " new revision(s), " + outcome.newFiles()
                + " new file(s); " + outcome.objectsCopied() + " object(s) copied (" + outcome.bytesCopied()
                + " bytes), " + outcome.objectsReused() + " already present"
                + (outcome.details() == null ? "" : outcome.details().summary().stream().map(l -> "; " + l)
                .collect(java.util.stream.Collectors.joining()));
        List<ImportResult.Signer> signers = bundle.signers().stream()
                .map(s -> new ImportResult.Signer(s.fingerprint(), s.userId())).toList();
        return new ImportResult(manifest.bundleId().toString(), manifest.channel(), manifest.sequence(),
                manifest.baseSequence(), manifest.createdAt(), producer(), bundle.manifestSha256(), signers, already,
                message, outcome, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos), List.of(), null);
    }
}
