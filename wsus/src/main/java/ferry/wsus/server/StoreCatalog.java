package ferry.wsus.server;

import ferry.store.BundleInfo;
import ferry.store.Store;
import ferry.wsus.ContentUrls;
import ferry.wsus.UpdateIdentity;
import ferry.wsus.catalog.FileRecord;
import ferry.wsus.catalog.ServedDocument;
import ferry.wsus.catalog.WsusCatalog;
import ferry.wsus.metadata.MetadataException;
import ferry.wsus.metadata.UpdateDocument;
import ferry.wsus.metadata.UpdateFile;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The store as an MS-WSUSSS upstream catalog (3.1.4.5, 3.1.4.6): each update at its latest stored revision, so an
 * older revision imported later is never served in place of a newer one.
 *
 * <p>Anchors ({@link Anchors}) are {@code "<change number>,<epoch>"}: the store's change number when the anchor was
 * issued and the time (UTC, {@code yyyy-MM-dd HH:mm:ss.fff}) the store's first bundle was imported. An anchor with
 * this store's epoch and a change number it has reached is read exactly: the revisions that got a higher change
 * number since. Any other anchor in that form (from a real WSUS a downstream server was moved from, or from a
 * store rebuilt from scratch) is read by its time, as a real WSUS reads anchors: the revisions of the bundles
 * imported after that time. Only text that is not an anchor at all is {@link InvalidAnchorException}.
 *
 * <p>Metadata is read from the object named by the revision's {@code metadata_sha256}: the exact UTF-8 text the
 * bundle carried. GetUpdateData reads instead, where the import stored them (catalog format 5), the revision's
 * cabinet and the files its metadata names ({@link ServedDocument}), and reads the object only for documents sent
 * as plain text. A revision's files are those its metadata names, each marked held when the store has its object
 * (a metadata-only export carries none). Thread-safe, as {@link Store} is.
 */
public final class StoreCatalog implements UpdateCatalog {
    private final WsusCatalog catalog;
    private final Store store;
    // The first import never changes once made, so it is looked up until there is one, then kept.
    private volatile Instant epoch;

