package ferry.wsus.server;

import ferry.wsus.Fixtures;
import ferry.wsus.UpdateIdentity;
import ferry.wsus.catalog.WsusCatalog;
import ferry.wsus.client.RevisionFilter;
import ferry.wsus.client.ServerSyncSession;
import ferry.wsus.client.WsusClient;
import ferry.wsus.client.WsusClientOptions;
import ferry.wsus.client.WsusFaultException;
import ferry.wsus.soap.Messages.RevisionIdList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GetRevisionIdList without product or classification filter (every software and driver update of the store) is
 * written while the catalog is read, chunked, never built whole, and lists exactly what the collected list did:
 * each update's latest revision changed since the anchor, plus the revisions those bundle, also an older revision of
 * a leaf that a bundle still names, each once. An anchor that is not one is still a SOAP fault.
 */
class UnfilteredListTest {
    private static final String BUNDLE = "a2fef9b0-7951-4c2c-a42b-9e351dd1c1fe";
    private static final String LEAF = "266f6222-c89d-43f2-9f8a-69340271e677";

    @TempDir
    Path dir;

    @Test
    void theStreamedListIsTheCollectedOne() throws Exception {
        try (StoreFixture fixture = new StoreFixture(dir.resolve("store"))) {
            List<String> docs = new ArrayList<>();
            for (String name : Fixtures.DOC_NAMES) {
                docs.add(Fixtures.doc(name));
            }
            fixture.importBundle(docs, null);
            StoreCatalog store = new StoreCatalog(new WsusCatalog(fixture.store));
            String firstAnchor = store.anchor();
            // a later revision of the leaf: the bundle still names revision 200, no longer the leaf's latest
            String leaf201 = Fixtures.doc(LEAF + "-r200").replace("RevisionNumber=\"200\"", "RevisionNumber=\"201\"");
            assertFalse(leaf201.equals(Fixtures.doc(LEAF + "-r200")));
            fixture.importBundle(List.of(leaf201), null);
            UpdateCatalog collected = collecting(store);

            try (WsusServer server = WsusServer.start("127.0.0.1", 0, store, sha1 -> Optional.empty())) {
                ServerSyncSession session = new WsusClient(server.uri(), WsusClientOptions.defaults()
                        .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20))).open();
                RevisionIdList all = session.getRevisionIdList(false, RevisionFilter.everything());
                List<UpdateIdentity> listed = all.newRevisions();
                assertEquals(listed.size(), new HashSet<>(listed).size(), "each revision once: " + listed);
                assertEquals(expected(collected, null), new TreeSet<>(listed));
                assertTrue(listed.contains(new UpdateIdentity(LEAF, 201)), "the leaf's latest revision");
                assertTrue(listed.contains(new UpdateIdentity(LEAF, 200)), "the revision the bundle names");
                assertTrue(listed.contains(new UpdateIdentity(BUNDLE, 200)));
                assertEquals(store.anchor(), all.anchor());

                RevisionIdList since = session.getRevisionIdList(false, RevisionFilter.since(firstAnchor));
                assertEquals(List.of(new UpdateIdentity(LEAF, 201)), since.newRevisions(), "changed since the anchor");
                assertEquals(expected(collected, firstAnchor), new TreeSet<>(since.newRevisions()));
                RevisionIdList none = session.getRevisionIdList(false, RevisionFilter.since(store.anchor()));
                assertEquals(List.of(), none.newRevisions(), "nothing new: the empty element");

                URI uri = server.uri();
                String cookie = PlainBlobsOnlyTest.cookieXml(uri);
                String request = "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope"
                        + " xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><GetRevisionIdList"
                        + " xmlns=\"http://www.microsoft.com/SoftwareDistribution\">" + cookie + "<filter>%s"
                        + "<GetConfig>false</GetConfig></filter></GetRevisionIdList></soap:Body></soap:Envelope>";
                HttpResponse<String> raw = PlainBlobsOnlyTest.post(uri, "GetRevisionIdList", request.formatted(""));
                assertEquals(200, raw.statusCode(), raw.body());
                assertTrue(raw.headers().firstValue("Content-Length").isEmpty(), "written as made: no length known");
                assertTrue(raw.body().startsWith("<?xml") && raw.body().endsWith("</soap:Envelope>"), raw.body());

                HttpResponse<String> bad = PlainBlobsOnlyTest.post(uri, "GetRevisionIdList",
                        request.formatted("<Anchor>not an anchor</Anchor>"));
                assertEquals(500, bad.statusCode());
                assertTrue(bad.body().contains("<ErrorCode>InvalidParameters</ErrorCode>"), bad.body());
                assertThrows(WsusFaultException.class,
                        () -> session.getRevisionIdList(false, RevisionFilter.since("not an anchor")));
            }
        }
    }

    private static Set<UpdateIdentity> expected(UpdateCatalog collecting, String anchor) throws Exception {
        Set<UpdateIdentity> out = new TreeSet<>();
        collecting.forEachUnfilteredRevision(anchor, out::add);
        return out;
    }

    /** The store's catalog with the interface's collecting default for the unfiltered list. */
    private static UpdateCatalog collecting(StoreCatalog store) {
        return new UpdateCatalog() {
            @Override
            public String anchor() {
                return store.anchor();
            }

            @Override
            public List<UpdateIdentity> revisions(boolean getConfig, Set<String> productIds,
                                                  Set<String> classificationIds, String sinceAnchor)
                    throws InvalidAnchorException {
                return store.revisions(getConfig, productIds, classificationIds, sinceAnchor);
            }

            @Override
            public Optional<String> metadata(UpdateIdentity id) {
                return store.metadata(id);
            }

            @Override
            public List<UpdateIdentity> bundledUpdates(UpdateIdentity id) {
                return store.bundledUpdates(id);
            }

            @Override
            public List<UpdateIdentity> bundledUpdates(Collection<UpdateIdentity> ids) {
                return store.bundledUpdates(ids);
            }

            @Override
            public List<CatalogFile> files(UpdateIdentity id) {
                return store.files(id);
            }
        };
    }
}
