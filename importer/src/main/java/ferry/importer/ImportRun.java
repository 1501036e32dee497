package ferry.importer;

import ferry.format.Entry;
import ferry.format.Manifest;
import ferry.format.Progress;
import ferry.store.BundleInfo;
import ferry.store.ChannelState;
import ferry.store.FileRecord;
import ferry.store.ImportOutcome;
import ferry.store.ImportRecord;
import ferry.store.ImportRefusedException;
import ferry.store.RevisionRecord;
import ferry.store.Store;
import ferry.store.StoreException;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** One import of a verified bundle into an open store: refusals, object copies, one commit. */
final class ImportRun {
    private final Importer.Verified bundle;
    private final Manifest manifest;
    private final Store store;
    private final Progress progress;
    private final boolean ownsStore;
    private final Map<String, EntryPlan.Content> carried = new HashMap<>();

    private int objectsCopied;
    private int objectsReused;
    private long bytesCopied;
    private long bytesReused;
    private int filesNotCarried;

    ImportRun(Importer.Verified bundle, Store store, Progress progress, boolean ownsStore) {
        this.bundle = bundle;
        this.manifest = bundle.reader().manifest();
        this.store = store;
        this.progress = progress;
        this.ownsStore = ownsStore;
        for (EntryPlan.Content c : bundle.plan().content) {
            carried.put(c.sha1Hex(), c);
        }
    }

