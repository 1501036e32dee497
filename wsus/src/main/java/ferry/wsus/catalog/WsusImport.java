package ferry.wsus.catalog;

import ferry.format.Entry;
import ferry.store.BundleEntryException;
import ferry.store.CatalogWrite;
import ferry.store.SourceCatalog;
import ferry.store.SourceImport;
import ferry.store.Store;
import ferry.store.StoreException;
import ferry.wsus.ContentUrls;
import ferry.wsus.UpdateIdentity;
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
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The WSUS source's import half: entries of kind {@code wsus-metadata} (update metadata, at
 * {@code wsus/metadata/<updateId>/<revision>.xml}), {@code wsus-content} (update files, at
 * {@code wsus/content/<XX>/<SHA1HEX>.<ext>}) and {@code wsus-approvals} (an {@link ApprovalSet} at
 * {@value ApprovalSet#PATH}, applied in the import's transaction) become rows of the WSUS tables (docs/architecture.md, "Bundle entry
 * paths"). Metadata is parsed from the object in the store, so the bytes parsed are the bytes kept and served.
 * Each revision is linked to the files its metadata names that the bundle carries (checked against the metadata's
 * size and SHA-256) or the store already holds; the rest are counted, not refused.
 */
public final class WsusImport implements SourceImport {
    /** The one instance. */
    public static final WsusImport INSTANCE = new WsusImport();

    /** Documents compressed together ({@link Rows#served}): enough to keep both cores busy, few in memory. */
    private static final int SERVED_CHUNK = 256;

    private WsusImport() {
    }

    @Override
    public SourceCatalog catalog() {
        return WsusTables.INSTANCE;
    }

    @Override
    public Set<String> kinds() {
        return Set.of(WsusEntries.KIND_METADATA, WsusEntries.KIND_CONTENT, ApprovalSet.KIND);
    }

    @Override
    public Plan plan(List<Entry> entries) throws BundleEntryException {
        WsusEntries sorted = WsusEntries.of(entries);
        return (bundleId, store) -> new Rows(sorted, new WsusCatalog(store)).write(bundleId);
    }

    /** Reads the metadata back from the store and links files: one bundle's rows. */
    private static final class Rows {
        private final WsusEntries entries;
        private final WsusCatalog catalog;
        private final Map<String, WsusEntries.Content> carried = new HashMap<>();
        private int filesNotCarried;

        Rows(WsusEntries entries, WsusCatalog catalog) {
            this.entries = entries;
            this.catalog = catalog;
            for (WsusEntries.Content c : entries.content) {
                carried.put(c.sha1Hex(), c);
            }
        }

        CatalogWrite<?> write(String bundleId) throws BundleEntryException {
            List<RevisionRecord> revisions = new ArrayList<>(entries.metadata.size());
            Set<String> notCarried = new HashSet<>();
            Map<UpdateIdentity, ServedDocument> served = new HashMap<>();
            List<Parsed> pending = new ArrayList<>(SERVED_CHUNK);
            for (WsusEntries.Metadata m : entries.metadata) {
                Parsed parsed = parse(m);
                UpdateDocument doc = parsed.doc();
                pending.add(parsed);
                if (pending.size() == SERVED_CHUNK) {
                    served(pending, served);
                }
                List<String> files = files(m.entry(), doc);
                for (String sha1 : files) {
                    if (!carried.containsKey(sha1)) {
                        notCarried.add(sha1);
                    }
                }
                revisions.add(RevisionMapper.record(doc, m.entry().sha256(), files));
            }
            served(pending, served);
            // The files the bundle does not carry (all of them in a metadata-only bundle): which of them the store
            // already holds, asked in one read rather than one read per file.
            Set<String> stored = notCarried.isEmpty() ? Set.of() : catalog.storedFiles(notCarried);
            List<RevisionRecord> linked = new ArrayList<>(revisions.size());
            for (RevisionRecord r : revisions) {
                List<String> files = new ArrayList<>(r.fileSha1Hex().size());
                for (String sha1 : r.fileSha1Hex()) {
                    if (carried.containsKey(sha1) || stored.contains(sha1)) {
                        files.add(sha1);
                    } else {
                        filesNotCarried++;
                    }
                }
                linked.add(files.size() == r.fileSha1Hex().size() ? r : new RevisionRecord(r.updateId(),
                        r.revisionNumber(), r.updateType(), r.categoryType(), r.title(), r.kbArticle(),
                        r.metadataSha256(), r.categoryIds(), r.prerequisiteIds(), r.bundledUpdates(),
                        r.supersededIds(), files));
            }
            List<FileRecord> files = new ArrayList<>();
            for (WsusEntries.Content c : entries.content) {
                files.add(new FileRecord(c.sha1Hex(), c.entry().sha256(), c.entry().size(), c.fileName(), null));
            }
            return WsusCatalogWrite.of(bundleId, linked, files, filesNotCarried,
                    entries.approvals == null ? null : approvals(entries.approvals)).withServedDocuments(served);
        }

        /**
         * What GetUpdateData will send for each document parsed so far, made on all cores (compressing is most of
         * the cost), then forgotten: a chunk of documents at a time is held in memory, never the whole bundle.
         */
        private static void served(List<Parsed> pending, Map<UpdateIdentity, ServedDocument> out) {
            ServedDocument[] made = new ServedDocument[pending.size()];
            // a parallel stream: the calling thread works too (the common pool alone has one thread on 2 cores)
            java.util.stream.IntStream.range(0, made.length).parallel()
                    .forEach(i -> made[i] = ServedDocument.of(pending.get(i).xml(), pending.get(i).doc()));
            for (int i = 0; i < made.length; i++) {
                out.put(pending.get(i).doc().identity(), made[i]);
            }
            pending.clear();
        }

        /** A metadata document as stored and as parsed. */
        private record Parsed(String xml, UpdateDocument doc) {
        }

        /** The carried approval set, read from the store and checked; its counts must be those the manifest names. */
        private ApprovalSet approvals(Entry e) throws BundleEntryException {
            byte[] bytes;
            try (InputStream in = catalog.store().openObject(e.sha256())) {
                bytes = in.readNBytes(ApprovalSetJson.MAX_BYTES + 1);
            } catch (IOException ex) {
                throw new StoreException("object " + e.sha256() + ": cannot read: " + ex.getMessage(), ex);
            }
            ApprovalSet set;
            try {
                set = ApprovalSetJson.read(bytes);
            } catch (IllegalArgumentException ex) {
                throw WsusEntries.invalid(e, "unusable: " + ex.getMessage());
            }
            Map<String, Integer> counts = Map.of("groups", set.groups().size(), "approvals", set.approvals().size(),
                    "declines", set.declines().size(), "rules", set.rules().size());
            for (Map.Entry<String, Integer> c : counts.entrySet()) {
                String named = e.source().get(c.getKey());
                if (named != null && !named.equals(Integer.toString(c.getValue()))) {
                    throw WsusEntries.invalid(e, "holds " + c.getValue() + " " + c.getKey() + " but its source"
                            + " identifiers say " + named);
                }
            }
            return set;
        }

        private Parsed parse(WsusEntries.Metadata m) throws BundleEntryException {
            Entry e = m.entry();
            String xml;
            Store store = catalog.store();
            try (InputStream in = store.openObject(e.sha256())) {
                byte[] bytes = in.readNBytes((int) Math.min(WsusEntries.MAX_METADATA_BYTES, Integer.MAX_VALUE - 8));
                xml = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException ex) {
                throw WsusEntries.invalid(e, "update metadata is not UTF-8 text");
            } catch (IOException ex) {
                throw new StoreException("object " + e.sha256() + ": cannot read: " + ex.getMessage(), ex);
            }
            UpdateDocument doc;
            try {
                doc = UpdateDocument.parse(xml);
            } catch (MetadataException ex) {
                throw WsusEntries.invalid(e, "update metadata unusable: " + ex.getMessage());
            }
            if (!doc.identity().equals(m.identity())) {
                throw WsusEntries.invalid(e, "holds update " + doc.identity() + ", not " + m.identity());
            }
            return new Parsed(xml, doc);
        }

        /**
         * The SHA-1s (hex, as {@link ContentUrls#sha1Hex} spells them) of every file the metadata names; those the
         * bundle carries are checked against the metadata here, the rest are settled in {@link #write}.
         */
        private List<String> files(Entry metadataEntry, UpdateDocument doc) throws BundleEntryException {
            List<String> out = new ArrayList<>();
            for (UpdateFile f : doc.files()) {
                String sha1;
                try {
                    sha1 = ContentUrls.sha1Hex(f.sha1Base64());
                } catch (IllegalArgumentException ex) {
                    throw WsusEntries.invalid(metadataEntry, "file " + f.fileName() + ": " + ex.getMessage());
                }
                WsusEntries.Content c = carried.get(sha1);
                if (c != null) {
                    checkAgainstMetadata(c, f, doc);
                }
                out.add(sha1);
            }
            return out;
        }

        private static void checkAgainstMetadata(WsusEntries.Content c, UpdateFile f, UpdateDocument doc)
                throws BundleEntryException {
            if (f.size() != c.entry().size()) {
                throw WsusEntries.invalid(c.entry(), "is " + c.entry().size() + " bytes but update " + doc.identity()
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
                    throw WsusEntries.invalid(c.entry(), "has SHA-256 " + c.entry().sha256() + " but update "
                            + doc.identity() + " says " + expected);
                }
            }
        }
    }
}
