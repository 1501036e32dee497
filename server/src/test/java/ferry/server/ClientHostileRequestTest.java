package ferry.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile and wrong MS-WUSP requests against {@code ferry serve} over loopback: each is answered with the SOAP fault
 * MS-WUSP 2.2.2.4 names (HTTP 500, {@code ErrorCode} in the detail), never with an answer built from it, and the
 * server goes on answering. External entities are never resolved (a secret file's text never comes back), entity
 * expansion is refused before it grows, and arrays beyond the protocol caps are refused by parameter name.
 */
class ClientHostileRequestTest {
    private static final String CLIENT_NS = "http://www.microsoft.com/SoftwareDistribution/Server/ClientWebService";
    private static final String CLIENT = "/ClientWebService/client.asmx";

    @TempDir
    Path tmp;
    StoreServer server;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() throws Exception {
        server = StoreServer.start(tmp.resolve("store"), "127.0.0.1", 0);
    }

    @AfterEach
    void tearDown() throws Exception {
        server.close();
    }

    @Test
    void anExternalEntityIsNeverResolved() throws Exception {
        Path secret = tmp.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-CONTENT");
        String body = "<?xml version=\"1.0\"?><!DOCTYPE s:Envelope [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                + envelope("<GetConfig xmlns=\"" + CLIENT_NS + "\"><protocolVersion>&x;</protocolVersion></GetConfig>");
        HttpResponse<String> r = post(CLIENT, "GetConfig", body);
        assertFault(r, "InvalidParameters");
        assertFalse(r.body().contains("TOP-SECRET"), r.body());
    }

    @Test
    void entityExpansionIsRefused() throws Exception {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE s:Envelope [<!ENTITY a0 \"lol\">");
        for (int i = 1; i < 10; i++) {
            dtd.append("<!ENTITY a").append(i).append(" \"").append(("&a" + (i - 1) + ";").repeat(10)).append("\">");
        }
        dtd.append("]>");
        String body = dtd + envelope("<GetConfig xmlns=\"" + CLIENT_NS + "\"><protocolVersion>&a9;</protocolVersion>"
                + "</GetConfig>");
        assertFault(post(CLIENT, "GetConfig", body), "InvalidParameters");
        assertAlive();
    }

    @Test
    void arraysBeyondTheProtocolCapsAreRefusedByName() throws Exception {
        String cookie = handshake();
        StringBuilder ids = new StringBuilder();
        for (int i = 1; i <= 401; i++) {
            ids.append("<int>").append(i).append("</int>");
        }
        HttpResponse<String> r = post(CLIENT, "SyncUpdates", envelope("<SyncUpdates xmlns=\"" + CLIENT_NS + "\">"
                + cookie + "<parameters><ExpressQuery>false</ExpressQuery><InstalledNonLeafUpdateIDs>" + ids
                + "</InstalledNonLeafUpdateIDs><SkipSoftwareSync>false</SkipSoftwareSync></parameters></SyncUpdates>"));
        assertFault(r, "InvalidParameters");
        assertTrue(r.body().contains("InstalledNonLeafUpdateIDs"), r.body());

        StringBuilder events = new StringBuilder();
        String event = "<ReportingEvent><BasicData><EventInstanceID>fab199c1-6123-44f2-b01c-a5a92201b011</EventInstanceID>"
                + "<UpdateID><UpdateID>00000000-0000-0000-0000-000000000000</UpdateID><RevisionNumber>0</RevisionNumber>"
                + "</UpdateID></BasicData></ReportingEvent>";
        for (int i = 0; i <= 10_000; i++) {
            events.append(event);
        }
        HttpResponse<String> report = post("/ReportingWebService/ReportingWebService.asmx",
                "http://www.microsoft.com/SoftwareDistribution/ReportEventBatch",
                envelope("<ReportEventBatch xmlns=\"http://www.microsoft.com/SoftwareDistribution\">" + cookie
                        + "<clientTime>2026-10-04T15:20:47.397Z</clientTime><eventBatch>" + events
                        + "</eventBatch></ReportEventBatch>"));
        assertFault(report, "InvalidParameters");
        assertTrue(report.body().contains("eventBatch"), report.body());

        StringBuilder revisions = new StringBuilder();
        for (int i = 1; i <= 51; i++) {
            revisions.append("<int>").append(i).append("</int>");
        }
        HttpResponse<String> extended = post(CLIENT, "GetExtendedUpdateInfo", envelope("<GetExtendedUpdateInfo xmlns=\""
                + CLIENT_NS + "\">" + cookie + "<revisionIDs>" + revisions + "</revisionIDs><infoTypes>"
                + "<XmlUpdateFragmentType>Extended</XmlUpdateFragmentType></infoTypes></GetExtendedUpdateInfo>"));
        assertFault(extended, "InvalidParameters");
        assertTrue(extended.body().contains("revisionIDs"), "over MaxExtendedUpdatesPerRequest (50): " + extended.body());
        assertAlive();
    }

    @Test
    void cookiesThisServerDidNotIssueAreRefused() throws Exception {
        String forged = "<cookie><Expiration>2026-10-04T16:03:35.9967236Z</Expiration><EncryptedData>"
                + "A".repeat(300) + "=</EncryptedData></cookie>";
        assertFault(post(CLIENT, "SyncUpdates", envelope("<SyncUpdates xmlns=\"" + CLIENT_NS + "\">" + forged
                + "<parameters><SkipSoftwareSync>false</SkipSoftwareSync></parameters></SyncUpdates>")), "InvalidCookie");
        assertFault(post(CLIENT, "GetCookie", envelope("<GetCookie xmlns=\"" + CLIENT_NS + "\"><authCookies>"
                + "<AuthorizationCookie><PlugInId>SimpleTargeting</PlugInId><CookieData>" + "A".repeat(64)
                + "</CookieData></AuthorizationCookie></authCookies><protocolVersion>2.90</protocolVersion></GetCookie>")),
                "InvalidAuthorizationCookie");
        // a genuine cookie of a computer that never registered
        assertFault(post(CLIENT, "SyncUpdates", envelope("<SyncUpdates xmlns=\"" + CLIENT_NS + "\">" + handshake()
                + "<parameters><SkipSoftwareSync>false</SkipSoftwareSync></parameters></SyncUpdates>")),
                "RegistrationRequired");
    }

    @Test
    void aMismatchedActionOrServiceIsRefused() throws Exception {
        String getConfig = envelope("<GetConfig xmlns=\"" + CLIENT_NS + "\"><protocolVersion>2.90</protocolVersion></GetConfig>");
        assertFault(post(CLIENT, "GetCookie", getConfig), "InvalidParameters");
        assertFault(post("/SimpleAuthWebService/SimpleAuth.asmx",
                "http://www.microsoft.com/SoftwareDistribution/Server/SimpleAuthWebService/GetAuthorizationCookie",
                getConfig), "InvalidParameters");
    }

    @Test
    void soap12CaseAndDoubleSlashPathsAreServedAsIisServesThem() throws Exception {
        String soap12 = "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body><GetConfig xmlns=\""
                + CLIENT_NS + "\"><protocolVersion>2.90</protocolVersion></GetConfig></s:Body></s:Envelope>";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("//clientwebservice/Client.asmx"))
                .header("Content-Type", "application/soap+xml; charset=utf-8; action=\"" + CLIENT_NS + "/GetConfig\"")
                .POST(HttpRequest.BodyPublishers.ofString(soap12)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/soap+xml"));
        assertTrue(r.body().contains("http://www.w3.org/2003/05/soap-envelope"), r.body());
        assertTrue(r.body().contains("<Name>ProtocolVersion</Name><Value>3.2</Value>"), r.body());
    }

    @Test
    void aCookieOfAnotherFerryServerIsServerChanged() throws Exception {
        StoreServer first = server;
        String theirs;
        try (StoreServer other = StoreServer.start(tmp.resolve("other-store"), "127.0.0.1", 0)) {
            server = other;
            theirs = handshake();
        } finally {
            server = first;
        }
        assertFault(post(CLIENT, "SyncUpdates", envelope("<SyncUpdates xmlns=\"" + CLIENT_NS + "\">" + theirs
                + "<parameters><SkipSoftwareSync>false</SkipSoftwareSync></parameters></SyncUpdates>")), "ServerChanged");
    }

    private String handshake() throws Exception {
        String clientId = "e1da06a3-5601-43c9-bac3-52d5db701494";
        HttpResponse<String> auth = post("/SimpleAuthWebService/SimpleAuth.asmx",
                "http://www.microsoft.com/SoftwareDistribution/Server/SimpleAuthWebService/GetAuthorizationCookie",
                envelope("<GetAuthorizationCookie xmlns=\"http://www.microsoft.com/SoftwareDistribution/Server/"
                        + "SimpleAuthWebService\"><clientId>" + clientId + "</clientId><dnsName>pc1</dnsName>"
                        + "</GetAuthorizationCookie>"));
        assertEquals(200, auth.statusCode(), auth.body());
        String data = between(auth.body(), "CookieData");
        HttpResponse<String> cookie = post(CLIENT, "GetCookie", envelope("<GetCookie xmlns=\"" + CLIENT_NS + "\">"
                + "<authCookies><AuthorizationCookie><PlugInId>SimpleTargeting</PlugInId><CookieData>" + data
                + "</CookieData></AuthorizationCookie></authCookies><protocolVersion>2.90</protocolVersion></GetCookie>"));
        assertEquals(200, cookie.statusCode(), cookie.body());
        return "<cookie>" + between(cookie.body(), "GetCookieResult") + "</cookie>";
    }

    private void assertAlive() throws Exception {
        HttpResponse<String> r = post(CLIENT, "GetConfig", envelope("<GetConfig xmlns=\"" + CLIENT_NS
                + "\"><protocolVersion>2.90</protocolVersion></GetConfig>"));
        assertEquals(200, r.statusCode(), r.body());
    }

    private static void assertFault(HttpResponse<String> r, String errorCode) {
        assertEquals(500, r.statusCode(), r.body());
        assertTrue(r.body().contains("<ErrorCode>" + errorCode + "</ErrorCode>"), r.body());
        assertTrue(r.body().contains("Fault"), r.body());
    }

    private HttpResponse<String> post(String path, String action, String body) throws Exception {
        String soapAction = action.startsWith("http") ? action : CLIENT_NS + "/" + action;
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "text/xml; charset=utf-8")
                .header("SOAPAction", "\"" + soapAction + "\"").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        URI base = server.uri();
        return URI.create("http://" + base.getHost() + ":" + base.getPort() + path);
    }

    private static String envelope(String operation) {
        return "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>" + operation
                + "</s:Body></s:Envelope>";
    }

    private static String between(String xml, String element) {
        int from = xml.indexOf("<" + element + ">");
        int to = xml.indexOf("</" + element + ">", from);
        return xml.substring(from + element.length() + 2, to);
    }
}
