package ferry.samples;

import ferry.wsus.ContentUrls;
import ferry.wsus.UpdateIdentity;
import ferry.wsus.metadata.MetadataException;
import ferry.wsus.metadata.UpdateDocument;
import ferry.wsus.metadata.UpdateFile;
import ferry.wsus.metadata.UpdateType;
import ferry.wsus.server.ContentResolver;
import ferry.wsus.server.UpdateCatalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The sample upstream's catalog: the nine real update documents recorded from a Windows Server 2025 WSUS
 * (see {@code wsus-real/PROVENANCE.md}) plus {@link SyntheticUpdates}, held in memory, with the synthetic
 * updates' files on disk. Revisions can be added while serving ({@link #add(String)}), which moves the anchor,
 * so incremental synchronization can be shown and tested.
 *
 * <p>Filtering follows what a real upstream does for GetRevisionIdList (MS-WSUSSS 3.1.4.5): with
 * GetConfig=true the categories and detectoids; otherwise software and driver updates whose {@code IsCategory}
 * prerequisite groups name one of the requested products and, when classifications are given, one of those.
 */
public final class SampleCatalog implements UpdateCatalog, ContentResolver {

    /** The real documents shipped with the samples, by file name under {@code ferry/samples/wsus-real/}. */
    static final List<String> REAL_DOCUMENTS = List.of(
            "56309036-4c77-4dd9-951a-99ee9c246a94-r101.xml",
            "6964aab4-c5b5-43bd-a17d-ffb4346a8e1d-r100.xml",
            "dd78b8a1-0b20-45c1-add6-4da72e9364cf-r202.xml",
            "a2fef9b0-7951-4c2c-a42b-9e351dd1c1fe-r200.xml",
            "1f9bd9bb-7390-4aa3-bbdb-ded99fac2583-r200.xml",
            "ccb78947-6453-4ecc-9de8-bc0305c98f2d-r200.xml",
            "266f6222-c89d-43f2-9f8a-69340271e677-r200.xml",
            "7366a74a-ef29-44e1-b738-570b516aca1f-r200.xml",
            "ff36f0b5-dded-4780-8664-cd78af8b62c1-r200.xml");

    private static final String ANCHOR_TIME = "2026-10-13 17:00:00.000";

    private final Path filesDir;
    /** Every revision with the change number it was added at; guarded by {@code this}. */
    private final Map<UpdateIdentity, Added> revisions = new LinkedHashMap<>();
    private long changeNumber;

    private record Added(UpdateDocument document, long changeNumber) {
    }

    private SampleCatalog(Path filesDir) {
        this.filesDir = filesDir;
    }

    /**
     * Builds the catalog, generating the synthetic updates' files into {@code filesDir} (about 2.8 MB; files
     * already there are kept).
     *
     * @throws UncheckedIOException if a resource or the directory cannot be read or written
     */
    public static SampleCatalog create(Path filesDir) {
        return create(filesDir, 0);
    }

    /**
     * As {@link #create(Path)}, plus a feature update with one file of {@code featureUpdateBytes} bytes when that
     * is above 0 (see {@link SyntheticUpdates#featureUpdate}); the benchmarks use it to move large files.
     */
    public static SampleCatalog create(Path filesDir, long featureUpdateBytes) {
        return create(filesDir, featureUpdateBytes, 0, 0);
    }

    /**
     * As {@link #create(Path, long)}, plus a language packs update with {@code smallFiles} files of
     * {@code smallFileBytes} bytes each when {@code smallFiles} is above 0 (see
     * {@link SyntheticUpdates#languagePacks}); the content benchmark uses it to serve many different files.
     *
     * @throws IllegalArgumentException if {@code smallFiles} is above 0 and the count or size is out of range
     */
    public static SampleCatalog create(Path filesDir, long featureUpdateBytes, int smallFiles, long smallFileBytes) {
        SampleCatalog catalog = new SampleCatalog(filesDir);
        if (featureUpdateBytes > 0) {
            catalog.add(SyntheticUpdates.featureUpdate(filesDir, featureUpdateBytes));
        }
        if (smallFiles > 0) {
            catalog.add(SyntheticUpdates.languagePacks(filesDir, smallFiles, smallFileBytes));
        }
        for (String name : REAL_DOCUMENTS) {
            catalog.add(readResource("wsus-real/" + name));
        }
        for (String xml : SyntheticUpdates.documents(filesDir)) {
            catalog.add(xml);
        }
        return catalog;
    }