    public StoreCatalog(WsusCatalog catalog) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.store = catalog.store();
    }

    /** Reads which updates bundle anything ({@link WsusCatalog#prepareListings}). */
    @Override
    public void prepare() {
        catalog.prepareListings();
    }

    @Override
    public ferry.wsus.catalog.DeploymentChanges deploymentChanges(long since) {
        return catalog.deploymentChanges(since);
    }

    @Override
    public String anchor() {
        return Anchors.format(catalog.currentChangeNumber(), epoch());
    }

    @Override
    public List<UpdateIdentity> revisions(boolean getConfig, Set<String> productIds, Set<String> classificationIds,
                                          String sinceAnchor) throws InvalidAnchorException {
        long since = sinceAnchor == null || sinceAnchor.isBlank() ? 0 : changeNumber(sinceAnchor);
        List<UpdateIdentity> out = new ArrayList<>();
        out.addAll(catalog.latestRevisions(getConfig, productIds, classificationIds, since));
        out.sort(null);
        return out;
    }

    @Override
    public void checkAnchor(String sinceAnchor) throws InvalidAnchorException {
        if (sinceAnchor != null && !sinceAnchor.isBlank()) {
            changeNumber(sinceAnchor);
        }
    }

    /** Read from the catalog as the rows come, in one committed state. */
    @Override
    public void forEachUnfilteredRevision(String sinceAnchor, java.util.function.Consumer<UpdateIdentity> sink)
            throws InvalidAnchorException {
        long since = sinceAnchor == null || sinceAnchor.isBlank() ? 0 : changeNumber(sinceAnchor);
        catalog.forEachUnfilteredRevision(false, since, sink);
    }

    /** The change number an anchor stands for: its own when this store issued it, else the one at its time. */
    long changeNumber(String anchor) throws InvalidAnchorException {
        Anchors.Anchor a = Anchors.parse(anchor);
        if (a == null) {
            throw new InvalidAnchorException("not an anchor: " + clip(anchor));
        }
        Instant ours = epoch().truncatedTo(ChronoUnit.MILLIS);
        if (a.time().equals(ours) && a.counter() <= catalog.currentChangeNumber()) {
            return a.counter();
        }
        return changeNumberAt(a.time());
    }

    /** The store's change number right after the last import at or before {@code time} (0 before the first). */
    private long changeNumberAt(Instant time) {
        List<String> before = new ArrayList<>();
        for (BundleInfo b : store.bundles()) {
            if (!b.importedAt().truncatedTo(ChronoUnit.MILLIS).isAfter(time)) {
                before.add(b.bundleId());
            }
        }
        return catalog.highestChangeNumber(before);
    }

    private Instant epoch() {
        Instant e = epoch;
        if (e == null) {
            List<BundleInfo> bundles = store.bundles();
            if (bundles.isEmpty()) {
                return Anchors.NO_EPOCH;
            }
            e = bundles.get(0).importedAt();
            epoch = e;
        }
        return e;
    }

    /**
     * {@link ContentCoverage#NONE} when the store holds no update file (fed by metadata-only exports), else
     * {@link ContentCoverage#SOME}: telling whether every file every stored revision names is held would mean
     * reading all metadata, so a store never claims {@link ContentCoverage#ALL}.
     */
    @Override
    public ContentCoverage contentCoverage() {
        return catalog.holdsFiles() ? ContentCoverage.SOME : ContentCoverage.NONE;
    }

    /**
     * @throws UncheckedIOException if the metadata object is listed but cannot be read (the store was damaged)
     */
    @Override
    public List<UpdateIdentity> bundledUpdates(UpdateIdentity id) {
        return catalog.revision(id.updateId(), id.revisionNumber())
                .map(r -> r.bundledUpdates().stream()
                        .filter(b -> catalog.metadataSha256(b.updateId(), b.revisionNumber()).isPresent())
                        .map(b -> new UpdateIdentity(b.updateId(), b.revisionNumber()))
                        .toList())
                .orElse(List.of());
    }

    /** Every level of bundles in one query per 1,000 revisions. */
    @Override
    public List<UpdateIdentity> bundledUpdates(Collection<UpdateIdentity> ids) {
        return catalog.storedBundledUpdates(ids);
    }

    @Override
    public Optional<String> metadata(UpdateIdentity id) {
        Optional<String> sha256 = catalog.metadataSha256(id.updateId(), id.revisionNumber());
        return sha256.map(h -> readMetadata(id, h));
    }

    /**
     * The revisions' metadata objects and stored files in one catalog read (one committed state), then the objects.
     *
     * @throws UncheckedIOException  if a metadata object is listed but cannot be read (the store was damaged)
     * @throws IllegalStateException if stored metadata no longer parses (the store was damaged)
     */
    @Override
    public List<Optional<UpdateContent>> updateContent(List<UpdateIdentity> ids) {
        Map<UpdateIdentity, WsusCatalog.ServedRevision> served = catalog.servedRevisions(ids);
        List<Optional<UpdateContent>> out = new ArrayList<>(ids.size());
        for (UpdateIdentity id : ids) {
            WsusCatalog.ServedRevision r = served.get(id);
            if (r == null) {
                out.add(Optional.empty());
                continue;
            }
            ServedDocument d = r.document();
            if (d != null && d.cabinet() != null && d.files() != null) {
                // made at import: nothing to read or derive from the metadata
                out.add(Optional.of(new UpdateContent(null, files(d.files(), r.files()), d.cabinet())));
                continue;
            }
            String xml = readMetadata(id, r.metadataSha256());
            List<CatalogFile> files = d != null && d.files() != null ? files(d.files(), r.files())
                    : files(id, xml, r.files());
            out.add(Optional.of(new UpdateContent(xml, files, d == null ? null : d.cabinet())));
        }
        return out;
    }

    private String readMetadata(UpdateIdentity id, String sha256) {
        try (InputStream in = store.openObject(sha256)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("metadata object " + sha256 + " of " + id + ": " + e.getMessage(), e);
        }
    }

    /**
     * The files the revision's metadata names, in document order; held when the store has the file's object. The
     * MU URL is the one recorded with the file, empty when none was (bundles do not carry it today).
     *
     * @throws IllegalStateException if the stored metadata no longer parses (the store was damaged)
     */
    @Override
    public List<CatalogFile> files(UpdateIdentity id) {
        return metadata(id).map(xml -> files(id, xml)).orElse(List.of());
    }

    @Override
    public List<CatalogFile> files(UpdateIdentity id, String metadata) {
        if (!metadata.contains("Files")) {
            return List.of();
        }
        return files(id, metadata, catalog.files(id.updateId(), id.revisionNumber()));
    }

    /** @param storedFiles the files the catalog links to the revision */
    private List<CatalogFile> files(UpdateIdentity id, String metadata, List<FileRecord> storedFiles) {
        // a document without this text has no Files element: most (bundles, categories) are not parsed twice
        if (!metadata.contains("Files")) {
            return List.of();
        }
        UpdateDocument doc;
        try {
            doc = UpdateDocument.parse(metadata);
        } catch (MetadataException e) {
            throw new IllegalStateException("stored metadata of " + id + " does not parse: " + e.getMessage(), e);
        }
        List<ServedDocument.DocumentFile> named = new ArrayList<>(doc.files().size());
        for (UpdateFile f : doc.files()) {
            named.add(new ServedDocument.DocumentFile(f.sha1Base64(), f.fileName(), f.size()));
        }
        return files(named, storedFiles);
    }

    /**
     * @param named       the files the metadata names, in document order
     * @param storedFiles the files the catalog links to the revision
     */
    private List<CatalogFile> files(List<ServedDocument.DocumentFile> named, List<FileRecord> storedFiles) {
        if (named.isEmpty()) {
            return List.of();
        }
        Map<String, FileRecord> stored = new HashMap<>();
        for (FileRecord f : storedFiles) {
            stored.put(f.sha1Hex(), f);
        }
        List<CatalogFile> out = new ArrayList<>();
        for (ServedDocument.DocumentFile f : named) {
            FileRecord rec;
            try {
                rec = stored.get(ContentUrls.sha1Hex(f.sha1Base64()));
            } catch (IllegalArgumentException e) {
                rec = null;
            }
            boolean held = rec != null && store.hasObject(rec.sha256());
            String muUrl = rec != null && rec.muUrl() != null ? rec.muUrl() : "";
            out.add(new CatalogFile(f.sha1Base64(), f.fileName(), f.size(), muUrl, held));
        }
        return out;
    }

    private static String clip(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
