package ferry.importer;

import ferry.format.CrashPoints;
import ferry.format.Entry;
import ferry.format.Manifest;
import ferry.format.Progress;
import ferry.store.ChannelState;
import ferry.store.FileRecord;
import ferry.store.ImportOutcome;
import ferry.store.ImportRecord;
import ferry.store.ImportRefusedException;
import ferry.store.PendingImport;
import ferry.store.RevisionRecord;
import ferry.store.Store;
import ferry.store.StoreException;
import ferry.store.StoreFullException;
import ferry.verifier.BundleVerifier;
import ferry.verifier.ChannelPolicy;
import ferry.verifier.Signer;
import ferry.verifier.TrustedBundle;
import ferry.verifier.VerificationReport;
import ferry.wsus.ContentUrls;
import ferry.wsus.metadata.MetadataException;
import ferry.wsus.metadata.UpdateDocument;
import ferry.wsus.metadata.UpdateFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** One import of an admitted bundle into an open store: channel decision, pre-flight, copy while verifying, commit. */
final class ImportRun {
    /** A bundle the gate admitted, with its entries sorted for the WSUS source. */
    record Admitted(BundleVerifier.Admission admission, EntryPlan plan) {
    }

    private final BundleVerifier gate;
    private final BundleVerifier.Admission admission;
    private final TrustedBundle bundle;
    private final Manifest manifest;
    private final EntryPlan plan;
    private final Store store;
    private final Instant now;
    private final Progress progress;
    private final Map<String, EntryPlan.Content> carried = new HashMap<>();
    private int filesNotCarried;

    ImportRun(BundleVerifier gate, Admitted admitted, Store store, Instant now, Progress progress) {
        this.gate = gate;
        this.admission = admitted.admission();
        this.bundle = admission.bundle();
        this.manifest = bundle.manifest();
        this.plan = admitted.plan();
        this.store = store;
        this.now = now;
        this.progress = progress;
        for (EntryPlan.Content c : plan.content) {
            carried.put(c.sha1Hex(), c);
        }
    }

    /** Admission through the gate, then the WSUS source's reading of the entries. */
    static Admitted admit(BundleVerifier gate, Path bundleDir, Instant now) throws BundleInvalidException {
        BundleVerifier.Admission a = gate.admit(bundleDir, now);
        if (!a.ok()) {
            throw new BundleInvalidException(a.report());
        }
        return new Admitted(a, EntryPlan.of(a.bundle().manifest()));
    }