    ImportResult run(long startedNanos) throws ImporterException {
        try {
            if (alreadyImported()) {
                return result(true, ImportResult.Outcome.none(store.currentChangeNumber()), startedNanos);
            }
            refuseOutOfOrder();
            List<RevisionRecord> revisions;
            List<FileRecord> files = new ArrayList<>();
            progress.begin("import " + manifest.bundleId(), bundle.plan().totalBytes);
            try {
                // Metadata first: a document that does not parse is found before gigabytes of files are copied.
                revisions = importMetadata();
                for (EntryPlan.Content c : bundle.plan().content) {
                    copy(c.entry());
                    files.add(new FileRecord(c.sha1Hex(), c.entry().sha256(), c.entry().size(), c.fileName(), null));
                }
            } finally {
                progress.end();
            }
            ImportOutcome outcome;
            try {
                outcome = store.commitImport(record(revisions, files));
            } catch (ImportRefusedException e) {
                if (e.reason() == ImportRefusedException.Reason.ALREADY_IMPORTED) {
                    return result(true, ImportResult.Outcome.none(store.currentChangeNumber()), startedNanos);
                }
                throw refused(e);
            }
            int collected = ownsStore ? collectGarbage() : 0;
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
                    objectsCopied, objectsReused, bytesCopied, bytesReused, outcome.changeNumber(), collected),
                    startedNanos);
        } catch (StoreException e) {
            throw new ImporterException(ImporterException.EXIT_INTERNAL, "bundle " + manifest.bundleId()
                    + ": import failed, the store is unchanged: " + e.getMessage(), e);
        }
    }

    private boolean alreadyImported() throws BundleRefusedException {
        String id = manifest.bundleId().toString();
        if (!store.isImported(id)) {
            return false;
        }
        Optional<BundleInfo> prior = store.bundles().stream().filter(b -> b.bundleId().equals(id)).findFirst();
        if (prior.isPresent() && !prior.get().manifestSha256().equalsIgnoreCase(bundle.manifestSha256())) {
            throw new BundleRefusedException(BundleRefusedException.Reason.ID_REUSED, "bundle " + id
                    + " was imported before (channel " + prior.get().channel() + ", sequence "
                    + prior.get().sequenceNumber() + ") with a different manifest; refusing a second bundle with that id");
        }
        return true;
    }

    /** The checks the store repeats inside its transaction, made here so that nothing is copied in vain. */
    private void refuseOutOfOrder() throws BundleRefusedException {
        Optional<ChannelState> channel = store.channel(manifest.channel());
        long seq = manifest.sequence();
        if (channel.isPresent() && seq <= channel.get().lastSequence()) {
            throw new BundleRefusedException(BundleRefusedException.Reason.REPLAY, "replay: bundle "
                    + manifest.bundleId() + " has sequence " + seq + " on channel " + manifest.channel()
                    + ", not above the last imported " + channel.get().lastSequence() + " (bundle "
                    + channel.get().lastBundleId() + ")");
        }
        Long base = manifest.baseSequence();
        if (base != null && (channel.isEmpty() || base > channel.get().lastSequence())) {
            throw new BundleRefusedException(BundleRefusedException.Reason.MISSING_BASE, "missing base: bundle "
                    + manifest.bundleId() + " is a delta on sequence " + base + " of channel " + manifest.channel()
                    + ", but " + (channel.isEmpty() ? "nothing was imported on that channel"
                    : "the last imported is " + channel.get().lastSequence()) + "; import the bundles in between first");
        }
    }

    private static BundleRefusedException refused(ImportRefusedException e) {
        BundleRefusedException.Reason r = e.reason() == ImportRefusedException.Reason.MISSING_BASE
                ? BundleRefusedException.Reason.MISSING_BASE : BundleRefusedException.Reason.REPLAY;
        BundleRefusedException out = new BundleRefusedException(r, e.getMessage());
        out.initCause(e);
        return out;
    }

    private List<RevisionRecord> importMetadata() throws BundleInvalidException {
        List<RevisionRecord> out = new ArrayList<>(bundle.plan().metadata.size());
        for (EntryPlan.Metadata m : bundle.plan().metadata) {
            copy(m.entry());
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

    /** Streams one entry into the store unless its object is already there. */
    private void copy(Entry e) throws BundleInvalidException {
        if (store.hasObject(e.sha256())) {
            objectsReused++;
            bytesReused += e.size();
            progress.advance(e.size());
            return;
        }
        try (InputStream in = new BundleInput(bundle.reader().openEntry(e), progress)) {
            store.putObject(in, e.sha256(), e.size());
        } catch (StoreException | IOException ex) {
            BundleInput.Failure f = BundleInput.find(ex);
            if (f != null) {
                throw EntryPlan.invalid(e, "changed or became unreadable after verification: "
                        + f.getCause().getMessage());
            }
            if (ex instanceof StoreException se) {
                throw se;
            }
            throw new StoreException("entry " + e.path() + ": " + ex.getMessage(), ex);
        }
        objectsCopied++;
        bytesCopied += e.size();
    }

    private ImportRecord record(List<RevisionRecord> revisions, List<FileRecord> files) {
        return new ImportRecord(manifest.bundleId().toString(), manifest.channel(), manifest.sequence(),
                manifest.baseSequence(), manifest.createdAt(), bundle.manifestSha256(),
                new ArrayList<>(bundle.signers().keySet()), producer(), revisions, files);
    }

    private String producer() {
        return manifest.producer().name() + " " + manifest.producer().version();
    }

    private int collectGarbage() {
        try {
            return store.collectGarbage();
        } catch (StoreException e) {
            progress.info("could not remove objects left by earlier failed imports: " + e.getMessage());
            return 0;
        }
    }

    private ImportResult result(boolean already, ImportResult.Outcome outcome, long startedNanos) {
        String what = "bundle " + manifest.bundleId() + " (channel " + manifest.channel() + ", sequence "
                + manifest.sequence() + ")";
        String message = already
                ? what + " was already imported; nothing changed"
                : "imported " + what + ": " + outcome.newRevisions() + " new revision(s), " + outcome.newFiles()
                + " new file(s); " + outcome.objectsCopied() + " object(s) copied (" + outcome.bytesCopied()
                + " bytes), " + outcome.objectsReused() + " already present";
        List<ImportResult.Signer> signers = bundle.signers().entrySet().stream()
                .map(s -> new ImportResult.Signer(s.getKey(), s.getValue())).toList();
        return new ImportResult(manifest.bundleId().toString(), manifest.channel(), manifest.sequence(),
                manifest.baseSequence(), manifest.createdAt(), producer(), bundle.manifestSha256(), signers, already,
                message, outcome, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos));
    }
}