    /**
     * Adds (or re-publishes) a revision; the anchor moves on.
     *
     * @param xml an update metadata document
     * @return its identity
     * @throws IllegalArgumentException if the document does not parse
     */
    public synchronized UpdateIdentity add(String xml) {
        UpdateDocument doc;
        try {
            doc = UpdateDocument.parse(xml);
        } catch (MetadataException e) {
            throw new IllegalArgumentException("sample document does not parse: " + e.getMessage(), e);
        }
        revisions.put(doc.identity(), new Added(doc, ++changeNumber));
        return doc.identity();
    }

    /** All documents, in the order they were added. */
    public synchronized List<UpdateDocument> documents() {
        List<UpdateDocument> docs = new ArrayList<>();
        revisions.values().forEach(a -> docs.add(a.document()));
        return docs;
    }

    /** Where the synthetic updates' files are. */
    public Path filesDir() {
        return filesDir;
    }

    @Override
    public synchronized String anchor() {
        return changeNumber + "," + ANCHOR_TIME;
    }

    @Override
    public synchronized List<UpdateIdentity> revisions(boolean getConfig, Set<String> productIds,
                                                       Set<String> classificationIds, String sinceAnchor)
            throws InvalidAnchorException {
        long since = sinceAnchor == null ? 0 : parseAnchor(sinceAnchor);
        Map<String, UpdateIdentity> latest = new LinkedHashMap<>();
        for (Added a : revisions.values()) {
            UpdateDocument doc = a.document();
            if (a.changeNumber() <= since || !selected(doc, getConfig, productIds, classificationIds)) {
                continue;
            }
            UpdateIdentity id = doc.identity();
            latest.merge(id.updateId(), id, (x, y) -> x.revisionNumber() >= y.revisionNumber() ? x : y);
        }
        List<UpdateIdentity> result = new ArrayList<>(latest.values());
        Collections.sort(result);
        return result;
    }

    private static boolean selected(UpdateDocument doc, boolean getConfig, Set<String> products, Set<String> classifications) {
        boolean config = doc.updateType() == UpdateType.CATEGORY || doc.updateType() == UpdateType.DETECTOID;
        if (getConfig) {
            return config;
        }
        if (config) {
            return false;
        }
        Set<String> in = new HashSet<>(doc.categoryIds());
        boolean productOk = products.isEmpty() || products.stream().anyMatch(in::contains);
        boolean classificationOk = classifications.isEmpty() || classifications.stream().anyMatch(in::contains);
        return productOk && classificationOk;
    }

    private long parseAnchor(String anchor) throws InvalidAnchorException {
        int comma = anchor.indexOf(',');
        try {
            long n = Long.parseLong(comma >= 0 ? anchor.substring(0, comma) : anchor);
            if (n < 0 || n > changeNumber) {
                throw new InvalidAnchorException("anchor " + anchor + " was not issued by this server");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new InvalidAnchorException("anchor is not of the form <counter>,<time>: " + anchor);
        }
    }

    @Override
    public synchronized List<UpdateIdentity> bundledUpdates(UpdateIdentity id) {
        Added a = revisions.get(id);
        return a == null ? List.of() : a.document().bundledUpdates().stream().filter(revisions::containsKey).toList();
    }

    @Override
    public synchronized Optional<String> metadata(UpdateIdentity id) {
        Added a = revisions.get(id);
        return a == null ? Optional.empty() : Optional.of(a.document().xml());
    }

    @Override
    public synchronized List<CatalogFile> files(UpdateIdentity id) {
        Added a = revisions.get(id);
        if (a == null) {
            return List.of();
        }
        List<CatalogFile> files = new ArrayList<>();
        for (UpdateFile f : a.document().files()) {
            files.add(new CatalogFile(f.sha1Base64(), f.fileName(), f.size(), ""));
        }
        return files;
    }

    /** Only the synthetic updates' files are here; the real documents' files were never recorded. */
    @Override
    public Optional<Path> resolve(String sha1Hex) {
        try (var stream = Files.list(filesDir)) {
            return stream.filter(p -> p.getFileName().toString().startsWith(sha1Hex + ".")
                            || p.getFileName().toString().equals(sha1Hex))
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The {@code /Content/} path of a file named in this catalog's metadata. */
    public static String contentPath(UpdateFile file) {
        return ContentUrls.path(file.sha1Base64(), file.fileName());
    }

    private static String readResource(String name) {
        try (InputStream in = SampleCatalog.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new UncheckedIOException(new IOException("missing sample resource " + name));
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sample resource " + name, e);
        }
    }
}
