package ferry.wsus.server;

import ferry.wsus.Fixtures;
import ferry.wsus.UpdateIdentity;
import ferry.wsus.client.RevisionFilter;
import ferry.wsus.client.ServerSyncSession;
import ferry.wsus.client.SyncedUpdate;
import ferry.wsus.client.WsusClient;
import ferry.wsus.client.WsusClientOptions;
import ferry.wsus.client.WsusFaultException;
import ferry.wsus.soap.Messages.RevisionIdList;
import ferry.wsus.soap.SoapFault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ferry's client syncing from ferry's server over a real loopback socket gets the documents back unchanged. */
class ServerRoundTripTest {

    static final String DEFENDER = "8c3fcc84-7410-4a95-8b89-a166a0190486";
    static final String DEFINITION_UPDATES = "e0789628-ce08-4437-be74-2495b842f43b";
    static final UpdateIdentity CR_DOC = new UpdateIdentity("11111111-2222-3333-4444-555555555555", 3);
    static final String CR_XML = "<upd:Update xmlns:upd=\"http://schemas.microsoft.com/msus/2002/12/Update\">\r\n"
            + "<upd:UpdateIdentity UpdateID=\"11111111-2222-3333-4444-555555555555\" RevisionNumber=\"3\" />\r\n"
            + "<upd:Properties UpdateType=\"Software\" /></upd:Update>";

