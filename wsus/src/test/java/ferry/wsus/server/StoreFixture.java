package ferry.wsus.server;

import ferry.store.PendingImport;
import ferry.store.ImportRecord;
import ferry.store.Store;
import ferry.verifier.ChannelPolicy;
import ferry.wsus.UpdateIdentity;
import ferry.wsus.catalog.FileRecord;
import ferry.wsus.catalog.RevisionRecord;
import ferry.wsus.catalog.ServedDocument;
import ferry.wsus.catalog.WsusCatalogWrite;
import ferry.wsus.catalog.WsusTables;
import ferry.wsus.metadata.PrerequisiteGroup;
import ferry.wsus.metadata.UpdateDocument;
import ferry.wsus.metadata.UpdateType;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A real store (H2 catalog, objects on disk) fed through the store's own import path with update documents,
 * metadata only: the files the documents name are not carried, as after a metadata-only export. Each
 * {@link #importBundle} call is one bundle on channel {@code wsus}.
 */
final class StoreFixture implements AutoCloseable {

    final Store store;
    private int sequence;
    /**
     * What imports keep for GetUpdateData of each revision (catalog format 5), from the document as stored and
     * parsed; {@code ServedDocument::of} is what {@code ferry import} keeps. Null: nothing, as imports before it.
     */
    java.util.function.BiFunction<String, UpdateDocument, ServedDocument> servedDocuments;

    StoreFixture(Path dir) {
        this.store = Store.open(dir, List.of(WsusTables.INSTANCE));
    }

    /** Imports one bundle holding {@code xmls} (update documents) and, optionally, one carried file. */
    String importBundle(List<String> xmls, CarriedFile carried) throws Exception {
        sequence++;
        String bundleId = "bundle-" + sequence;
        try (PendingImport imp = store.beginImport()) {
            List<RevisionRecord> revisions = new ArrayList<>();
            List<FileRecord> files = new ArrayList<>();
            String carriedSha1 = null;
            if (carried != null) {
                String sha256 = put(imp, carried.bytes());
                carriedSha1 = HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-1").digest(carried.bytes()));
                files.add(new FileRecord(carriedSha1, sha256, carried.bytes().length, carried.fileName(), null));
            }
            java.util.Map<UpdateIdentity, ServedDocument> served = new java.util.HashMap<>();
            for (String xml : xmls) {
                UpdateDocument doc = UpdateDocument.parse(xml);
                if (servedDocuments != null) {
                    served.put(doc.identity(), servedDocuments.apply(xml, doc));
                }
                String sha256 = put(imp, xml.getBytes(StandardCharsets.UTF_8));
                List<String> fileSha1 = new ArrayList<>();
                for (var f : doc.files()) {
                    String hex = HexFormat.of().withUpperCase().formatHex(java.util.Base64.getDecoder().decode(f.sha1Base64()));
                    if (hex.equals(carriedSha1)) {
                        fileSha1.add(hex);
                    }
                }
                revisions.add(record(doc, sha256, fileSha1));
            }
            imp.commit(new ImportRecord<>(bundleId, "wsus", sequence, null, Instant.now(), "ab".repeat(32),
                    List.of("AB12"), "test", WsusCatalogWrite.of(bundleId, revisions, files).withServedDocuments(served), null),
                    new ChannelPolicy(1000));
        }
        return bundleId;
    }

    /** A file a bundle carries: its bytes and its name in the metadata. */
    record CarriedFile(String fileName, byte[] bytes) {
    }

    private static RevisionRecord record(UpdateDocument doc, String metadataSha256, List<String> fileSha1Hex) {
        String categoryType = doc.updateType() == UpdateType.CATEGORY
                ? doc.categoryType().map(t -> t.xmlName()).orElse(null) : null;
        Set<String> prerequisites = new LinkedHashSet<>(doc.requiredPrerequisites());
        for (PrerequisiteGroup g : doc.prerequisiteGroups()) {
            prerequisites.addAll(g.updateIds());
        }
        List<UpdateIdentity> bundled = doc.bundledUpdates().stream()
                .map(b -> new UpdateIdentity(b.updateId(), b.revisionNumber())).distinct().toList();
        String title = doc.title().isEmpty() ? null : doc.title();
        return new RevisionRecord(doc.identity().updateId(), doc.identity().revisionNumber(),
                doc.updateType().xmlName(), categoryType, title, doc.kbArticleId().orElse(null), metadataSha256,
                doc.categoryIds(), List.copyOf(prerequisites), bundled, doc.supersededUpdates().stream().distinct().toList(),
                fileSha1Hex);
    }

    private static String put(PendingImport imp, byte[] b) throws Exception {
        String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        imp.putObject(new ByteArrayInputStream(b), hex, b.length);
        return hex;
    }

    @Override
    public void close() {
        store.close();
    }
}
