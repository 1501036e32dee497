package ferry.wsus.server;

import ferry.wsus.Fixtures;
import ferry.wsus.UpdateIdentity;
import ferry.wsus.cab.CabBlob;
import ferry.wsus.catalog.ServedDocument;
import ferry.wsus.catalog.WsusCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GetUpdateData from what the import kept (catalog format 5: each revision's cabinet and file list) is the answer
 * the server derives from the metadata for revisions imported without it: the same bytes, over real stores and
 * real HTTP. The kept cabinet is the one sent, and revisions of both kinds in one store are each served right.
 */
class StoredCabinetTest {
    private static final String BIG = "a2fef9b0-7951-4c2c-a42b-9e351dd1c1fe";

    @TempDir
    Path dir;

    private static List<UpdateIdentity> allIds() {
        List<UpdateIdentity> ids = new ArrayList<>();
        for (String name : Fixtures.DOC_NAMES) {
            int r = name.lastIndexOf("-r");
            ids.add(new UpdateIdentity(name.substring(0, r), Integer.parseInt(name.substring(r + 2))));
        }
        return ids;
    }

    private static List<String> allDocs() {
        List<String> docs = new ArrayList<>();
        for (String name : Fixtures.DOC_NAMES) {
            docs.add(Fixtures.doc(name));
        }
        return docs;
    }

    @Test
    void aKeptCabinetIsReadWithoutItsRevisionsRow() throws Exception {
        try (StoreFixture kept = new StoreFixture(dir.resolve("kept"))) {
            kept.servedDocuments = ServedDocument::of;
            kept.importBundle(allDocs(), null);
            WsusCatalog catalog = new WsusCatalog(kept.store);
            List<UpdateIdentity> ids = allIds();
            List<UpdateIdentity> asked = new ArrayList<>(ids);
            asked.add(new UpdateIdentity("66666666-6666-6666-6666-666666666666", 1));
            java.util.Map<UpdateIdentity, WsusCatalog.ServedRevision> served = catalog.servedRevisions(asked);
            assertEquals(java.util.Set.copyOf(ids), served.keySet(), "stored revisions only");
            int cabinets = 0;
            for (int i = 0; i < ids.size(); i++) {
                UpdateIdentity id = ids.get(i);
                WsusCatalog.ServedRevision r = served.get(id);
                assertNotNull(r.document(), "kept by the import: " + id);
                if (ServedDocument.sentCompressed(Fixtures.doc(Fixtures.DOC_NAMES[i]))) {
                    cabinets++;
                    assertNull(r.metadataSha256(), "a cabinet and a file list: the revision's row is not read");
                } else {
                    assertEquals(catalog.metadataSha256(id.updateId(), id.revisionNumber()).orElseThrow(),
                            r.metadataSha256(), "a plain document is read from its metadata object: " + id);
                }
            }
            assertTrue(cabinets > 0 && cabinets < ids.size(), "both kinds among the fixtures");
        }
    }

    @Test
    void keptCabinetsAndFilesAreTheOnesTheServerWouldMake() throws Exception {
        try (StoreFixture kept = new StoreFixture(dir.resolve("kept"));
             StoreFixture derived = new StoreFixture(dir.resolve("derived"))) {
            kept.servedDocuments = ServedDocument::of;
            kept.importBundle(allDocs(), null);
            derived.importBundle(allDocs(), null);
            StoreCatalog fromKept = new StoreCatalog(new WsusCatalog(kept.store));
            StoreCatalog fromDerived = new StoreCatalog(new WsusCatalog(derived.store));
            List<UpdateIdentity> ids = allIds();
            List<Optional<UpdateCatalog.UpdateContent>> k = fromKept.updateContent(ids);
            List<Optional<UpdateCatalog.UpdateContent>> d = fromDerived.updateContent(ids);
            int cabinets = 0;
            for (int i = 0; i < ids.size(); i++) {
                String xml = Fixtures.doc(Fixtures.DOC_NAMES[i]);
                UpdateCatalog.UpdateContent stored = k.get(i).orElseThrow();
                UpdateCatalog.UpdateContent computed = d.get(i).orElseThrow();
                assertNull(computed.cabinet(), "no cabinet kept by an import without them");
                assertEquals(computed.files(), stored.files(), "files of " + ids.get(i));
                if (ServedDocument.sentCompressed(xml)) {
                    cabinets++;
                    assertNull(stored.metadata(), "a kept cabinet: the metadata object is not read");
                    assertArrayEquals(CabBlob.encode(xml), stored.cabinet(), "kept cabinet of " + ids.get(i));
                    assertEquals(xml, CabBlob.decode(stored.cabinet()));
                } else {
                    assertEquals(xml, stored.metadata());
                    assertNull(stored.cabinet());
                }
            }
            assertTrue(cabinets > 0 && cabinets < ids.size(), "both kinds of document among the fixtures: " + cabinets);
            assertTrue(k.stream().anyMatch(c -> !c.orElseThrow().files().isEmpty()), "a document naming files");

            for (ServerSyncSettings settings : List.of(ServerSyncSettings.defaults(),
                    ServerSyncSettings.defaults().withPlainBlobsOnly(true))) {
                String a = updateData(fromKept, settings);
                String b = updateData(fromDerived, settings);
                assertEquals(b, a, "GetUpdateData from kept and from derived, plain only: " + settings.plainBlobsOnly());
                assertEquals(!settings.plainBlobsOnly(), a.contains("<XmlUpdateBlobCompressed>"), a);
                assertTrue(a.contains("<FileDigestList>"), a);
            }
        }
    }

    @Test
    void theKeptCabinetIsTheOneSentAndOlderRevisionsAreDerived() throws Exception {
        try (StoreFixture fixture = new StoreFixture(dir.resolve("mixed"))) {
            List<String> docs = allDocs();
            String big = Fixtures.doc(BIG + "-r200");
            // the recorded documents but BIG as imports before format 5 left them
            fixture.importBundle(docs.stream().filter(x -> !x.equals(big)).toList(), null);
            // BIG with a cabinet that differs from the one the server would make: a marker shows which is sent
            fixture.servedDocuments = (xml, doc) -> {
                ServedDocument real = ServedDocument.of(xml, doc);
                return new ServedDocument(CabBlob.encode(xml + "<!-- kept -->"), real.files());
            };
            fixture.importBundle(List.of(big), null);
            StoreCatalog catalog = new StoreCatalog(new WsusCatalog(fixture.store));
            String body = updateData(catalog, ServerSyncSettings.defaults());
            List<String> cabinets = new ArrayList<>();
            String[] parts = body.split("<XmlUpdateBlobCompressed>");
            for (int i = 1; i < parts.length; i++) {
                cabinets.add(CabBlob.decode(Base64.getDecoder().decode(parts[i].substring(0, parts[i].indexOf('<')))));
            }
            assertTrue(cabinets.contains(big + "<!-- kept -->"), "the kept cabinet was sent: " + cabinets.size());
            assertFalse(cabinets.contains(big));
            long derived = cabinets.stream().filter(x -> !x.endsWith("<!-- kept -->")).count();
            assertTrue(derived > 0, "revisions imported without a kept cabinet are compressed by the server");
            for (String x : cabinets) {
                assertTrue(docs.contains(x) || x.equals(big + "<!-- kept -->"), "a cabinet of a recorded document");
            }
            UpdateCatalog.UpdateContent bigContent = catalog.updateContent(
                    List.of(new UpdateIdentity(BIG, 200))).get(0).orElseThrow();
            assertNotNull(bigContent.cabinet());
            // plain only: the kept cabinet is not used for a document XML can carry; the object is read instead
            String plain = updateData(catalog, ServerSyncSettings.defaults().withPlainBlobsOnly(true));
            assertFalse(plain.contains("XmlUpdateBlobCompressed"), plain);
            assertEquals(Fixtures.DOC_NAMES.length, plain.split("<XmlUpdateBlob>", -1).length - 1);
        }
    }

    /** The GetUpdateData response body for every recorded document, from a real server over the catalog. */
    private static String updateData(UpdateCatalog catalog, ServerSyncSettings settings) throws Exception {
        try (WsusServer server = WsusServer.start("127.0.0.1", 0, catalog, sha1 -> Optional.empty(), settings)) {
            URI uri = server.uri();
            String request = PlainBlobsOnlyTest.updateDataRequest(PlainBlobsOnlyTest.cookieXml(uri), BIG, 200)
                    .replace("</updateIds>", PlainBlobsOnlyTest.otherIds() + "</updateIds>");
            var response = PlainBlobsOnlyTest.post(uri, "GetUpdateData", request);
            assertEquals(200, response.statusCode(), response.body());
            return response.body().replace(uri.toString(), "http://server/");
        }
    }
}
