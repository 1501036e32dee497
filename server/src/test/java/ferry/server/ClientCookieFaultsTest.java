package ferry.server;

import ferry.importer.Importer;
import ferry.store.Store;
import ferry.wsus.soap.Messages.Cookie;
import ferry.wsus.wusp.ClientConfiguration;
import ferry.wsus.wusp.ClientCookies;
import ferry.wsus.wusp.ClientRegistry;
import ferry.wsus.wusp.ClientResponses.AuthPlugIn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cookie faults of MS-WUSP 2.2.2.4 as {@code ferry serve} sends them over a loopback socket, each with the
 * recovery the spec names, walked as a client walks it:
 * <ul>
 *   <li>ConfigChanged: when the configuration GetConfig advertises changes (recorded in the clients database; here a
 *       run advertising another configuration, as another ferry version would), GetConfig's LastChange moves, a
 *       cookie issued under the earlier one is refused by SyncUpdates and SyncPrinterCatalog (3.1.5.7, 3.1.5.12) but
 *       not by RegisterComputer (which names no ConfigChanged), GetCookie refuses the old lastChange (3.1.5.4), and
 *       GetConfig, GetAuthorizationCookie, GetCookie with the new LastChange recover; a restart that changes nothing
 *       keeps LastChange and the cookies;</li>
 *   <li>CookieExpired: a genuine cookie of this server past its hour;</li>
 *   <li>InvalidCookie: a cookie of this store sealed with the key of a clients database since deleted;</li>
 *   <li>ServerChanged: a cookie of another store (also in {@code ClientHostileRequestTest}).</li>
 * </ul>
 */
class ClientCookieFaultsTest {
    private static final String CLIENT_NS = "http://www.microsoft.com/SoftwareDistribution/Server/ClientWebService";
    private static final String CLIENT_ID = "e1da06a3-5601-43c9-bac3-52d5db701494";
    private static final String SYNC = "<parameters><SkipSoftwareSync>false</SkipSoftwareSync></parameters>";