    static WsusServer server;
    static TestCatalog catalog;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        catalog = new TestCatalog();
        for (String name : Fixtures.DOC_NAMES) {
            catalog.add(Fixtures.doc(name));
        }
        catalog.add(CR_XML);
        server = WsusServer.start("127.0.0.1", 0, catalog, sha1 -> Optional.empty());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static WsusClient client() {
        return new WsusClient(server.uri(), WsusClientOptions.defaults()
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20)));
    }

    @Test
    void fullSyncGivesEveryDocumentBackCharacterForCharacter() throws Exception {
        ServerSyncSession session = client().open();
        assertEquals(100, session.config().maxNumberOfUpdatesPerRequest());
        assertEquals("1.20", session.config().protocolVersion());
        assertTrue(session.config().newConfigAnchor().matches("[0-9]+,[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:.]{12}"),
                "config anchor in the real form: " + session.config().newConfigAnchor());
        assertEquals(39, session.config().languages().size(), "the recorded server's language list");
        assertEquals(0, session.config().languages().get(0).languageId());

        RevisionIdList config = session.getRevisionIdList(true, RevisionFilter.everything());
        assertEquals(List.of(new UpdateIdentity("56309036-4c77-4dd9-951a-99ee9c246a94", 101),
                new UpdateIdentity("6964aab4-c5b5-43bd-a17d-ffb4346a8e1d", 100),
                new UpdateIdentity("dd78b8a1-0b20-45c1-add6-4da72e9364cf", 202)), config.newRevisions());
        assertEquals(TestCatalog.ANCHOR, config.anchor());

        RevisionIdList selected = session.getRevisionIdList(false,
                RevisionFilter.full(List.of(DEFENDER), List.of(DEFINITION_UPDATES)));
        // The KB2267602 bundle matches the filter; its bundled updates that this server holds come with it
        // (1f9bd9bb and ccb78947 are bundles too: ff36f0b5 is bundled by 1f9bd9bb), the other 121 it names are absent.
        assertEquals(List.of(new UpdateIdentity("1f9bd9bb-7390-4aa3-bbdb-ded99fac2583", 200),
                new UpdateIdentity("266f6222-c89d-43f2-9f8a-69340271e677", 200),
                new UpdateIdentity("a2fef9b0-7951-4c2c-a42b-9e351dd1c1fe", 200),
                new UpdateIdentity("ccb78947-6453-4ecc-9de8-bc0305c98f2d", 200),
                new UpdateIdentity("ff36f0b5-dded-4780-8664-cd78af8b62c1", 200)), selected.newRevisions());

        RevisionIdList all = session.getRevisionIdList(false, RevisionFilter.everything());
        List<UpdateIdentity> ids = new ArrayList<>(config.newRevisions());
        ids.addAll(all.newRevisions());
        assertEquals(10, ids.size());
        List<SyncedUpdate> got = session.getUpdateData(ids);
        assertEquals(ids, got.stream().map(SyncedUpdate::identity).toList());
        for (SyncedUpdate u : got) {
            String expected = u.identity().equals(CR_DOC) ? CR_XML : Fixtures.doc(u.identity().toString());
            assertEquals(expected, u.xml(), u.identity().toString());
        }
        SyncedUpdate leaf = got.stream().filter(u -> u.identity().updateId().startsWith("266f6222")).findFirst().orElseThrow();
        assertEquals(List.of("h/W9BGlYUAaqXTp30cZi/SiV3c0="), leaf.fileDigests());
        assertEquals("http://download.windowsupdate.com/am_delta.exe", leaf.fileUrls().get(0).muUrl());
        assertEquals(server.uri() + "Content/CD/87F5BD0469585006AA5D3A77D1C662FD2895DDCD.exe", leaf.fileUrls().get(0).ussUrl());
    }

    @Test
    void decryptionDataListsEachFileWithoutKey() throws Exception {
        ServerSyncSession session = client().open();
        var data = session.getUpdateDecryptionData(List.of(new UpdateIdentity("266f6222-c89d-43f2-9f8a-69340271e677", 200),
                new UpdateIdentity("ccb78947-6453-4ecc-9de8-bc0305c98f2d", 200)));
        assertEquals(2, data.size());
        assertEquals(List.of(new ferry.wsus.soap.Messages.FileDecryption("h/W9BGlYUAaqXTp30cZi/SiV3c0=", null)),
                data.get(0).files());
        assertEquals(List.of(), data.get(1).files());
    }

    @Test
    void incrementalSyncHonoursPerIdDelta() throws Exception {
        ServerSyncSession session = client().open();
        assertEquals(0, session.getRevisionIdList(false, RevisionFilter.incremental(TestCatalog.ANCHOR,
                List.of(DEFENDER), List.of(DEFINITION_UPDATES), java.util.Set.of())).newRevisions().size());
        assertEquals(5, session.getRevisionIdList(false, RevisionFilter.incremental(TestCatalog.ANCHOR,
                List.of(DEFENDER), List.of(DEFINITION_UPDATES), java.util.Set.of(DEFINITION_UPDATES))).newRevisions().size(),
                "a newly selected classification brings its updates (the bundle and its bundled updates) regardless of the anchor");
        WsusFaultException bad = assertThrows(WsusFaultException.class,
                () -> session.getRevisionIdList(false, RevisionFilter.since("garbage")));
        assertEquals(SoapFault.INVALID_PARAMETERS, bad.errorCode());
        assertEquals("filter", bad.faultMessage());
        assertEquals("soap:Client", bad.fault().faultCode());
    }

    @Test
    void largeDocumentsTravelCompressedSmallOnesPlain() throws Exception {
        String cookie = cookieXml();
        String big = post("GetUpdateData", updateDataRequest(cookie, "a2fef9b0-7951-4c2c-a42b-9e351dd1c1fe", 200)).body();
        assertTrue(big.contains("<XmlUpdateBlobCompressed>TVNDRg") && !big.contains("<XmlUpdateBlob>"), big);
        String small = post("GetUpdateData", updateDataRequest(cookie, "ccb78947-6453-4ecc-9de8-bc0305c98f2d", 200)).body();
        assertTrue(small.contains("<XmlUpdateBlob>&lt;upd:Update") && !small.contains("XmlUpdateBlobCompressed"), small);
        assertTrue(small.contains("<fileUrls/>") || small.contains("<fileUrls></fileUrls>"), small);
        String cr = post("GetUpdateData", updateDataRequest(cookie, CR_DOC.updateId(), 3)).body();
        assertTrue(cr.contains("&#xD;"), "carriage returns are escaped so they survive XML parsing");
    }

    @Test
    void faultsInTheRecordedShape() throws Exception {
        HttpResponse<String> noCookie = post("GetRevisionIdList", Fixtures.requestBody("000019"));
        assertEquals(500, noCookie.statusCode());
        assertFault(noCookie.body(), "soap:Client", "InvalidCookie");
        assertTrue(noCookie.body().contains("<Method>\"http://www.microsoft.com/SoftwareDistribution/GetRevisionIdList\"</Method>"));
        assertTrue(noCookie.body().contains("<faultactor>" + server.uri() + "ServerSyncWebService/ServerSyncWebService.asmx</faultactor>"));

        assertFault(post("GetRevisionIdList", Fixtures.requestBody("000006")).body(), "soap:Client", "InvalidCookie");

        String cookie = cookieXml();
        String tampered = cookie.replaceFirst("<EncryptedData>(.)", "<EncryptedData>" + "Z");
        assertFault(post("GetUpdateData", updateDataRequest(tampered, "ccb78947-6453-4ecc-9de8-bc0305c98f2d", 200)).body(),
                "soap:Client", "InvalidCookie");
        assertFault(post("GetUpdateData", updateDataRequest(cookie, "00000000-0000-0000-0000-000000000001", 1)).body(),
                "soap:Server", "InternalServerError");

        String tooMany = updateDataRequest(cookie, null, 0).replace("<updateIds></updateIds>", "<updateIds>"
                + String.join("", IntStream.range(0, 101).mapToObj(i -> "<UpdateIdentity><UpdateID>"
                + new UpdateIdentity(String.format("00000000-0000-0000-0000-%012d", i), 1).updateId()
                + "</UpdateID><RevisionNumber>1</RevisionNumber></UpdateIdentity>").toList()) + "</updateIds>");
        String body = post("GetUpdateData", tooMany).body();
        assertFault(body, "soap:Client", "InvalidParameters");
        assertTrue(body.contains("<Message>updateIds</Message>"), body);

        String badAuth = Fixtures.requestBody("000003");
        assertFault(post("GetCookie", badAuth).body(), "soap:Client", "InvalidAuthorizationCookie");
        String auth = post("GetAuthorizationCookie", Fixtures.requestBody("000002"), "/DssAuthWebService/DssAuthWebService.asmx").body();
        String cookieData = auth.replaceAll("(?s).*<CookieData>([^<]*)</CookieData>.*", "$1");
        String v2 = badAuth.replaceAll("<CookieData>[^<]*</CookieData>", "<CookieData>" + cookieData + "</CookieData>")
                .replace("<protocolVersion>1.20</protocolVersion>", "<protocolVersion>2.0</protocolVersion>");
        assertFault(post("GetCookie", v2).body(), "soap:Client", "IncompatibleProtocolVersion");
    }

    @Test
    void hostileRequestsAreRefused() throws Exception {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>"
                + "<GetAuthConfig xmlns=\"http://www.microsoft.com/SoftwareDistribution\">&x;</GetAuthConfig></soap:Body></soap:Envelope>";
        HttpResponse<String> r = post("GetAuthConfig", xxe);
        assertEquals(500, r.statusCode());
        assertFault(r.body(), "soap:Client", "InvalidParameters");
        assertFalse(r.body().contains("root:"));

        // a 5 MiB body is refused on its declared length, before it is read; the body is not sent, since the server
        // closes the connection after answering and a client still uploading may then see a broken pipe instead
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.uri().getPort())) {
            socket.getOutputStream().write(("POST /ServerSyncWebService/ServerSyncWebService.asmx HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: text/xml; charset=utf-8\r\nContent-Length: " + (5 << 20) + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String status = new String(socket.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 413", status);
        }

        HttpResponse<String> get = http.send(HttpRequest.newBuilder(server.uri().resolve("ServerSyncWebService/ServerSyncWebService.asmx"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, get.statusCode());

        HttpResponse<String> wrongEndpoint = post("GetAuthorizationCookie", Fixtures.requestBody("000002"));
        assertFault(wrongEndpoint.body(), "soap:Client", "InvalidParameters");

        HttpResponse<String> lying = post("GetCookie", Fixtures.requestBody("000001"));
        assertFault(lying.body(), "soap:Client", "InvalidParameters");
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    private static void assertFault(String body, String faultCode, String errorCode) {
        assertTrue(body.contains("<soap:Fault><faultcode>" + faultCode + "</faultcode><faultstring>Fault occurred</faultstring>"), body);
        assertTrue(body.contains("<detail><ErrorCode>" + errorCode + "</ErrorCode>"), body);
    }

    /** A valid {@code <cookie>} element obtained through the real authorization steps. */
    static String cookieXml() throws Exception {
        String auth = post("GetAuthorizationCookie", Fixtures.requestBody("000002"), "/DssAuthWebService/DssAuthWebService.asmx").body();
        String data = auth.replaceAll("(?s).*<CookieData>([^<]*)</CookieData>.*", "$1");
        String request = Fixtures.requestBody("000003").replaceAll("<CookieData>[^<]*</CookieData>", "<CookieData>" + data + "</CookieData>");
        String cookie = post("GetCookie", request).body();
        return "<cookie>" + cookie.replaceAll("(?s).*<GetCookieResult>(.*)</GetCookieResult>.*", "$1") + "</cookie>";
    }

    static String updateDataRequest(String cookie, String id, int rev) {
        String ids = id == null ? "<updateIds></updateIds>" : "<updateIds><UpdateIdentity><UpdateID>" + id
                + "</UpdateID><RevisionNumber>" + rev + "</RevisionNumber></UpdateIdentity></updateIds>";
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">"
                + "<soap:Body><GetUpdateData xmlns=\"http://www.microsoft.com/SoftwareDistribution\">" + cookie + ids
                + "</GetUpdateData></soap:Body></soap:Envelope>";
    }

    static HttpResponse<String> post(String action, String body) throws Exception {
        return post(action, body, "/ServerSyncWebService/ServerSyncWebService.asmx");
    }

    static HttpResponse<String> post(String action, String body, String path) throws Exception {
        URI target = server.uri().resolve(path.substring(1));
        String ns = action.equals("GetAuthorizationCookie")
                ? "http://www.microsoft.com/SoftwareDistribution/Server/DssAuthWebService" : "http://www.microsoft.com/SoftwareDistribution";
        return http.send(HttpRequest.newBuilder(target).header("Content-Type", "text/xml; charset=utf-8")
                .header("SOAPAction", "\"" + ns + "/" + action + "\"")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
