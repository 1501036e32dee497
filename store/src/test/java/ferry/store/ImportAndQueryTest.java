package ferry.store;

import static ferry.store.Fixtures.COMPANY;
import static ferry.store.Fixtures.CRITICAL;
import static ferry.store.Fixtures.SECURITY;
import static ferry.store.Fixtures.SERVER_2025;
import static ferry.store.Fixtures.WINDOWS_11;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportAndQueryTest {
    static final String CU_WIN11 = "11111111-1111-1111-1111-111111111111";     // Windows 11, Security
    static final String CU_SERVER = "22222222-2222-2222-2222-222222222222";    // Server 2025, Critical
    static final String BOTH = "33333333-3333-3333-3333-333333333333";         // Windows 11 + Server, Critical
    static final String DRIVER = "44444444-4444-4444-4444-444444444444";       // Windows 11, no classification
    static final String DETECTOID = "55555555-5555-5555-5555-555555555555";

    @TempDir
    Path dir;
    Store store;
    FileRecord win11File;
    FileRecord serverFile;

    @BeforeEach
    void open() {
        store = Store.open(dir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** Categories, four updates, a detectoid, two files: bundle 1 of channel "wsus". */
    private ImportOutcome importFirst() {
        win11File = Fixtures.file(store, "windows 11 cumulative update", "windows11.0-kb5050001-x64.msu");
        serverFile = Fixtures.file(store, "server cumulative update", "windows10.0-kb5050002-x64.cab");
        RevisionRecord win11 = new RevisionRecord(CU_WIN11, 200, "Software", null, "2025-01 Cumulative Update",
                "5050001", Fixtures.put(store, Fixtures.bytes("<cu win11/>")),
                List.of(WINDOWS_11, SECURITY), List.of(DETECTOID), List.of(), List.of(), List.of(win11File.sha1Hex()));
        RevisionRecord server = Fixtures.revision(store, CU_SERVER, 100, "Software", null,
                List.of(SERVER_2025.toUpperCase(Locale.ROOT), CRITICAL), List.of(serverFile.sha1Hex().toLowerCase(Locale.ROOT)));
        RevisionRecord both = new RevisionRecord(BOTH, 50, "Software", null, "Servicing stack", null,
                Fixtures.put(store, Fixtures.bytes("<ssu/>")), List.of(WINDOWS_11, SERVER_2025, CRITICAL),
                List.of(), List.of(new RevisionRef(CU_WIN11, 200)), List.of(CU_SERVER),
                List.of(win11File.sha1Hex(), serverFile.sha1Hex()));
        RevisionRecord driver = Fixtures.revision(store, DRIVER, 1, "Driver", null, List.of(WINDOWS_11), List.of());
        RevisionRecord detectoid = Fixtures.revision(store, DETECTOID, 7, "Detectoid", null, List.of(), List.of());
        return store.commitImport(Fixtures.bundle("b1", "wsus", 1, null, List.of(
                Fixtures.category(store, COMPANY, "Company"),
                Fixtures.category(store, WINDOWS_11, "Product"),
                Fixtures.category(store, SERVER_2025, "Product"),
                Fixtures.category(store, SECURITY, "UpdateClassification"),
                Fixtures.category(store, CRITICAL, "UpdateClassification"),
                win11, server, both, driver, detectoid), List.of(win11File, serverFile)));
    }

    @Test
    void importRecordsEverythingAndReportsIt() {
        ImportOutcome outcome = importFirst();
        assertEquals(new ImportOutcome(10, 0, 0, 2, 0, 10), outcome);
        assertEquals(10, store.currentChangeNumber());
        StoreCounts counts = store.counts();
        assertEquals(1, counts.bundles());
        assertEquals(1, counts.channels());
        assertEquals(10, counts.updates());
        assertEquals(10, counts.revisions());
        assertEquals(2, counts.files());
        assertEquals(win11File.size() + serverFile.size(), counts.fileBytes());

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
    }

    @Test
    void revisionsFilesAndMetadataAreQueryable() {
        importFirst();
        RevisionRecord both = store.revision(BOTH, 50).orElseThrow();
        assertEquals(List.of(SERVER_2025, CRITICAL, WINDOWS_11).stream().sorted().toList(), both.categoryIds());
        assertEquals(List.of(new RevisionRef(CU_WIN11, 200)), both.bundledUpdates());
        assertEquals(List.of(CU_SERVER), both.supersededIds());
        assertEquals("Servicing stack", both.title());
        assertEquals(List.of(DETECTOID), store.revision(CU_WIN11, 200).orElseThrow().prerequisiteIds());
        assertEquals("5050001", store.revision(CU_WIN11, 200).orElseThrow().kbArticle());
        assertEquals(List.of(SERVER_2025), store.revision(CU_SERVER, 100).orElseThrow().categoryIds().stream()
                .filter(SERVER_2025::equals).toList(), "ids are stored lower-case");

        assertEquals(List.of(serverFile, win11File), store.files(BOTH, 50), "by file name");
        assertEquals(List.of(serverFile), store.files(CU_SERVER.toUpperCase(Locale.ROOT), 100));
        assertEquals(List.of(), store.files(DRIVER, 1));
        assertEquals(Optional.of(win11File), store.fileBySha1(win11File.sha1Hex().toLowerCase(Locale.ROOT)));
        assertEquals(Optional.empty(), store.fileBySha1("0000000000000000000000000000000000000000"));

        String md = store.metadataSha256(BOTH, 50).orElseThrow();
        assertEquals(Fixtures.sha256(Fixtures.bytes("<ssu/>")), md);
        assertTrue(store.hasObject(md));
        assertEquals(Optional.empty(), store.metadataSha256(BOTH, 51));
        assertEquals(Optional.of(50), store.latestRevisionNumber(BOTH));
    }

    @Test
    void filtersByProductAndClassification() {
        importFirst();
        assertEquals(Set.of(CU_WIN11, BOTH, DRIVER), ids(store.latestRevisions(false, Set.of(WINDOWS_11), Set.of(), 0)));
        assertEquals(Set.of(CU_SERVER, BOTH), ids(store.latestRevisions(false, Set.of(SERVER_2025), Set.of(), 0)));
        assertEquals(Set.of(CU_WIN11), ids(store.latestRevisions(false, Set.of(WINDOWS_11), Set.of(SECURITY), 0)));
        assertEquals(Set.of(CU_SERVER, BOTH),
                ids(store.latestRevisions(false, Set.of(WINDOWS_11, SERVER_2025), Set.of(CRITICAL), 0)));
        assertEquals(Set.of(CU_WIN11, CU_SERVER, BOTH),
                ids(store.latestRevisions(false, Set.of(), Set.of(SECURITY, CRITICAL), 0)));
        assertEquals(Set.of(CU_WIN11, CU_SERVER, BOTH, DRIVER), ids(store.latestRevisions(false, Set.of(), Set.of(), 0)));
        // A classification passed as a product does not make every classified update a match, and vice versa.
        assertEquals(Set.of(), ids(store.latestRevisions(false, Set.of(SECURITY), Set.of(), 0)));
        assertEquals(Set.of(), ids(store.latestRevisions(false, Set.of(), Set.of(WINDOWS_11), 0)));
        assertEquals(Set.of(COMPANY, WINDOWS_11, SERVER_2025, SECURITY, CRITICAL, DETECTOID),
                ids(store.latestRevisions(true, Set.of(), Set.of(), 0)));
        // Upper-case ids in the filter match too.
        assertEquals(Set.of(CU_SERVER, BOTH),
                ids(store.latestRevisions(false, Set.of(SERVER_2025.toUpperCase(Locale.ROOT)), Set.of(), 0)));
    }

    @Test
    void categoriesTheStoreDoesNotKnowStillMatch() {
        String unknownProduct = "66666666-6666-6666-6666-666666666666";
        String update = "77777777-7777-7777-7777-777777777777";
        store.commitImport(Fixtures.bundle("b1", "wsus", 1, null,
                List.of(Fixtures.revision(store, update, 1, "Software", null, List.of(unknownProduct), List.of())),
                List.of()));
        assertEquals(Set.of(update), ids(store.latestRevisions(false, Set.of(unknownProduct), Set.of(), 0)));
        assertEquals(Set.of(update), ids(store.latestRevisions(false, Set.of(), Set.of(unknownProduct), 0)));
    }

    @Test
    void newRevisionsBecomeLatestAndSinceReturnsOnlyWhatChanged() {
        importFirst();
        long anchor = store.currentChangeNumber();
        assertEquals(List.of(), store.latestRevisions(false, Set.of(), Set.of(), anchor));

        RevisionRecord win11v2 = Fixtures.revision(store, CU_WIN11, 201, "Software", null,
                List.of(WINDOWS_11, SECURITY), List.of(win11File.sha1Hex()));
        ImportOutcome second = store.commitImport(Fixtures.bundle("b2", "wsus", 2, 1L, List.of(win11v2), List.of()));
        assertEquals(new ImportOutcome(1, 0, 0, 0, 0, anchor + 1), second);

        assertEquals(List.of(new RevisionRef(CU_WIN11, 201)), store.latestRevisions(false, Set.of(), Set.of(), anchor));
        List<RevisionRef> all = store.latestRevisions(false, Set.of(WINDOWS_11), Set.of(SECURITY), 0);
        assertEquals(List.of(new RevisionRef(CU_WIN11, 201)), all, "only the latest revision");
        assertEquals(Optional.of(201), store.latestRevisionNumber(CU_WIN11));
        assertTrue(store.revision(CU_WIN11, 200).isPresent(), "the earlier revision stays stored");
        assertEquals(List.of(new ChannelState("wsus", 2, "b2")), store.channels());
    }

    @Test
    void anOlderRevisionArrivingLaterIsStoredButNeverLatest() {
        importFirst();
        long anchor = store.currentChangeNumber();
        RevisionRecord older = Fixtures.revision(store, CU_WIN11, 150, "Software", null,
                List.of(WINDOWS_11, SECURITY), List.of());
        RevisionRecord again = Fixtures.revision(store, CU_SERVER, 100, "Software", null, List.of(), List.of());
        ImportOutcome outcome = store.commitImport(Fixtures.bundle("b2", "wsus", 2, null, List.of(older, again),
                List.of(win11File)));
        assertEquals(new ImportOutcome(1, 1, 1, 0, 1, anchor + 1), outcome);

        assertTrue(store.revision(CU_WIN11, 150).isPresent());
        assertEquals(Optional.of(200), store.latestRevisionNumber(CU_WIN11));
        assertEquals(List.of(), store.latestRevisions(false, Set.of(), Set.of(), anchor),
                "a downgrade is not news to downstream servers");
        assertTrue(store.latestRevisions(false, Set.of(), Set.of(), 0).contains(new RevisionRef(CU_WIN11, 200)));
        // The revision already stored keeps its first metadata and categories.
        assertEquals(List.of(SERVER_2025, CRITICAL), store.revision(CU_SERVER, 100).orElseThrow().categoryIds());
    }

    @Test
    void channelsAreIndependent() {
        importFirst();
        store.commitImport(Fixtures.bundle("apt-1", "debian", 1, null, List.of(), List.of()));
        assertEquals(List.of(new ChannelState("debian", 1, "apt-1"), new ChannelState("wsus", 1, "b1")),
                store.channels());
        assertEquals(List.of("b1", "apt-1"), store.bundles().stream().map(BundleInfo::bundleId).toList());
    }

    private static Set<String> ids(List<RevisionRef> refs) {
        assertEquals(refs.size(), refs.stream().map(RevisionRef::updateId).distinct().count(), "one revision per update");
        return Set.copyOf(refs.stream().map(RevisionRef::updateId).toList());
    }

    private static final class Duration {
        static java.time.Duration between(Instant t) {
            return java.time.Duration.between(t, Instant.now());
        }
    }
}