    @TempDir
    Path tmp;
    Path storeDir;
    StoreServer server;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() throws Exception {
        storeDir = tmp.resolve("store");
        server = StoreServer.start(storeDir, "127.0.0.1", 0);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aChangedConfigurationIsConfigChangedUntilTheClientReadsItAgain() throws Exception {
        String lastChange = lastChange();
        String cookie = handshake(lastChange);
        assertEquals(200, post("RegisterComputer", cookie + "<computerInfo><DnsName>pc1</DnsName></computerInfo>")
                .statusCode());
        assertEquals(200, post("SyncUpdates", cookie + SYNC).statusCode());

        restart();
        assertEquals(lastChange, lastChange(), "a restart advertising the same configuration is no change");
        assertEquals(200, post("SyncUpdates", cookie + SYNC).statusCode(), "so the cookie still serves");

        // a run advertising another configuration, then ferry's again: each is a change
        server.close();
        server = null;
        Map<String, String> properties = new LinkedHashMap<>(ClientConfiguration.ferry().properties());
        properties.put("ClientReportingLevel", "1");
        ClientConfiguration other = new ClientConfiguration(true, List.of(new AuthPlugIn(
                ClientCookies.SIMPLE_TARGETING, "SimpleAuthWebService/SimpleAuth.asmx", null)), properties);
        try (ClientRegistry registry = ClientRegistry.open(storeDir)) {
            registry.configuration(other.digest(), Instant.now().minusSeconds(60));
        }
        server = StoreServer.start(storeDir, "127.0.0.1", 0);

        assertFault(post("SyncUpdates", cookie + SYNC), "ConfigChanged");
        assertFault(post("SyncPrinterCatalog", cookie), "ConfigChanged");
        assertEquals(200, post("RegisterComputer", cookie + "<computerInfo><DnsName>pc1</DnsName></computerInfo>")
                .statusCode(), "RegisterComputer names no ConfigChanged (MS-WUSP 3.1.5.5)");
        assertFault(post("GetCookie", authCookies(authorization()) + "<lastChange>" + lastChange + "</lastChange>"
                + "<protocolVersion>2.90</protocolVersion>"), "ConfigChanged");

        // the recovery MS-WUSP 2.2.2.4 names: GetConfig, GetAuthorizationCookie, GetCookie
        String changed = lastChange();
        assertNotEquals(lastChange, changed);
        assertTrue(Instant.parse(changed).isAfter(Instant.parse(lastChange)), changed + " after " + lastChange);
        String renewed = handshake(changed);
        HttpResponse<String> sync = post("SyncUpdates", renewed + SYNC);
        assertEquals(200, sync.statusCode(), sync.body());
        assertTrue(sync.body().contains("<DriverSyncNotNeeded>"), sync.body());
    }

    @Test
    void anExpiredCookieIsCookieExpired() throws Exception {
        String lastChange = lastChange();
        String cookie = handshake(lastChange);
        assertEquals(200, post("RegisterComputer", cookie + "<computerInfo><DnsName>pc1</DnsName></computerInfo>")
                .statusCode());
        // the same cookie this server issues, issued 61 minutes ago: sealed with the clients database's key
        byte[] key;
        try (ClientRegistry registry = ClientRegistry.openExisting(storeDir).orElseThrow()) {
            key = registry.cookieKey();
        }
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofMinutes(61)), ZoneOffset.UTC);
        Cookie old = new ClientCookies(key, past, storeId()).issue(CLIENT_ID, "2.90",
                Instant.parse(lastChange).toEpochMilli());
        String expired = "<cookie><Expiration>" + old.expiration() + "</Expiration><EncryptedData>"
                + old.encryptedData() + "</EncryptedData></cookie>";
        assertFault(post("SyncUpdates", expired + SYNC), "CookieExpired");
        assertFault(post("RegisterComputer", expired + "<computerInfo><DnsName>pc1</DnsName></computerInfo>"),
                "CookieExpired");
        // issued a minute ago instead: accepted, so it is the hour that is refused, not the forging
        Cookie fresh = new ClientCookies(key, Clock.fixed(Instant.now().minusSeconds(60), ZoneOffset.UTC), storeId())
                .issue(CLIENT_ID, "2.90", Instant.parse(lastChange).toEpochMilli());
        assertEquals(200, post("SyncUpdates", "<cookie><Expiration>" + fresh.expiration() + "</Expiration>"
                + "<EncryptedData>" + fresh.encryptedData() + "</EncryptedData></cookie>" + SYNC).statusCode());
    }

    @Test
    void aCookieOfADeletedClientsDatabaseIsInvalidCookie() throws Exception {
        String cookie = handshake(lastChange());
        assertEquals(200, post("RegisterComputer", cookie + "<computerInfo><DnsName>pc1</DnsName></computerInfo>")
                .statusCode());
        server.close();
        server = null;
        Files.delete(storeDir.resolve(ClientRegistry.FILE));
        server = StoreServer.start(storeDir, "127.0.0.1", 0);
        assertFault(post("SyncUpdates", cookie + SYNC), "InvalidCookie");
        assertFault(post("RegisterComputer", cookie + "<computerInfo><DnsName>pc1</DnsName></computerInfo>"),
                "InvalidCookie");
        // the recovery: a new cookie; the computer registers again
        String renewed = handshake(lastChange());
        assertEquals(200, post("RegisterComputer", renewed + "<computerInfo><DnsName>pc1</DnsName></computerInfo>")
                .statusCode());
        assertEquals(200, post("SyncUpdates", renewed + SYNC).statusCode());
    }

    @Test
    void aCookieOfAnotherStoreIsServerChanged() throws Exception {
        String theirs;
        try (StoreServer other = StoreServer.start(tmp.resolve("other-store"), "127.0.0.1", 0)) {
            StoreServer mine = server;
            server = other;
            try {
                theirs = handshake(lastChange());
            } finally {
                server = mine;
            }
        }
        assertFault(post("SyncUpdates", theirs + SYNC), "ServerChanged");
        assertFault(post("RegisterComputer", theirs + "<computerInfo><DnsName>pc1</DnsName></computerInfo>"),
                "ServerChanged");
    }

    private void restart() throws Exception {
        server.close();
        server = null;
        server = StoreServer.start(storeDir, "127.0.0.1", 0);
    }

    private String storeId() {
        try (Store store = Store.openForImport(storeDir, Importer.catalogs())) {
            return store.read(c -> {
                try (var s = c.createStatement(); var rs = s.executeQuery("SELECT store_id FROM store_info")) {
                    rs.next();
                    return rs.getString(1);
                }
            });
        }
    }

    private String lastChange() throws Exception {
        HttpResponse<String> r = post("GetConfig", "<protocolVersion>2.90</protocolVersion>");
        assertEquals(200, r.statusCode(), r.body());
        return between(r.body(), "LastChange");
    }

    private String authorization() throws Exception {
        String ns = "http://www.microsoft.com/SoftwareDistribution/Server/SimpleAuthWebService";
        HttpResponse<String> auth = http.send(HttpRequest.newBuilder(server.uri().resolve(
                        "SimpleAuthWebService/SimpleAuth.asmx")).header("Content-Type", "text/xml; charset=utf-8")
                .header("SOAPAction", "\"" + ns + "/GetAuthorizationCookie\"")
                .POST(HttpRequest.BodyPublishers.ofString(envelope("<GetAuthorizationCookie xmlns=\"" + ns + "\">"
                        + "<clientId>" + CLIENT_ID + "</clientId><dnsName>pc1</dnsName></GetAuthorizationCookie>")))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, auth.statusCode(), auth.body());
        return between(auth.body(), "CookieData");
    }

    private static String authCookies(String data) {
        return "<authCookies><AuthorizationCookie><PlugInId>SimpleTargeting</PlugInId><CookieData>" + data
                + "</CookieData></AuthorizationCookie></authCookies>";
    }

    /** GetAuthorizationCookie and GetCookie presenting {@code lastChange}; the cookie element to send. */
    private String handshake(String lastChange) throws Exception {
        HttpResponse<String> cookie = post("GetCookie", authCookies(authorization()) + "<lastChange>" + lastChange
                + "</lastChange><protocolVersion>2.90</protocolVersion>");
        assertEquals(200, cookie.statusCode(), cookie.body());
        return "<cookie>" + between(cookie.body(), "GetCookieResult") + "</cookie>";
    }

    private HttpResponse<String> post(String operation, String parameters) throws Exception {
        return http.send(HttpRequest.newBuilder(server.uri().resolve("ClientWebService/client.asmx"))
                .header("Content-Type", "text/xml; charset=utf-8")
                .header("SOAPAction", "\"" + CLIENT_NS + "/" + operation + "\"")
                .POST(HttpRequest.BodyPublishers.ofString(envelope("<" + operation + " xmlns=\"" + CLIENT_NS + "\">"
                        + parameters + "</" + operation + ">"))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertFault(HttpResponse<String> r, String errorCode) {
        assertEquals(500, r.statusCode(), r.body());
        assertTrue(r.body().contains("<ErrorCode>" + errorCode + "</ErrorCode>"), r.body());
    }

    private static String envelope(String operation) {
        return "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>" + operation
                + "</s:Body></s:Envelope>";
    }

    private static String between(String xml, String element) {
        int from = xml.indexOf("<" + element + ">");
        int to = xml.indexOf("</" + element + ">", from);
        assertTrue(from >= 0 && to >= 0, "no <" + element + "> in " + xml);
        return xml.substring(from + element.length() + 2, to);
    }
}
