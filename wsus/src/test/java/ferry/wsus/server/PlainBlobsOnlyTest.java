package ferry.wsus.server;

import ferry.wsus.Fixtures;
import ferry.wsus.UpdateIdentity;
import ferry.wsus.client.ServerSyncSession;
import ferry.wsus.client.SyncedUpdate;
import ferry.wsus.client.WsusClient;
import ferry.wsus.client.WsusClientOptions;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ServerSyncSettings#plainBlobsOnly()}: with the switch on, GetUpdateData never sends a cabinet for a
 * document, even the large ones the default sends compressed, and the documents still arrive unchanged.
 */
class PlainBlobsOnlyTest {

    private static final String BIG = "a2fef9b0-7951-4c2c-a42b-9e351dd1c1fe";

    private static final HttpClient http = HttpClient.newHttpClient();

    @Test
    void switchOnSendsEveryDocumentPlain() throws Exception {
        try (WsusServer server = WsusServer.start("127.0.0.1", 0, catalog(), sha1 -> Optional.empty(),
                ServerSyncSettings.defaults().withPlainBlobsOnly(true))) {
            String cookie = cookieXml(server.uri());
            String big = post(server.uri(), "GetUpdateData", updateDataRequest(cookie, BIG, 200)).body();
            assertTrue(big.contains("<XmlUpdateBlob>&lt;upd:Update") && !big.contains("XmlUpdateBlobCompressed"), big);

            ServerSyncSession session = new WsusClient(server.uri(), WsusClientOptions.defaults()
                    .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20))).open();
            List<UpdateIdentity> ids = new ArrayList<>();
            for (String name : Fixtures.DOC_NAMES) {
                int r = name.lastIndexOf("-r");
                ids.add(new UpdateIdentity(name.substring(0, r), Integer.parseInt(name.substring(r + 2))));
            }
            List<SyncedUpdate> got = session.getUpdateData(ids);
            assertEquals(ids, got.stream().map(SyncedUpdate::identity).toList());
            for (SyncedUpdate u : got) {
                assertEquals(Fixtures.doc(u.identity().toString()), u.xml(), u.identity().toString());
            }
            String all = post(server.uri(), "GetUpdateData", updateDataRequest(cookie, BIG, 200)
                    .replace("</updateIds>", otherIds() + "</updateIds>")).body();
            assertFalse(all.contains("XmlUpdateBlobCompressed"), all);
            assertEquals(Fixtures.DOC_NAMES.length, all.split("<XmlUpdateBlob>", -1).length - 1, all);
        }
    }

    @Test
    void defaultSendsTheLargeDocumentAsAnLzxCabinet() throws Exception {
        try (WsusServer server = WsusServer.start("127.0.0.1", 0, catalog(), sha1 -> Optional.empty(),
                ServerSyncSettings.defaults())) {
            assertFalse(ServerSyncSettings.defaults().plainBlobsOnly());
            String big = post(server.uri(), "GetUpdateData", updateDataRequest(cookieXml(server.uri()), BIG, 200)).body();
            assertTrue(big.contains("<XmlUpdateBlobCompressed>TVNDRg") && !big.contains("<XmlUpdateBlob>"), big);
            String base64 = big.replaceAll("(?s).*<XmlUpdateBlobCompressed>([^<]*)<.*", "$1");
            byte[] cab = java.util.Base64.getDecoder().decode(base64);
            assertEquals(0x1503, (cab[42] & 0xFF) | (cab[43] & 0xFF) << 8, "typeCompress: LZX with a 2^21 window");
            assertEquals(Fixtures.doc(BIG + "-r200"), ferry.wsus.cab.CabBlob.decode(cab));
        }
    }

    private static TestCatalog catalog() throws Exception {
        TestCatalog catalog = new TestCatalog();
        for (String name : Fixtures.DOC_NAMES) {
            catalog.add(Fixtures.doc(name));
        }
        return catalog;
    }

    /** UpdateIdentity elements for every recorded document but {@link #BIG}. */
    static String otherIds() {
        StringBuilder sb = new StringBuilder();
        for (String name : Fixtures.DOC_NAMES) {
            int r = name.lastIndexOf("-r");
            if (!name.startsWith(BIG)) {
                sb.append("<UpdateIdentity><UpdateID>").append(name, 0, r).append("</UpdateID><RevisionNumber>")
                        .append(name.substring(r + 2)).append("</RevisionNumber></UpdateIdentity>");
            }
        }
        return sb.toString();
    }

    static String cookieXml(URI base) throws Exception {
        String auth = post(base, "GetAuthorizationCookie", Fixtures.requestBody("000002"),
                "DssAuthWebService/DssAuthWebService.asmx").body();
        String data = auth.replaceAll("(?s).*<CookieData>([^<]*)</CookieData>.*", "$1");
        String request = Fixtures.requestBody("000003")
                .replaceAll("<CookieData>[^<]*</CookieData>", "<CookieData>" + data + "</CookieData>");
        String cookie = post(base, "GetCookie", request).body();
        return "<cookie>" + cookie.replaceAll("(?s).*<GetCookieResult>(.*)</GetCookieResult>.*", "$1") + "</cookie>";
    }

    static String updateDataRequest(String cookie, String id, int rev) {
        return ServerRoundTripTest.updateDataRequest(cookie, id, rev);
    }

    static HttpResponse<String> post(URI base, String action, String body) throws Exception {
        return post(base, action, body, "ServerSyncWebService/ServerSyncWebService.asmx");
    }

    static HttpResponse<String> post(URI base, String action, String body, String path) throws Exception {
        String ns = action.equals("GetAuthorizationCookie")
                ? "http://www.microsoft.com/SoftwareDistribution/Server/DssAuthWebService"
                : "http://www.microsoft.com/SoftwareDistribution";
        return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "text/xml; charset=utf-8")
                .header("SOAPAction", "\"" + ns + "/" + action + "\"")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
