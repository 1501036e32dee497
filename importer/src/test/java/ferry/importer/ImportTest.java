package ferry.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ferry.format.Progress;
import ferry.format.trust.TrustStore;
import ferry.store.Store;
import ferry.wsus.UpdateIdentity;
import ferry.wsus.catalog.FileRecord;
import ferry.wsus.catalog.RevisionRecord;
import ferry.wsus.catalog.WsusCatalog;
import ferry.wsus.catalog.WsusCatalogWrite;
import ferry.wsus.UpdateIdentity;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static ferry.importer.TestBundles.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImportTest {
    @TempDir
    Path tmp;
    Path storeDir;
    TrustStore trust;

    @BeforeEach
    void setUp() {
        storeDir = tmp.resolve("store");
        trust = TestBundles.trust(tmp.resolve("trust"), 1, ALICE);
    }

    @Test
    void importStoresRevisionsFilesAndObjects() throws Exception {
        Spec spec = firstBundle();
        Path bundle = spec.write(tmp.resolve("b1"));
        RecordingProgress progress = new RecordingProgress();

        ImportResult r = Importer.importBundle(bundle, storeDir, trust, NOW, progress);

        assertFalse(r.alreadyImported());
        assertEquals(spec.id(), r.bundleId());
        assertEquals("wsus-main", r.channel());
        assertEquals(1, r.sequence());
        assertNull(r.baseSequence());
        assertEquals(CREATED, r.createdAt());
        assertEquals("ferry 0.1.0", r.producer());
        assertEquals(List.of(new ImportResult.Signer(ALICE.fingerprint(), ALICE.userId())), r.signers());
        ImportResult.Outcome o = r.outcome();
        assertEquals(8, o.newRevisions());
        WsusCatalogWrite.Result details = (WsusCatalogWrite.Result) o.details();
        assertEquals(0, details.olderRevisions());
        assertEquals(2, o.newFiles());
        assertEquals(1, details.filesNotCarried(), "the real leaf's AM_Delta.exe is not carried");
        assertTrue(o.notes().stream().anyMatch(n -> n.startsWith("1 file(s) named by the update metadata")), o.notes().toString());
        assertEquals(10, o.objectsCopied());
        assertEquals(0, o.objectsReused());
        assertEquals(8, details.changeNumber());
        assertTrue(r.message().contains("8 new revision"), r.message());

        // progress: one task, the single read of the volumes that verifies and copies, in volume bytes
        long entryBytes = spec.items.stream().mapToLong(i -> i.data().length).sum();
        assertEquals(List.of("verify and copy volumes"), progress.tasks);
        assertEquals(progress.totals.get(0), progress.advanced.get(0), "every volume byte read once");
        assertTrue(progress.totals.get(0) > entryBytes, "volumes hold the entries plus tar headers");
        assertEquals(entryBytes, o.bytesCopied());

        try (Store store = StoreSnapshot.open(storeDir)) {
            // a real document: identity, type, KB, categories, bundled and superseded updates, text unchanged
            String kbXml = real(KB2267602);
            UpdateIdentity kb = identity(kbXml);
            RevisionRecord rec = new WsusCatalog(store).revision(kb.updateId(), kb.revisionNumber()).orElseThrow();
            assertEquals("Software", rec.updateType());
            assertEquals("2267602", rec.kbArticle());
            assertEquals(Set.of(PRODUCT, CLASSIFICATION), Set.copyOf(rec.categoryIds()));
            assertTrue(rec.bundledUpdates().contains(new UpdateIdentity("90f961a9-1756-4493-aade-644c37589961", 200)));
            assertTrue(rec.supersededIds().contains("ce84983e-b20e-44d7-a412-1fd91fc7bda8"));
            assertTrue(rec.fileSha1Hex().isEmpty());
            assertArrayEquals(kbXml.getBytes(StandardCharsets.UTF_8),
                    Files.readAllBytes(store.objectPath(rec.metadataSha256())));

            UpdateIdentity product = identity(real(PRODUCT_DOC));
            RevisionRecord cat = new WsusCatalog(store).revision(product.updateId(), product.revisionNumber()).orElseThrow();
            assertEquals("Category", cat.updateType());
            assertEquals("Product", cat.categoryType());

            // the real leaf is stored without its (absent) file
            UpdateIdentity leaf = identity(real(LEAF_WITH_FILE));
            assertTrue(new WsusCatalog(store).revision(leaf.updateId(), leaf.revisionNumber()).orElseThrow().fileSha1Hex().isEmpty());

            // a synthetic update with its file: SHA-1 as upper-case hex, object holds the bytes
            Synthetic d = defenderUpdate(200);
            RevisionRecord drec = new WsusCatalog(store).revision(d.updateId(), d.revision()).orElseThrow();
            assertEquals(List.of(d.sha1Hex()), drec.fileSha1Hex());
            assertEquals("Synthetic definition update r200", drec.title());
            List<FileRecord> files = new WsusCatalog(store).files(d.updateId(), d.revision());
            assertEquals(1, files.size());
            FileRecord f = files.get(0);
            assertEquals(d.sha1Hex(), f.sha1Hex());
            assertEquals("defs-x64.cab", f.fileName());
            assertEquals(d.content().length, f.size());
            assertArrayEquals(d.content(), Files.readAllBytes(store.objectPath(f.sha256())));

            assertEquals(8, store.counts().source("wsus").orElseThrow().get("revisions"));
            assertEquals(2, store.counts().source("wsus").orElseThrow().get("files"));
            assertEquals(1, store.channel("wsus-main").orElseThrow().lastSequence());
            assertEquals(List.of(ALICE.fingerprint()), store.bundles().get(0).signerFingerprints());
        }
    }

    @Test
    void resultSerializesToJson() throws Exception {
        Path bundle = firstBundle().write(tmp.resolve("b1"));
        ImportResult r = Importer.importBundle(bundle, storeDir, trust, NOW, Progress.NONE);
        JsonNode json = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(r));
        assertEquals("2026-10-05T10:00:00Z", json.get("createdAt").asText());
        assertEquals(8, json.get("outcome").get("newRevisions").asInt());
        assertEquals(ALICE.fingerprint(), json.get("signers").get(0).get("fingerprint").asText());
        assertFalse(json.get("alreadyImported").asBoolean());
    }

    @Test
    void importingTheSameBundleTwiceChangesNothing() throws Exception {
        Path bundle = firstBundle().write(tmp.resolve("b1"));
        Importer.importBundle(bundle, storeDir, trust, NOW, Progress.NONE);
        StoreSnapshot before = StoreSnapshot.of(storeDir);

        RecordingProgress progress = new RecordingProgress();
        ImportResult again = Importer.importBundle(bundle, storeDir, trust, NOW, progress);

        assertTrue(again.alreadyImported());
        assertFalse(again.changed());
        assertEquals(ImportResult.Outcome.none(), again.outcome());
        assertTrue(again.message().contains("already imported; nothing changed"), again.message());
        assertEquals(List.of(), progress.tasks, "admission alone recognises it: no volume is read, nothing copied");
        assertEquals(before, StoreSnapshot.of(storeDir));
    }

    @Test
    void deltaOnTheLastBundleIsImportedAndReusesObjects() throws Exception {
        Importer.importBundle(firstBundle().write(tmp.resolve("b1")), storeDir, trust, NOW, Progress.NONE);
        Synthetic newer = defenderUpdate(201);
        Path delta = bundle().sequence(2).base(1L).update(newer).update(securityUpdate()).write(tmp.resolve("b2"));

        ImportResult r = Importer.importBundle(delta, storeDir, trust, NOW, Progress.NONE);

        assertEquals(1, r.outcome().newRevisions());
        assertEquals(1, r.outcome().skippedRevisions());
        assertEquals(1, r.outcome().newFiles());
        assertEquals(1, r.outcome().skippedFiles());
        assertEquals(2, r.outcome().objectsReused(), "the security update's metadata and file");
        assertEquals(2, r.outcome().objectsCopied());
        assertEquals(9, ((WsusCatalogWrite.Result) r.outcome().details()).changeNumber());
        try (Store store = StoreSnapshot.open(storeDir)) {
            assertEquals(2, store.channel("wsus-main").orElseThrow().lastSequence());
            assertEquals(List.of(new UpdateIdentity(newer.updateId(), 201)),
                    new WsusCatalog(store).latestRevisions(false, Set.of(PRODUCT), Set.of(CLASSIFICATION), 8));
        }
    }

    @Test
    void anOlderRevisionIsKeptButNeverServedInPlaceOfTheNewer() throws Exception {
        Importer.importBundle(bundle().update(defenderUpdate(201)).write(tmp.resolve("b1")), storeDir, trust, NOW,
                Progress.NONE);
        Path older = bundle().sequence(2).update(defenderUpdate(200)).write(tmp.resolve("b2"));
        List<String> infos = new ArrayList<>();

        ImportResult r = Importer.importBundle(older, storeDir, trust, NOW, new RecordingProgress(infos));

        assertEquals(1, r.outcome().newRevisions());
        assertEquals(1, ((WsusCatalogWrite.Result) r.outcome().details()).olderRevisions());
        assertTrue(infos.stream().anyMatch(l -> l.contains("older than revisions already stored")), infos.toString());
        try (Store store = StoreSnapshot.open(storeDir)) {
            String id = defenderUpdate(200).updateId();
            assertEquals(201, new WsusCatalog(store).latestRevisionNumber(id).orElseThrow());
            assertEquals(List.of(new UpdateIdentity(id, 201)), new WsusCatalog(store).latestRevisions(false, Set.of(), Set.of(), 0));
        }
    }

    @Test
    void twoSignersMeetAThresholdOfTwo() throws Exception {
        TrustStore two = TestBundles.trust(tmp.resolve("trust2"), 2, ALICE, MALLORY);
        Path bundle = bundle().signers(ALICE, MALLORY).update(securityUpdate()).write(tmp.resolve("b1"));
        ImportResult r = Importer.importBundle(bundle, storeDir, two, NOW, Progress.NONE);
        assertEquals(Set.of(ALICE.fingerprint(), MALLORY.fingerprint()),
                Set.copyOf(r.signers().stream().map(ImportResult.Signer::fingerprint).toList()));
    }

    /** Records tasks, their declared totals and the bytes advanced in each. */
    static final class RecordingProgress implements Progress {
        final List<String> tasks = new ArrayList<>();
        final List<Long> totals = new ArrayList<>();
        final List<Long> advanced = new ArrayList<>();
        final List<String> infos;

        RecordingProgress() {
            this(new ArrayList<>());
        }

        RecordingProgress(List<String> infos) {
            this.infos = infos;
        }

        @Override
        public void begin(String task, long totalBytes) {
            tasks.add(task);
            totals.add(totalBytes);
            advanced.add(0L);
        }

        @Override
        public void advance(long bytes) {
            advanced.set(advanced.size() - 1, advanced.get(advanced.size() - 1) + bytes);
        }

        @Override
        public void end() {
        }

        @Override
        public void info(String line) {
            infos.add(line);
        }
    }
}
