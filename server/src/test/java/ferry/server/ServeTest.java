package ferry.server;

import ferry.importer.TestBundles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ferry.format.Producer;
import ferry.format.Progress;
import ferry.format.trust.TrustStore;
import ferry.importer.ImportResult;
import ferry.importer.Importer;
import ferry.importer.TestBundles.Synthetic;
import ferry.importer.StoreSnapshot;
import ferry.store.Store;
import ferry.store.StoreLockedException;
import ferry.wsus.UpdateIdentity;
import ferry.wsus.client.RevisionFilter;
import ferry.wsus.client.ServerSyncSession;
import ferry.wsus.client.SyncedUpdate;
import ferry.wsus.client.WsusClient;
import ferry.wsus.client.WsusFaultException;
import ferry.wsus.server.ServerSyncSettings;
import ferry.wsus.soap.Messages.RevisionIdList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static ferry.importer.TestBundles.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store served over loopback and synchronized with the real MS-WSUSSS client, as a downstream WSUS server
 * would; content fetched as Windows clients do; the status page read back.
 */
class ServeTest {
    @TempDir
    Path tmp;
    Path storeDir;
    TrustStore trust;
    StoreServer server;
    final HttpClient http = HttpClient.newHttpClient();

    /** Every document the first bundle carries, by identity. */
    final Map<UpdateIdentity, String> firstDocs = new java.util.HashMap<>();

