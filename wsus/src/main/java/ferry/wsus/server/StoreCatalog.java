package ferry.wsus.server;

import ferry.store.BundleInfo;
import ferry.store.Store;
import ferry.wsus.catalog.FileRecord;
import ferry.wsus.catalog.WsusCatalog;
import ferry.wsus.ContentUrls;
import ferry.wsus.UpdateIdentity;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The store as an MS-WSUSSS upstream catalog (3.1.4.5, 3.1.4.6): each update at its latest stored revision, so an
 * older revision imported later is never served in place of a newer one.
 *
 * <p>Anchors are {@code "<change number>,<epoch>"}: the store's change number when the anchor was issued and the
 * time (UTC, {@code yyyy-MM-dd HH:mm:ss.fff}) the store's first bundle was imported. A GetRevisionIdList with an
 * anchor returns the revisions that got a higher change number, i.e. those imported since. An anchor this store
 * cannot have issued (another shape, another epoch, a change number above the current one) is
 * {@link InvalidAnchorException}, which downstream servers see as fault {@code InvalidParameters}. The anchor
 * {@code "0,..."} means "nothing seen yet" and is accepted whatever its epoch.
 *
 * <p>Metadata is read from the object named by the revision's {@code metadata_sha256}: the exact UTF-8 text the
 * bundle carried. Thread-safe, as {@link Store} is.
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

    private long changeNumber(String anchor) throws InvalidAnchorException {
        Anchors.Anchor a = Anchors.parse(anchor);
        if (a == null) {
            throw new InvalidAnchorException("anchor was not issued by this server: " + clip(anchor));
        }
        if (a.changeNumber() == 0) {
            return 0;
        }
        if (!a.epoch().equals(Anchors.epoch(epoch()))) {
            throw new InvalidAnchorException("anchor belongs to another store (epoch " + a.epoch() + ")");
        }
        if (a.changeNumber() > catalog.currentChangeNumber()) {
            throw new InvalidAnchorException("anchor is ahead of this store (change " + a.changeNumber() + ")");
        }
        return a.changeNumber();
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

    @Override
    public Optional<String> metadata(UpdateIdentity id) {
        Optional<String> sha256 = catalog.metadataSha256(id.updateId(), id.revisionNumber());
        if (sha256.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream in = store.openObject(sha256.get())) {
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("metadata object " + sha256.get() + " of " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<CatalogFile> files(UpdateIdentity id) {
        List<CatalogFile> out = new ArrayList<>();
        for (FileRecord f : catalog.files(id.updateId(), id.revisionNumber())) {
            out.add(new CatalogFile(ContentUrls.sha1Base64(f.sha1Hex()), f.fileName(), f.size(),
                    f.muUrl() == null ? "" : f.muUrl()));
        }
        return out;
    }

    private static String clip(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