    ImportResult run(long startedNanos) throws ImporterException {
        try {
            ChannelPolicy.Decision early = decide();
            if (early.verdict() == ChannelPolicy.Verdict.ALREADY_IMPORTED) {
                return result(true, ImportResult.Outcome.none(store.currentChangeNumber()), startedNanos);
            }
            if (!early.accepted()) {
                throw new BundleRefusedException(early.verdict(), early.message());
            }
            preflight();
            CrashPoints.reached("import.decided");
            return copyAndCommit(startedNanos);
        } catch (StoreFullException e) {
            throw new NoSpaceException(e.path(), e.neededBytes(), e.freeBytes(), e);
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
            List<RevisionRecord> revisions = importMetadata();
            CrashPoints.reached("import.parsed");
            List<FileRecord> files = new ArrayList<>();
            for (EntryPlan.Content c : plan.content) {
                files.add(new FileRecord(c.sha1Hex(), c.entry().sha256(), c.entry().size(), c.fileName(), null));
            }
            ImportOutcome outcome;
            try {
                outcome = pending.commit(record(revisions, files), gate.channelPolicy());
            } catch (ImportRefusedException e) {
                if (e.verdict() == ChannelPolicy.Verdict.ALREADY_IMPORTED) {
                    return result(true, ImportResult.Outcome.none(store.currentChangeNumber()), startedNanos);
                }
                BundleRefusedException r = new BundleRefusedException(e.verdict(), e.getMessage());
                r.initCause(e);
                throw r;
            }
            committed = true;
            CrashPoints.reached("import.committed");
            int collected = collectLeftovers();
            if (outcome.olderRevisions() > 0) {
                progress.info(outcome.olderRevisions() + " revision(s) are older than revisions already stored: kept,"
                        + " but the newer ones stay served");
            }
            if (filesNotCarried > 0) {
                progress.info(filesNotCarried + " file(s) named by the update metadata are neither in the bundle nor"
                        + " in the store; those updates are served without them");
            }
            return result(false, new ImportResult.Outcome(outcome.newRevisions(), outcome.olderRevisions(),
                    outcome.skippedRevisions(), outcome.newFiles(), outcome.skippedFiles(), filesNotCarried,
                    sink.copied(), sink.reused(), sink.copiedBytes(), sink.reusedBytes(), outcome.changeNumber(), collected),
                    startedNanos);
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

    private List<RevisionRecord> importMetadata() throws BundleInvalidException {
        List<RevisionRecord> out = new ArrayList<>(plan.metadata.size());
        for (EntryPlan.Metadata m : plan.metadata) {
            UpdateDocument doc = parse(m);
            out.add(RevisionMapper.record(doc, m.entry().sha256(), files(m.entry(), doc)));
        }
        return out;
    }

    /** Reads the document back from the store: the bytes parsed are the bytes kept and served. */
    private UpdateDocument parse(EntryPlan.Metadata m) throws BundleInvalidException {
        Entry e = m.entry();
        String xml;
        try (InputStream in = store.openObject(e.sha256())) {
            byte[] bytes = in.readNBytes((int) Math.min(EntryPlan.MAX_METADATA_BYTES, Integer.MAX_VALUE - 8));
            xml = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException ex) {
            throw EntryPlan.invalid(e, "update metadata is not UTF-8 text");
        } catch (IOException ex) {
            throw new StoreException("object " + e.sha256() + ": cannot read: " + ex.getMessage(), ex);
        }
        UpdateDocument doc;
        try {
            doc = UpdateDocument.parse(xml);
        } catch (MetadataException ex) {
            throw EntryPlan.invalid(e, "update metadata unusable: " + ex.getMessage());
        }
        if (!doc.identity().equals(m.identity())) {
            throw EntryPlan.invalid(e, "holds update " + doc.identity() + ", not " + m.identity());
        }
        return doc;
    }

    /**
     * The files to link to a revision: those its metadata names that the bundle carries (checked against the
     * metadata's size and SHA-256) or the store already holds. The rest are counted, not refused: an export may
     * leave out files on purpose (metadata only, other languages).
     */
    private List<String> files(Entry metadataEntry, UpdateDocument doc) throws BundleInvalidException {
        List<String> out = new ArrayList<>();
        for (UpdateFile f : doc.files()) {
            String sha1;
            try {
                sha1 = ContentUrls.sha1Hex(f.sha1Base64());
            } catch (IllegalArgumentException ex) {
                throw EntryPlan.invalid(metadataEntry, "file " + f.fileName() + ": " + ex.getMessage());
            }
            EntryPlan.Content c = carried.get(sha1);
            if (c != null) {
                checkAgainstMetadata(c, f, doc);
                out.add(sha1);
            } else if (store.fileBySha1(sha1).isPresent()) {
                out.add(sha1);
            } else {
                filesNotCarried++;
            }
        }
        return out;
    }

    private static void checkAgainstMetadata(EntryPlan.Content c, UpdateFile f, UpdateDocument doc)
            throws BundleInvalidException {
        if (f.size() != c.entry().size()) {
            throw EntryPlan.invalid(c.entry(), "is " + c.entry().size() + " bytes but update " + doc.identity()
                    + " says " + f.size());
        }
        if (f.sha256Base64() != null) {
            String expected;
            try {
                expected = HexFormat.of().formatHex(Base64.getDecoder().decode(f.sha256Base64()));
            } catch (IllegalArgumentException ex) {
                expected = "(not base64)";
            }
            if (!expected.equals(c.entry().sha256())) {
                throw EntryPlan.invalid(c.entry(), "has SHA-256 " + c.entry().sha256() + " but update "
                        + doc.identity() + " says " + expected);
            }
        }
    }

    private ImportRecord record(List<RevisionRecord> revisions, List<FileRecord> files) {
        List<String> fingerprints = bundle.signers().stream().map(Signer::fingerprint).toList();
        return new ImportRecord(manifest.bundleId().toString(), manifest.channel(), manifest.sequence(),
                manifest.baseSequence(), manifest.createdAt(), bundle.manifestSha256(), fingerprints, producer(),
                revisions, files, manifest.channelReset());
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
                + " bytes), " + outcome.objectsReused() + " already present";
        List<ImportResult.Signer> signers = bundle.signers().stream()
                .map(s -> new ImportResult.Signer(s.fingerprint(), s.userId())).toList();
        return new ImportResult(manifest.bundleId().toString(), manifest.channel(), manifest.sequence(),
                manifest.baseSequence(), manifest.createdAt(), producer(), bundle.manifestSha256(), signers, already,
                message, outcome, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos));
    }
}