    @BeforeEach
    void setUp() {
        storeDir = tmp.resolve("store");
        trust = TestBundles.trust(tmp.resolve("trust"), 1, ALICE);
        for (String n : List.of(COMPANY, FAMILY, PRODUCT_DOC, KB2267602, LEAF_WITH_FILE, STUB)) {
            firstDocs.put(identity(real(n)), real(n));
        }
        firstDocs.put(defenderUpdate(200).identity(), defenderUpdate(200).xml());
        firstDocs.put(securityUpdate().identity(), securityUpdate().xml());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private ImportResult importFirst(Producer producer) throws Exception {
        return Importer.importBundle(firstBundle().producer(producer).write(tmp.resolve("b1")), storeDir, trust, NOW,
                Progress.NONE);
    }

    private ServerSyncSession session() throws Exception {
        return new WsusClient(server.uri()).open();
    }

    private static Set<UpdateIdentity> ids(RevisionIdList list) {
        return new TreeSet<>(list.newRevisions());
    }

    private static Set<UpdateIdentity> ids(String... realNames) {
        return Arrays.stream(realNames).map(n -> identity(real(n))).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void aDownstreamServerSynchronizesExactlyWhatWasImported() throws Exception {
        importFirst(new Producer("ferry", "0.1.0"));
        server = StoreServer.start(storeDir, "127.0.0.1", 0);
        ServerSyncSession s = session();

        RevisionIdList config = s.getRevisionIdList(true, RevisionFilter.everything());
        assertEquals(ids(COMPANY, FAMILY, PRODUCT_DOC), ids(config));
        assertTrue(config.anchor().startsWith("8,"), config.anchor());

        RevisionIdList defender = s.getRevisionIdList(false, RevisionFilter.full(List.of(PRODUCT), List.of(CLASSIFICATION)));
        Set<UpdateIdentity> expected = ids(KB2267602);
        expected.add(defenderUpdate(200).identity());
        // KB2267602's bundled updates that this store holds are listed with it.
        expected.add(new UpdateIdentity("266f6222-c89d-43f2-9f8a-69340271e677", 200));
        expected.add(new UpdateIdentity("ccb78947-6453-4ecc-9de8-bc0305c98f2d", 200));
        assertEquals(expected, ids(defender));

        RevisionIdList security = s.getRevisionIdList(false, RevisionFilter.full(List.of(OTHER_PRODUCT), List.of(SECURITY)));
        assertEquals(Set.of(securityUpdate().identity()), ids(security));
        assertEquals(Set.of(), ids(s.getRevisionIdList(false, RevisionFilter.full(List.of(PRODUCT), List.of(SECURITY)))));

        RevisionIdList all = s.getRevisionIdList(false, RevisionFilter.everything());
        assertEquals(5, all.newRevisions().size());

        List<UpdateIdentity> everything = new ArrayList<>(config.newRevisions());
        everything.addAll(all.newRevisions());
        List<SyncedUpdate> data = s.getUpdateData(everything);
        assertEquals(8, data.size());
        for (SyncedUpdate u : data) {
            assertEquals(firstDocs.get(u.identity()), u.xml(), "document of " + u.identity() + " served unchanged");
        }
        Synthetic d = defenderUpdate(200);
        SyncedUpdate du = data.stream().filter(u -> u.identity().equals(d.identity())).findFirst().orElseThrow();
        assertEquals(List.of(d.sha1Base64()), du.fileDigests());
        SyncedUpdate leaf = data.stream().filter(u -> u.identity().equals(identity(real(LEAF_WITH_FILE))))
                .findFirst().orElseThrow();
        // MS-WSUSSS 3.1.4.6: the file the metadata names is listed even though the bundle did not carry it, with
        // no UssUrl, since this server cannot serve it
        assertEquals(List.of("h/W9BGlYUAaqXTp30cZi/SiV3c0="), leaf.fileDigests(), "the file the metadata names (AM_Delta.exe)");
        assertEquals(1, leaf.fileUrls().size());
        assertEquals(null, leaf.fileUrls().get(0).ussUrl(), "a file that was not carried is not offered for download");

        HttpResponse<byte[]> file = http.send(HttpRequest.newBuilder(s.contentUri(d.sha1Base64(), d.fileName())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, file.statusCode());
        assertArrayEquals(d.content(), file.body());
    }

    @Test
    void contentAnswersGetHeadAndRanges() throws Exception {
        importFirst(new Producer("ferry", "0.1.0"));
        server = StoreServer.start(storeDir, "127.0.0.1", 0);
        Synthetic d = defenderUpdate(200);
        URI uri = server.uri().resolve("Content/" + d.sha1Hex().substring(38) + "/" + d.sha1Hex() + ".cab");

        HttpResponse<byte[]> get = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, get.statusCode());
        assertArrayEquals(d.content(), get.body());

        HttpResponse<byte[]> head = http.send(HttpRequest.newBuilder(uri).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, head.statusCode());
        assertEquals(String.valueOf(d.content().length), head.headers().firstValue("Content-Length").orElseThrow());
        assertEquals(0, head.body().length);

        HttpResponse<byte[]> range = http.send(HttpRequest.newBuilder(uri).header("Range", "bytes=70000-70999").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, range.statusCode());
        assertArrayEquals(Arrays.copyOfRange(d.content(), 70_000, 71_000), range.body());
        assertEquals("bytes 70000-70999/" + d.content().length, range.headers().firstValue("Content-Range").orElseThrow());

        // the real leaf's file is named by its metadata but was not carried
        String absent = ferry.wsus.ContentUrls.path("h/W9BGlYUAaqXTp30cZi/SiV3c0=", "AM_Delta.exe");
        assertEquals(404, http.send(HttpRequest.newBuilder(server.uri().resolve(absent.substring(1))).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
    }

    @Test
    void theStatusPageShowsWhatIsStoredAndWhereItCameFrom() throws Exception {
        ImportResult imported = importFirst(new Producer("ferry <b>&", "0.1.0"));
        server = StoreServer.start(storeDir, "127.0.0.1", 0);

        HttpResponse<String> json = http.send(HttpRequest.newBuilder(server.uri().resolve("status.json")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, json.statusCode());
        assertTrue(json.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        JsonNode s = new ObjectMapper().readTree(json.body());
        JsonNode wsus = s.get("sources").get("wsus");
        assertEquals(1, s.get("counts").get("bundles").asLong());
        assertEquals(8, wsus.get("updates").asLong());
        assertEquals(2, wsus.get("files").asLong());
        assertEquals(170_000, wsus.get("fileBytes").asLong());
        assertEquals(8, wsus.get("changeNumber").asLong());
        assertEquals(5, wsus.get("updatesSoftware").asLong());
        assertEquals(3, wsus.get("updatesCategory").asLong());
        assertEquals(1, wsus.get("categoriesProduct").asLong());
        assertEquals(1, wsus.get("categoriesCompany").asLong());
        assertEquals("wsus-main", s.get("channels").get(0).get("name").asText());
        assertEquals(1, s.get("channels").get(0).get("lastSequence").asLong());
        JsonNode b = s.get("bundles").get(0);
        assertEquals(imported.bundleId(), b.get("bundleId").asText());
        assertEquals(ALICE.fingerprint(), b.get("signers").get(0).asText());
        assertEquals("2026-10-05T10:00:00Z", b.get("createdAt").asText());
        assertEquals("ferry <b>& 0.1.0", b.get("producer").asText());
        assertEquals(imported.manifestSha256(), b.get("manifestSha256").asText());

        HttpResponse<String> html = http.send(HttpRequest.newBuilder(server.uri()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, html.statusCode());
        assertTrue(html.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
        assertTrue(html.headers().firstValue("Content-Security-Policy").orElseThrow().contains("default-src 'none'"));
        assertTrue(html.body().contains("ferry &lt;b&gt;&amp; 0.1.0"), "producer escaped");
        assertFalse(html.body().contains("<b>&"), "no raw markup from the manifest");
        assertFalse(html.body().contains("<script"));
        assertTrue(html.body().contains(imported.bundleId()));
        assertTrue(html.body().contains(ALICE.fingerprint()));

        assertEquals(405, http.send(HttpRequest.newBuilder(server.uri()).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
        assertEquals(404, http.send(HttpRequest.newBuilder(server.uri().resolve("nothing-here")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
    }

    @Test
    void anOldAnchorReturnsOnlyWhatWasImportedSince() throws Exception {
        importFirst(new Producer("ferry", "0.1.0"));
        server = StoreServer.start(storeDir, "127.0.0.1", 0);
        ServerSyncSession s = session();
        String configAnchor = s.getRevisionIdList(true, RevisionFilter.everything()).anchor();
        String anchor = s.getRevisionIdList(false, RevisionFilter.full(List.of(PRODUCT), List.of(CLASSIFICATION))).anchor();
        server.close();
        server = null;

        // imported while a server serves the store (its own Store, as `ferry serve` in another process would have):
        // the running server answers from the new state at once, no restart
        Synthetic newer = defenderUpdate(201);
        Path delta = bundle().sequence(2).base(1L).update(newer).update(securityUpdate()).write(tmp.resolve("b2"));
        server = StoreServer.start(storeDir, "127.0.0.1", 0);
        Importer.importBundle(delta, storeDir, trust, NOW, Progress.NONE);
        s = session();

        RevisionIdList since = s.getRevisionIdList(false,
                RevisionFilter.incremental(anchor, List.of(PRODUCT), List.of(CLASSIFICATION), Set.of()));
        assertEquals(List.of(newer.identity()), since.newRevisions());
        assertTrue(since.anchor().startsWith("9,"), since.anchor());
        assertEquals(List.of(), s.getRevisionIdList(true, RevisionFilter.since(configAnchor)).newRevisions());
        assertEquals(List.of(), s.getRevisionIdList(false,
                RevisionFilter.incremental(since.anchor(), List.of(PRODUCT), List.of(CLASSIFICATION), Set.of())).newRevisions());
        assertEquals(newer.xml(), s.getUpdateData(List.of(newer.identity())).get(0).xml());

        WsusFaultException f = assertThrows(WsusFaultException.class,
                () -> session().getRevisionIdList(false, RevisionFilter.incremental("garbage", List.of(PRODUCT),
                        List.of(CLASSIFICATION), Set.of())));
        assertEquals("InvalidParameters", f.errorCode());
        // anchors this store did not issue are read by their time, as a real WSUS reads them: one from before the
        // first import (another server's, or a rebuilt store's) gives everything, one naming this store's epoch
        // with a change number it never reached gives what was imported after the epoch
        String epoch = anchor.substring(anchor.indexOf(',') + 1);
        assertEquals(ids(s.getRevisionIdList(false, RevisionFilter.full(List.of(PRODUCT), List.of(CLASSIFICATION)))),
                ids(s.getRevisionIdList(false, RevisionFilter.incremental("5,2001-01-01 00:00:00.000", List.of(PRODUCT),
                        List.of(CLASSIFICATION), Set.of()))));
        assertEquals(List.of(newer.identity()), s.getRevisionIdList(false, RevisionFilter.incremental("999," + epoch,
                List.of(PRODUCT), List.of(CLASSIFICATION), Set.of())).newRevisions());
    }

    @Test
    void aStoreServedInProcessShowsAnImportAtOnce() throws Exception {
        try (Store store = StoreSnapshot.open(storeDir)) {
            server = StoreServer.start(store, "127.0.0.1", 0, ServerSyncSettings.defaults());
            ServerSyncSession s = session();
            RevisionIdList empty = s.getRevisionIdList(false, RevisionFilter.everything());
            assertEquals(List.of(), empty.newRevisions());
            assertTrue(empty.anchor().startsWith("0,"), empty.anchor());

            Importer.importBundle(bundle().update(securityUpdate()).write(tmp.resolve("b1")), store, trust, NOW,
                    Progress.NONE);

            RevisionIdList after = s.getRevisionIdList(false, RevisionFilter.since(empty.anchor()));
            assertEquals(List.of(securityUpdate().identity()), after.newRevisions());
            server.close();
            server = null;
            assertEquals(1, store.counts().bundles(), "the caller's store stays open after the server stops");
        }
    }

    @Test
    void servingALockedStoreIsRefusedAsLocked() throws Exception {
        try (Store held = StoreSnapshot.open(storeDir)) {
            StoreLockedException e = assertThrows(StoreLockedException.class,
                    () -> StoreServer.start(storeDir, "127.0.0.1", 0));
        }
    }
}
