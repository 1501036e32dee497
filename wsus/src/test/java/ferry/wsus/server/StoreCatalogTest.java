package ferry.wsus.server;

import ferry.store.BundleInfo;
import ferry.wsus.Fixtures;
import ferry.wsus.UpdateIdentity;
import ferry.wsus.catalog.WsusCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store as an upstream catalog, on a real store fed through the store's import path: anchors this store did
 * not issue are read by their time, as a real WSUS reads them (protocol notes 9.5: an old time returns everything,
 * a future time nothing, the counter does not matter); files come from the metadata, held or not; and the content
 * coverage GetConfigData reports.
 */
class StoreCatalogTest {

    static final String CATEGORY = "56309036-4c77-4dd9-951a-99ee9c246a94";
    static final UpdateIdentity LEAF = new UpdateIdentity("266f6222-c89d-43f2-9f8a-69340271e677", 200);
    static final UpdateIdentity HELD = new UpdateIdentity("11111111-2222-3333-4444-555555555555", 1);

    @TempDir
    Path dir;
    StoreFixture fixture;
    StoreCatalog catalog;

    @BeforeEach
    void open() {
        fixture = new StoreFixture(dir.resolve("store"));
        catalog = new StoreCatalog(new WsusCatalog(fixture.store));
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    /** Bundle 1: the three categories; bundle 2, later: the software documents. */
    private void twoImports() throws Exception {
        fixture.importBundle(List.of(Fixtures.doc("56309036-4c77-4dd9-951a-99ee9c246a94-r101"),
                Fixtures.doc("6964aab4-c5b5-43bd-a17d-ffb4346a8e1d-r100"),
                Fixtures.doc("dd78b8a1-0b20-45c1-add6-4da72e9364cf-r202")), null);
        Thread.sleep(20);
        fixture.importBundle(List.of(Fixtures.doc("a2fef9b0-7951-4c2c-a42b-9e351dd1c1fe-r200"),
                Fixtures.doc("ccb78947-6453-4ecc-9de8-bc0305c98f2d-r200"),
                Fixtures.doc("266f6222-c89d-43f2-9f8a-69340271e677-r200")), null);
    }

    @Test
    void anAnchorOfAnotherServerIsReadByItsTime() throws Exception {
        twoImports();
        List<BundleInfo> bundles = fixture.store.bundles();
        Instant first = bundles.get(0).importedAt().truncatedTo(ChronoUnit.MILLIS);
        String between = "9438," + Anchors.time(first);
        assertEquals(Set.of(), Set.copyOf(catalog.revisions(true, Set.of(), Set.of(), between)),
                "the categories came with the first bundle, at or before that time");
        assertEquals(3, catalog.revisions(false, Set.of(), Set.of(), between).size(),
                "the software came with the second bundle, after it");
        String old = "1,2006-10-04 16:09:27.371";
        assertEquals(3, catalog.revisions(true, Set.of(), Set.of(), old).size(), "an old time: everything");
        assertEquals(3, catalog.revisions(false, Set.of(), Set.of(), old).size());
        String future = "9438,2999-01-01 00:00:00.000";
        assertEquals(List.of(), catalog.revisions(false, Set.of(), Set.of(), future), "a future time: nothing");
        assertEquals(catalog.revisions(false, Set.of(), Set.of(), "9437," + Anchors.time(first)),
                catalog.revisions(false, Set.of(), Set.of(), "9439," + Anchors.time(first)), "the counter does not matter");
        assertThrows(UpdateCatalog.InvalidAnchorException.class,
                () -> catalog.revisions(false, Set.of(), Set.of(), "garbage"));
    }

    @Test
    void anAnchorThisStoreIssuedIsReadByChangeNumber() throws Exception {
        fixture.importBundle(List.of(Fixtures.doc("56309036-4c77-4dd9-951a-99ee9c246a94-r101")), null);
        String anchor = catalog.anchor();
        Instant epoch = fixture.store.bundles().get(0).importedAt().truncatedTo(ChronoUnit.MILLIS);
        assertEquals("1," + Anchors.time(epoch), anchor, "change number and store epoch");
        assertEquals(List.of(), catalog.revisions(true, Set.of(), Set.of(), anchor));
        Thread.sleep(5);
        fixture.importBundle(List.of(Fixtures.doc("6964aab4-c5b5-43bd-a17d-ffb4346a8e1d-r100")), null);
        assertEquals(List.of(new UpdateIdentity("6964aab4-c5b5-43bd-a17d-ffb4346a8e1d", 100)),
                catalog.revisions(true, Set.of(), Set.of(), anchor));
        // the same epoch but a change number this store never reached (a store rebuilt within the same
        // millisecond): read by time instead, which is the epoch, so the later import is listed
        assertEquals(List.of(new UpdateIdentity("6964aab4-c5b5-43bd-a17d-ffb4346a8e1d", 100)),
                catalog.revisions(true, Set.of(), Set.of(), "99," + Anchors.time(epoch)));
        assertEquals(2, catalog.revisions(true, Set.of(), Set.of(), "0," + Anchors.time(epoch.minusSeconds(1))).size());
    }

    @Test
    void filesComeFromTheMetadataAndAreHeldWhenTheStoreHasThem() throws Exception {
        assertEquals(UpdateCatalog.ContentCoverage.NONE, catalog.contentCoverage(), "an empty store");
        byte[] bytes = "a small update file".getBytes(StandardCharsets.US_ASCII);
        String digest = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(bytes));
        String held = Fixtures.doc("266f6222-c89d-43f2-9f8a-69340271e677-r200")
                .replace(LEAF.updateId(), HELD.updateId()).replace("RevisionNumber=\"200\"", "RevisionNumber=\"1\"")
                .replace("h/W9BGlYUAaqXTp30cZi/SiV3c0=", digest).replace("Size=\"11606440\"", "Size=\"" + bytes.length + "\"")
                .replaceAll("<upd:AdditionalDigest Algorithm=\"SHA256\">[^<]*</upd:AdditionalDigest>", "");
        assertTrue(held.contains(digest));
        fixture.importBundle(List.of(Fixtures.doc("266f6222-c89d-43f2-9f8a-69340271e677-r200")), null);
        assertEquals(UpdateCatalog.ContentCoverage.NONE, catalog.contentCoverage(), "metadata only");
        List<UpdateCatalog.CatalogFile> notCarried = catalog.files(LEAF);
        assertEquals(1, notCarried.size(), "the file the metadata names, though the bundle did not carry it");
        assertEquals("h/W9BGlYUAaqXTp30cZi/SiV3c0=", notCarried.get(0).sha1Base64());
        assertEquals("AM_Delta.exe", notCarried.get(0).fileName());
        assertFalse(notCarried.get(0).held());

        fixture.importBundle(List.of(held), new StoreFixture.CarriedFile("AM_Delta.exe", bytes));
        assertEquals(UpdateCatalog.ContentCoverage.SOME, catalog.contentCoverage());
        List<UpdateCatalog.CatalogFile> carried = catalog.files(HELD);
        assertEquals(1, carried.size());
        assertEquals(digest, carried.get(0).sha1Base64());
        assertTrue(carried.get(0).held());
        assertEquals(List.of(), catalog.files(new UpdateIdentity(CATEGORY, 101)), "not stored: no files");
    }
}
