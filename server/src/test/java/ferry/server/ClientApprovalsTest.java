package ferry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ferry.format.Progress;
import ferry.importer.Importer;
import ferry.importer.TestBundles;
import ferry.store.Store;
import ferry.wsus.catalog.UpdateSelector;
import ferry.wsus.catalog.WsusAdministration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static ferry.importer.TestBundles.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Approvals as Windows clients see them through {@code ferry serve}: an approval for a computer group reaches the
 * computers whose policy names that group (client-side targeting) and no other; an approved update the store lacks
 * files of is never offered for install, and the clients page names the missing files.
 */
class ClientApprovalsTest {
    private static final String CLIENT_NS = "http://www.microsoft.com/SoftwareDistribution/Server/ClientWebService";
    private static final String KB2267602_ID = "a2fef9b0-7951-4c2c-a42b-9e351dd1c1fe";

    @TempDir
    Path tmp;
    Path storeDir;
    StoreServer server;
    final HttpClient http = HttpClient.newHttpClient();
    final Synthetic defender = defenderUpdate(200);

    @BeforeEach
    void setUp() throws Exception {
        storeDir = tmp.resolve("store");
        Path bundle = TestBundles.bundle().real(COMPANY, FAMILY, PRODUCT_DOC, KB2267602, LEAF_WITH_FILE, STUB)
                .update(defender).write(tmp.resolve("bundle"));
        Importer.importBundle(bundle, storeDir, TestBundles.trust(tmp.resolve("trust"), 1, ALICE), NOW, Progress.NONE);
        server = StoreServer.start(storeDir, "127.0.0.1", 0);
        try (Store admin = Store.openForImport(storeDir, Importer.catalogs())) {
            WsusAdministration a = new WsusAdministration(admin);
            a.addGroup("Ring 1", null);
            a.approve(new UpdateSelector(List.of(defender.updateId()), null, null, null), "Ring 1", "Install", null, false);
            a.approve(new UpdateSelector(List.of(KB2267602_ID), null, null, null), "All Computers", "Install", null,
                    false);
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        server.close();
    }

    @Test
    void anApprovalForAGroupReachesTheComputersThatNameIt() throws Exception {
        Map<String, String> ring1 = scan("ring1-pc", "Ring 1");
        Map<String, String> other = scan("other-pc", null);
        assertEquals("Install", ring1.get(defender.updateId()), ring1.toString());
        assertEquals("PreDeploymentCheck", other.get(defender.updateId()), "not in Ring 1: " + other);
        assertEquals("Install", scan("case-pc", "ring 1;Ring 9").get(defender.updateId()),
                "group names match without regard to case; unknown names are ignored");
    }

    @Test
    void anApprovedUpdateWhoseFilesTheStoreLacksIsNeverOfferedForInstallAndTheClientsPageSaysWhy() throws Exception {
        Map<String, String> actions = scan("pc", null);
        assertEquals("PreDeploymentCheck", actions.get(KB2267602_ID), "approved, but its files are not here: " + actions);
        JsonNode page = new ObjectMapper().readTree(get("clients.json"));
        Set<String> missingOf = new HashSet<>();
        for (JsonNode m : page.get("missingFiles")) {
            assertEquals(KB2267602_ID, m.get("approvedUpdateId").asText());
            missingOf.add(m.get("fileName").asText());
        }
        assertTrue(!missingOf.isEmpty(), page.toString());
        assertTrue(get("clients").contains("files missing from the store"));
        assertTrue(get("").contains("href=\"clients\""), "the status page links the clients page");
    }

    /** A client's handshake and software loop; the deployment action of each update it was given, by update id. */
    private Map<String, String> scan(String name, String targetGroup) throws Exception {
        String clientId = UUID.randomUUID().toString();
        String auth = post("SimpleAuthWebService/SimpleAuth.asmx",
                "http://www.microsoft.com/SoftwareDistribution/Server/SimpleAuthWebService", "GetAuthorizationCookie",
                "<clientId>" + clientId + "</clientId>" + (targetGroup == null ? ""
                        : "<targetGroupName>" + targetGroup + "</targetGroupName>") + "<dnsName>" + name + "</dnsName>");
        String got = post("ClientWebService/client.asmx", CLIENT_NS, "GetCookie", "<authCookies><AuthorizationCookie>"
                + "<PlugInId>SimpleTargeting</PlugInId><CookieData>" + between(auth, "CookieData") + "</CookieData>"
                + "</AuthorizationCookie></authCookies><protocolVersion>2.90</protocolVersion>");
        String cookie = "<cookie>" + between(got, "GetCookieResult") + "</cookie>";
        post("ClientWebService/client.asmx", CLIENT_NS, "RegisterComputer", cookie + "<computerInfo><DnsName>" + name
                + "</DnsName></computerInfo>");
        Map<String, String> actions = new HashMap<>();
        List<Integer> installed = new ArrayList<>();
        List<Integer> other = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            StringBuilder p = new StringBuilder("<parameters><InstalledNonLeafUpdateIDs>");
            installed.forEach(i -> p.append("<int>").append(i).append("</int>"));
            p.append("</InstalledNonLeafUpdateIDs><OtherCachedUpdateIDs>");
            other.forEach(i -> p.append("<int>").append(i).append("</int>"));
            p.append("</OtherCachedUpdateIDs><SkipSoftwareSync>false</SkipSoftwareSync></parameters>");
            String answer = post("ClientWebService/client.asmx", CLIENT_NS, "SyncUpdates", cookie + p);
            Matcher m = Pattern.compile("<UpdateInfo><ID>(\\d+)</ID><Deployment><ID>\\d+</ID><Action>(\\w+)</Action>.*?"
                    + "<IsLeaf>(\\w+)</IsLeaf><Xml>&lt;UpdateIdentity UpdateID=(?:&quot;|\")([0-9a-fA-F-]{36}).*?"
                    + "UpdateType=(?:&quot;|\")(\\w+)").matcher(answer);
            boolean any = false;
            while (m.find()) {
                any = true;
                actions.put(m.group(4).toLowerCase(Locale.ROOT), m.group(2));
                boolean leaf = Boolean.parseBoolean(m.group(3));
                (leaf || m.group(5).equals("Software") ? other : installed).add(Integer.parseInt(m.group(1)));
            }
            if (!any) {
                return actions;
            }
        }
        throw new AssertionError("the software loop did not end: " + actions);
    }

    private String post(String path, String namespace, String operation, String parameters) throws Exception {
        String body = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><" + operation
                + " xmlns=\"" + namespace + "\">" + parameters + "</" + operation + "></s:Body></s:Envelope>";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri().resolve(path))
                .header("Content-Type", "text/xml; charset=utf-8")
                .header("SOAPAction", "\"" + namespace + "/" + operation + "\"")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), operation + ": " + r.body());
        return r.body();
    }

    private String get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path);
        return r.body();
    }

    private static String between(String xml, String element) {
        int from = xml.indexOf("<" + element + ">");
        int to = xml.indexOf("</" + element + ">", from);
        assertTrue(from >= 0 && to >= 0, "no <" + element + "> in " + xml);
        return xml.substring(from + element.length() + 2, to);
    }
}
