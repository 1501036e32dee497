package ferry.wsus.catalog;

import static ferry.wsus.catalog.CatalogFixtures.COMPANY;
import static ferry.wsus.catalog.CatalogFixtures.CRITICAL;
import static ferry.wsus.catalog.CatalogFixtures.SECURITY;
import static ferry.wsus.catalog.CatalogFixtures.SERVER_2025;
import static ferry.wsus.catalog.CatalogFixtures.WINDOWS_11;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ferry.store.BundleInfo;
import ferry.store.ChannelState;
import ferry.store.Store;
import ferry.store.StoreCounts;
import ferry.wsus.UpdateIdentity;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WSUS source's catalog in a real store: what an import records and reports, and what {@link WsusCatalog} serves
 * from it (latest revisions only, product and classification filters, files by SHA-1, change numbers, counts).
 */
class WsusCatalogTest {
    static final String CU_WIN11 = "11111111-1111-1111-1111-111111111111";     // Windows 11, Security
    static final String CU_SERVER = "22222222-2222-2222-2222-222222222222";    // Server 2025, Critical
    static final String BOTH = "33333333-3333-3333-3333-333333333333";         // Windows 11 + Server, Critical
    static final String DRIVER = "44444444-4444-4444-4444-444444444444";       // Windows 11, no classification
    static final String DETECTOID = "55555555-5555-5555-5555-555555555555";

    @TempDir
    Path dir;
    Store store;
    WsusCatalog catalog;
    FileRecord win11File;
    FileRecord serverFile;

    @BeforeEach
    void open() {
        store = CatalogFixtures.open(dir);
        catalog = new WsusCatalog(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** Categories, four updates, a detectoid, two files: bundle 1 of channel "wsus". */
    private WsusCatalogWrite.Result importFirst() {
        win11File = CatalogFixtures.file(store, "windows 11 cumulative update", "windows11.0-kb5050001-x64.msu");
        serverFile = CatalogFixtures.file(store, "server cumulative update", "windows10.0-kb5050002-x64.cab");
        RevisionRecord win11 = new RevisionRecord(CU_WIN11, 200, "Software", null, "2025-01 Cumulative Update",
                "5050001", CatalogFixtures.put(store, CatalogFixtures.bytes("<cu win11/>")),
                List.of(WINDOWS_11, SECURITY), List.of(DETECTOID), List.of(), List.of(), List.of(win11File.sha1Hex()));
        RevisionRecord server = CatalogFixtures.revision(store, CU_SERVER, 100, "Software", null,
                List.of(SERVER_2025.toUpperCase(Locale.ROOT), CRITICAL), List.of(serverFile.sha1Hex().toLowerCase(Locale.ROOT)));
        RevisionRecord both = new RevisionRecord(BOTH, 50, "Software", null, "Servicing stack", null,
                CatalogFixtures.put(store, CatalogFixtures.bytes("<ssu/>")), List.of(WINDOWS_11, SERVER_2025, CRITICAL),
                List.of(), List.of(new UpdateIdentity(CU_WIN11, 200)), List.of(CU_SERVER),
                List.of(win11File.sha1Hex(), serverFile.sha1Hex()));
        RevisionRecord driver = CatalogFixtures.revision(store, DRIVER, 1, "Driver", null, List.of(WINDOWS_11), List.of());
        RevisionRecord detectoid = CatalogFixtures.revision(store, DETECTOID, 7, "Detectoid", null, List.of(), List.of());
        return CatalogFixtures.commit(store, CatalogFixtures.bundle("b1", "wsus", 1, null, List.of(
                CatalogFixtures.category(store, COMPANY, "Company"),
                CatalogFixtures.category(store, WINDOWS_11, "Product"),
                CatalogFixtures.category(store, SERVER_2025, "Product"),
                CatalogFixtures.category(store, SECURITY, "UpdateClassification"),
                CatalogFixtures.category(store, CRITICAL, "UpdateClassification"),
                win11, server, both, driver, detectoid), List.of(win11File, serverFile)));
    }

    @Test
    void importRecordsEverythingAndReportsIt() {
        WsusCatalogWrite.Result outcome = importFirst();
        assertEquals(new WsusCatalogWrite.Result(10, 0, 0, 2, 0, 0, 10), outcome);
        assertEquals(10, catalog.currentChangeNumber());
        StoreCounts counts = store.counts();
        assertEquals(1, counts.bundles());
        assertEquals(1, counts.channels());
        StoreCounts.Source wsus = counts.source("wsus").orElseThrow();
        assertEquals(10, wsus.get("updates"));
        assertEquals(10, wsus.get("revisions"));
        assertEquals(2, wsus.get("files"));
        assertEquals(win11File.size() + serverFile.size(), wsus.get("fileBytes"));
        assertEquals(10, wsus.get("changeNumber"));
        // Served updates by type, categories by category type.
        assertEquals(3, wsus.get("updatesSoftware"));
        assertEquals(1, wsus.get("updatesDriver"));
        assertEquals(5, wsus.get("updatesCategory"));
        assertEquals(1, wsus.get("updatesDetectoid"));
        assertEquals(1, wsus.get("categoriesCompany"));
        assertEquals(2, wsus.get("categoriesProduct"));
        assertEquals(2, wsus.get("categoriesUpdateClassification"));
        assertFalse(wsus.counts().stream().anyMatch(c -> c.name().equals("categoriesProductFamily")),
                "a category type the store has none of is left out");

        assertTrue(store.isImported("b1"));
        assertFalse(store.isImported("b2"));
        assertEquals(List.of(new ChannelState("wsus", 1, "b1")), store.channels());
        assertEquals(Optional.of(new ChannelState("wsus", 1, "b1")), store.channel("wsus"));
        BundleInfo info = store.bundles().get(0);
        assertEquals("b1", info.bundleId());
        assertEquals(Instant.parse("2025-01-14T18:00:00Z"), info.createdAt());
        assertTrue(Duration.between(info.importedAt()).abs().toMinutes() < 5, "imported_at is now, UTC");
        assertEquals(List.of("AB12CD34EF56AB12CD34EF56AB12CD34EF56AB12"), info.signerFingerprints());
        assertEquals(10, info.revisionCount());
        assertEquals(2, info.newFileCount());
        assertEquals(List.of(), outcome.notes());
    }

    @Test
    void revisionsFilesAndMetadataAreQueryable() {
        importFirst();
        RevisionRecord both = catalog.revision(BOTH, 50).orElseThrow();
        assertEquals(List.of(SERVER_2025, CRITICAL, WINDOWS_11).stream().sorted().toList(), both.categoryIds());
        assertEquals(List.of(new UpdateIdentity(CU_WIN11, 200)), both.bundledUpdates());
        assertEquals(List.of(CU_SERVER), both.supersededIds());
        assertEquals("Servicing stack", both.title());
        assertEquals(List.of(DETECTOID), catalog.revision(CU_WIN11, 200).orElseThrow().prerequisiteIds());
        assertEquals("5050001", catalog.revision(CU_WIN11, 200).orElseThrow().kbArticle());
        assertEquals(List.of(SERVER_2025), catalog.revision(CU_SERVER, 100).orElseThrow().categoryIds().stream()
                .filter(SERVER_2025::equals).toList(), "ids are stored lower-case");

        assertEquals(List.of(serverFile, win11File), catalog.files(BOTH, 50), "by file name");
        assertEquals(List.of(serverFile), catalog.files(CU_SERVER.toUpperCase(Locale.ROOT), 100));
        assertEquals(List.of(), catalog.files(DRIVER, 1));
        assertEquals(Optional.of(win11File), catalog.fileBySha1(win11File.sha1Hex().toLowerCase(Locale.ROOT)));
        assertEquals(Optional.empty(), catalog.fileBySha1("0000000000000000000000000000000000000000"));

        String md = catalog.metadataSha256(BOTH, 50).orElseThrow();
        assertEquals(CatalogFixtures.sha256(CatalogFixtures.bytes("<ssu/>")), md);
        assertTrue(store.hasObject(md));
        assertEquals(Optional.empty(), catalog.metadataSha256(BOTH, 51));
        assertEquals(Optional.of(50), catalog.latestRevisionNumber(BOTH));
    }

    @Test
    void filtersByProductAndClassification() {
        importFirst();
        assertEquals(Set.of(CU_WIN11, BOTH, DRIVER), ids(catalog.latestRevisions(false, Set.of(WINDOWS_11), Set.of(), 0)));
        assertEquals(Set.of(CU_SERVER, BOTH), ids(catalog.latestRevisions(false, Set.of(SERVER_2025), Set.of(), 0)));
        assertEquals(Set.of(CU_WIN11), ids(catalog.latestRevisions(false, Set.of(WINDOWS_11), Set.of(SECURITY), 0)));
        assertEquals(Set.of(CU_SERVER, BOTH),
                ids(catalog.latestRevisions(false, Set.of(WINDOWS_11, SERVER_2025), Set.of(CRITICAL), 0)));
        assertEquals(Set.of(CU_WIN11, CU_SERVER, BOTH),
                ids(catalog.latestRevisions(false, Set.of(), Set.of(SECURITY, CRITICAL), 0)));
        assertEquals(Set.of(CU_WIN11, CU_SERVER, BOTH, DRIVER), ids(catalog.latestRevisions(false, Set.of(), Set.of(), 0)));
        // A classification passed as a product does not make every classified update a match, and vice versa.
        assertEquals(Set.of(), ids(catalog.latestRevisions(false, Set.of(SECURITY), Set.of(), 0)));
        assertEquals(Set.of(), ids(catalog.latestRevisions(false, Set.of(), Set.of(WINDOWS_11), 0)));
        assertEquals(Set.of(COMPANY, WINDOWS_11, SERVER_2025, SECURITY, CRITICAL, DETECTOID),
                ids(catalog.latestRevisions(true, Set.of(), Set.of(), 0)));
        // Upper-case ids in the filter match too.
        assertEquals(Set.of(CU_SERVER, BOTH),
                ids(catalog.latestRevisions(false, Set.of(SERVER_2025.toUpperCase(Locale.ROOT)), Set.of(), 0)));
    }

    @Test
    void categoriesTheStoreDoesNotKnowStillMatch() {
        String unknownProduct = "66666666-6666-6666-6666-666666666666";
        String update = "77777777-7777-7777-7777-777777777777";
        CatalogFixtures.commit(store, CatalogFixtures.bundle("b1", "wsus", 1, null,
                List.of(CatalogFixtures.revision(store, update, 1, "Software", null, List.of(unknownProduct), List.of())),
                List.of()));
        assertEquals(Set.of(update), ids(catalog.latestRevisions(false, Set.of(unknownProduct), Set.of(), 0)));
        assertEquals(Set.of(update), ids(catalog.latestRevisions(false, Set.of(), Set.of(unknownProduct), 0)));
    }

    @Test
    void newRevisionsBecomeLatestAndSinceReturnsOnlyWhatChanged() {
        importFirst();
        long anchor = catalog.currentChangeNumber();
        assertEquals(List.of(), catalog.latestRevisions(false, Set.of(), Set.of(), anchor));

        RevisionRecord win11v2 = CatalogFixtures.revision(store, CU_WIN11, 201, "Software", null,
                List.of(WINDOWS_11, SECURITY), List.of(win11File.sha1Hex()));
        WsusCatalogWrite.Result second = CatalogFixtures.commit(store, CatalogFixtures.bundle("b2", "wsus", 2, 1L, List.of(win11v2), List.of()));
        assertEquals(new WsusCatalogWrite.Result(1, 0, 0, 0, 0, 0, anchor + 1), second);

        assertEquals(List.of(new UpdateIdentity(CU_WIN11, 201)), catalog.latestRevisions(false, Set.of(), Set.of(), anchor));
        List<UpdateIdentity> all = catalog.latestRevisions(false, Set.of(WINDOWS_11), Set.of(SECURITY), 0);
        assertEquals(List.of(new UpdateIdentity(CU_WIN11, 201)), all, "only the latest revision");
        assertEquals(Optional.of(201), catalog.latestRevisionNumber(CU_WIN11));
        assertTrue(catalog.revision(CU_WIN11, 200).isPresent(), "the earlier revision stays stored");
        assertEquals(List.of(new ChannelState("wsus", 2, "b2")), store.channels());
    }

    @Test
    void statusCountsFollowEveryImport() {
        importFirst();
        assertEquals(10, store.counts().source("wsus").orElseThrow().get("revisions"));
        assertEquals(10, store.counts().source("wsus").orElseThrow().get("revisions"), "kept: the same answer");
        RevisionRecord win11v2 = CatalogFixtures.revision(store, CU_WIN11, 201, "Software", null,
                List.of(WINDOWS_11, SECURITY), List.of(win11File.sha1Hex()));
        CatalogFixtures.commit(store, CatalogFixtures.bundle("b2", "wsus", 2, 1L, List.of(win11v2), List.of()));
        StoreCounts.Source wsus = store.counts().source("wsus").orElseThrow();
        assertEquals(11, wsus.get("revisions"), "counted again after the import");
        assertEquals(10, wsus.get("updates"));
        assertEquals(11, wsus.get("changeNumber"));
        assertEquals(3, wsus.get("updatesSoftware"), "a new revision of an update served is still one update");
    }

    @Test
    void anOlderRevisionArrivingLaterIsStoredButNeverLatest() {
        importFirst();
        long anchor = catalog.currentChangeNumber();
        RevisionRecord older = CatalogFixtures.revision(store, CU_WIN11, 150, "Software", null,
                List.of(WINDOWS_11, SECURITY), List.of());
        RevisionRecord again = CatalogFixtures.revision(store, CU_SERVER, 100, "Software", null, List.of(), List.of());
        WsusCatalogWrite.Result outcome = CatalogFixtures.commit(store, CatalogFixtures.bundle("b2", "wsus", 2, null, List.of(older, again),
                List.of(win11File)));
        assertEquals(new WsusCatalogWrite.Result(1, 1, 1, 0, 1, 0, anchor + 1), outcome);

        assertTrue(catalog.revision(CU_WIN11, 150).isPresent());
        assertEquals(Optional.of(200), catalog.latestRevisionNumber(CU_WIN11));
        assertEquals(List.of(), catalog.latestRevisions(false, Set.of(), Set.of(), anchor),
                "a downgrade is not news to downstream servers");
        assertTrue(catalog.latestRevisions(false, Set.of(), Set.of(), 0).contains(new UpdateIdentity(CU_WIN11, 200)));
        // The revision already stored keeps its first metadata and categories.
        assertEquals(List.of(SERVER_2025, CRITICAL), catalog.revision(CU_SERVER, 100).orElseThrow().categoryIds());
    }

    @Test
    void aRevisionListsUnderItsOwnCategoriesOnlyWhileItIsTheLatest() {
        importFirst();
        // 201 moves the update from Windows 11 x Security to Server 2025 x Critical; an older 150 arriving after it
        // names Windows 11 again, and must not bring the update back under it.
        RevisionRecord moved = CatalogFixtures.revision(store, CU_WIN11, 201, "Software", null,
                List.of(SERVER_2025, CRITICAL), List.of());
        RevisionRecord older = CatalogFixtures.revision(store, CU_WIN11, 150, "Software", null,
                List.of(WINDOWS_11, SECURITY), List.of());
        CatalogFixtures.commit(store, CatalogFixtures.bundle("b2", "wsus", 2, 1L, List.of(moved), List.of()));
        CatalogFixtures.commit(store, CatalogFixtures.bundle("b3", "wsus", 3, 2L, List.of(older), List.of()));

        assertFalse(ids(catalog.latestRevisions(false, Set.of(WINDOWS_11), Set.of(SECURITY), 0)).contains(CU_WIN11));
        assertFalse(ids(catalog.latestRevisions(false, Set.of(WINDOWS_11), Set.of(), 0)).contains(CU_WIN11));
        assertTrue(catalog.latestRevisions(false, Set.of(SERVER_2025), Set.of(CRITICAL), 0)
                .contains(new UpdateIdentity(CU_WIN11, 201)));
        assertTrue(catalog.latestRevisions(false, Set.of(), Set.of(CRITICAL), 0).contains(new UpdateIdentity(CU_WIN11, 201)));
    }

    @Test
    void twoRevisionsOfOneUpdateInOneBundleListTheHigherOnce() {
        importFirst();
        RevisionRecord v300 = CatalogFixtures.revision(store, CU_WIN11, 300, "Software", null,
                List.of(WINDOWS_11, SECURITY), List.of());
        RevisionRecord v299 = CatalogFixtures.revision(store, CU_WIN11, 299, "Software", null,
                List.of(WINDOWS_11, CRITICAL), List.of());
        RevisionRecord v301 = CatalogFixtures.revision(store, CU_WIN11, 301, "Software", null,
                List.of(WINDOWS_11, CRITICAL), List.of());
        CatalogFixtures.commit(store, CatalogFixtures.bundle("b2", "wsus", 2, 1L, List.of(v300, v299, v301), List.of()));
        List<UpdateIdentity> win11 = catalog.latestRevisions(false, Set.of(WINDOWS_11), Set.of(), 0);
        assertTrue(win11.contains(new UpdateIdentity(CU_WIN11, 301)));
        assertEquals(1, win11.stream().filter(r -> r.updateId().equals(CU_WIN11)).count());
        assertFalse(ids(catalog.latestRevisions(false, Set.of(WINDOWS_11), Set.of(SECURITY), 0)).contains(CU_WIN11));
    }

    @Test
    void manyRevisionsAreReadAtOnce() {
        importFirst();
        UpdateIdentity both = new UpdateIdentity(BOTH, 50);
        UpdateIdentity win11 = new UpdateIdentity(CU_WIN11, 200);
        UpdateIdentity missing = new UpdateIdentity("66666666-6666-6666-6666-666666666666", 1);
        assertEquals(List.of(win11), catalog.storedBundledUpdates(List.of(both, win11, missing)));
        assertEquals(List.of(), catalog.storedBundledUpdates(List.of(win11)));

        Map<UpdateIdentity, WsusCatalog.ServedRevision> served = catalog.servedRevisions(List.of(both, win11, missing));
        assertEquals(Set.of(both, win11), served.keySet(), "a revision not stored is absent");
        assertEquals(catalog.metadataSha256(BOTH, 50).orElseThrow(), served.get(both).metadataSha256());
        assertEquals(catalog.files(BOTH, 50), served.get(both).files());
        assertEquals(catalog.files(CU_WIN11, 200), served.get(win11).files());
        assertEquals(1, served.get(win11).files().size());

        // more than one query's worth (1,000) of revisions, most of them not stored
        List<UpdateIdentity> many = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            many.add(new UpdateIdentity(String.format("%08x-0000-4000-8000-000000000000", i), 1));
        }
        many.add(both);
        assertEquals(List.of(win11), catalog.storedBundledUpdates(many));
        assertEquals(Set.of(both), catalog.servedRevisions(many).keySet());
    }

    @Test
    void bundlesOfALaterImportAreLookedUp() {
        importFirst();
        UpdateIdentity both = new UpdateIdentity(BOTH, 50);
        UpdateIdentity server = new UpdateIdentity(CU_SERVER, 100);
        UpdateIdentity win11 = new UpdateIdentity(CU_WIN11, 200);
        // read ahead (as a starting server does), the set of updates that bundle anything is kept; an import that
        // adds a bundle must change it
        catalog.prepareListings();
        assertEquals(List.of(win11), catalog.storedBundledUpdates(List.of(both, server)));
        RevisionRecord serverV2 = new RevisionRecord(CU_SERVER, 101, "Software", null, "Server bundle", null,
                CatalogFixtures.put(store, CatalogFixtures.bytes("<Update id='server' rev='101'/>")),
                List.of(SERVER_2025, CRITICAL), List.of(), List.of(win11), List.of(), List.of());
        CatalogFixtures.commit(store, CatalogFixtures.bundle("b2", "wsus", 2, 1L, List.of(serverV2), List.of()));
        UpdateIdentity server101 = new UpdateIdentity(CU_SERVER, 101);
        assertEquals(List.of(win11), catalog.storedBundledUpdates(List.of(server101)));
        assertEquals(List.of(), catalog.storedBundledUpdates(List.of(server)), "revision 100 still bundles nothing");
    }

    @Test
    void channelsAreIndependent() {
        importFirst();
        CatalogFixtures.commit(store, CatalogFixtures.bundle("apt-1", "debian", 1, null, List.of(), List.of()));
        assertEquals(List.of(new ChannelState("debian", 1, "apt-1"), new ChannelState("wsus", 1, "b1")),
                store.channels());
        assertEquals(List.of("b1", "apt-1"), store.bundles().stream().map(BundleInfo::bundleId).toList());
    }

    private static Set<String> ids(List<UpdateIdentity> refs) {
        assertEquals(refs.size(), refs.stream().map(UpdateIdentity::updateId).distinct().count(), "one revision per update");
        return Set.copyOf(refs.stream().map(UpdateIdentity::updateId).toList());
    }

    private static final class Duration {
        static java.time.Duration between(Instant t) {
            return java.time.Duration.between(t, Instant.now());
        }
    }
}
