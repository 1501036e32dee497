package ferry.cli;

import ferry.cli.InProcess.Result;
import static ferry.cli.InProcess.ferry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ferry.samples.SyntheticUpdates;
import ferry.server.StoreServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry approve}, {@code decline}, {@code approvals} and {@code groups} through the real command line, on a
 * store filled by the real export and import from the sample upstream: what each prints, its exit code, that a
 * refusal is one line and changes nothing, that a rule approves at the next import, and that approving works while
 * {@code ferry serve} serves the store.
 */
class ApprovalCommandsTest {
    private static final String DEFENDER_BUNDLE = "a2fef9b0-7951-4c2c-a42b-9e351dd1c1fe"; // KB2267602, real document

    @TempDir
    Path dir;
    private ConnectedSide side;
    private Path key;
    private Path trust;
    private Path store;

    @BeforeEach
    void start() throws Exception {
        side = ConnectedSide.start(dir, "a <a@ferry.invalid>");
        Path keys = side.keys();
        trust = side.trust();
        store = dir.resolve("store");
        key = keys.resolve("signer.sec.asc");
    }

    @AfterEach
    void stop() throws Exception {
        if (side != null) {
            side.close();
        }
    }

    @Test
    void approveDeclineGroupsAndRulesOnARealStore() throws Exception {
        exportAndImport("b1", "Contoso Widget");

        Result approved;
        try (StoreServer served = StoreServer.start(store, "127.0.0.1", 0)) {
            approved = ferry("approve", "--store", store.toString(), "--kb", "KB5000101", "--json");
        }
        assertEquals(0, approved.code, approved.err);
        JsonNode a = json(approved);
        assertEquals("All Computers", a.at("/group").asText());
        assertEquals("approved", a.at("/updates/0/change").asText());
        assertEquals(SyntheticUpdates.KB5000101, a.at("/updates/0/updateId").asText());

        Result bundle = ferry("approve", "--store", store.toString(), "--kb", "5000103");
        assertEquals(0, bundle.code, bundle.err);
        assertTrue(bundle.out.contains(SyntheticUpdates.KB5000103_BUNDLE), bundle.out);
        assertEquals(2, bundle.out.strip().lines().count(), "the bundle alone, not its members: " + bundle.out);

        String before = ferry("approvals", "list", "--store", store.toString(), "--json").out;
        refused("no stored software or driver update has KB999", "approve", "--store", store.toString(), "--kb", "999");
        refused("no computer group \"Nope\"", "approve", "--store", store.toString(), "--kb", "5000102", "--group",
                "Nope");
        refused("no product named \"Windows 95\"", "decline", "--store", store.toString(), "--product", "Windows 95");
        refused("not an ISO-8601 time", "approve", "--store", store.toString(), "--kb", "5000102", "--deadline",
                "tomorrow");
        assertEquals(before, ferry("approvals", "list", "--store", store.toString(), "--json").out,
                "refusals change nothing");

        assertEquals(0, ferry("groups", "add", "--store", store.toString(), "Ring 1").code);
        Result dry = ferry("approve", "--store", store.toString(), "--product", "contoso widget", "--classification",
                "Critical Updates", "--group", "ring 1", "--deadline", "2026-12-01T19:00+01:00", "--dry-run");
        assertEquals(0, dry.code, dry.err);
        assertTrue(dry.out.startsWith("Would approve 1 of 1 update(s) for Install on group \"Ring 1\", deadline"
                + " 2026-12-01T18:00:00Z (dry run: nothing changed)"), dry.out);
        assertEquals(before, ferry("approvals", "list", "--store", store.toString(), "--json").out);
        assertEquals(0, ferry("approve", "--store", store.toString(), "--product", "contoso widget",
                "--classification", "Critical Updates", "--group", "ring 1", "--deadline", "2026-12-01").code);
        JsonNode list = json(ferry("approvals", "list", "--store", store.toString(), "--group", "Ring 1", "--json"));
        assertEquals(1, list.at("/approvals").size());
        assertEquals("2026-12-01T00:00:00Z", list.at("/approvals/0/deadline").asText());
        assertEquals(SyntheticUpdates.KB5000103_BUNDLE, list.at("/approvals/0/updateId").asText());

        // Definition Updates arrives with the Defender bundle: before that the rule names it by id.
        refused("no classification named \"Definition Updates\" in the store (one the store does not hold yet can be"
                + " named by id)", "approvals", "rule", "add", "--store", store.toString(), "Definitions",
                "--classification", "Definition Updates");
        refused("classification " + SyntheticUpdates.CONTOSO_WIDGET + " is a Product in the store", "approvals", "rule",
                "add", "--store", store.toString(), "Definitions", "--classification", SyntheticUpdates.CONTOSO_WIDGET);
        Result rule = ferry("approvals", "rule", "add", "--store", store.toString(),
                "Definition Updates for All Computers", "--classification", SyntheticUpdates.DEFINITION_UPDATES);
        assertEquals(0, rule.code, rule.err);
        exportAndImport("b2", "Microsoft Defender Antivirus");
        JsonNode all = json(ferry("approvals", "list", "--store", store.toString(), "--json"));
        JsonNode byRule = null;
        for (JsonNode n : all.at("/approvals")) {
            if (n.at("/updateId").asText().equals(DEFENDER_BUNDLE)) {
                byRule = n;
            }
        }
        assertTrue(byRule != null, "the rule approved the definition update at import: " + all);
        assertEquals("rule", byRule.at("/origin").asText());
        assertEquals(200, byRule.at("/revisionNumber").asInt());
        assertEquals(4, all.at("/approvals").size(), "two by KB, one for Ring 1, one by the rule: " + all);

        Result declined = ferry("decline", "--store", store.toString(), "--update", DEFENDER_BUNDLE.toUpperCase());
        assertEquals(0, declined.code, declined.err);
        assertTrue(declined.out.startsWith("Declined 1 update(s), removing 1 approval(s)"), declined.out);
        JsonNode after = json(ferry("approvals", "list", "--store", store.toString(), "--json"));
        assertEquals(3, after.at("/approvals").size());
        assertEquals(DEFENDER_BUNDLE, after.at("/declined/0").asText());

        // A replica downstream server gets them from the served store (GetDeployments, MS-WSUSSS 3.1.4.10).
        try (StoreServer served = StoreServer.start(store, "127.0.0.1", 0)) {
            String deployments = getDeployments(served.uri());
            assertEquals(3, count(deployments, "<ServerSyncDeployment>"), deployments);
            assertEquals(3, count(deployments, "<ServerSyncTargetGroup>"), deployments);
            assertTrue(deployments.contains("<HiddenUpdates><guid>" + DEFENDER_BUNDLE + "</guid></HiddenUpdates>"),
                    deployments);
            assertTrue(deployments.contains("<UpdateId>" + SyntheticUpdates.KB5000101 + "</UpdateId>"), deployments);
        }

        refused("is built in", "groups", "remove", "--store", store.toString(), "Unassigned Computers");
        JsonNode groups = json(ferry("groups", "list", "--store", store.toString(), "--json"));
        assertEquals(3, groups.size());
        assertEquals("a0a08746-4dbe-4a37-9adf-9e7652c0b421", groups.at("/0/id").asText());
        assertEquals("b73ca6ed-5727-47f3-84de-015e03f6a88a", groups.at("/1/id").asText());
        Result removed = ferry("groups", "remove", "--store", store.toString(), "RING 1");
        assertEquals(0, removed.code, removed.err);
        assertTrue(removed.out.contains("and 1 approval(s)"), removed.out);
        JsonNode rules = json(ferry("approvals", "rule", "list", "--store", store.toString(), "--json"));
        assertEquals("Definition Updates", rules.at("/0/classifications/0/title").asText(), "titled once imported");
        assertEquals(0, ferry("approvals", "rule", "remove", "--store", store.toString(),
                "definition updates for all computers").code);
        assertEquals("0 automatic-approval rule(s)",
                ferry("approvals", "rule", "list", "--store", store.toString()).out.strip());
    }

    @Test
    void noStoreIsAUsageError() {
        Result r = ferry("approvals", "list", "--store", dir.resolve("nothing").toString());
        assertEquals(ExitCodes.USAGE, r.code);
        assertTrue(r.err.contains("no store at"), r.err);
        assertFalse(dir.resolve("nothing").toFile().exists(), "never creates a store");
    }

    private static int count(String text, String what) {
        return text.split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }

    /** The DSS handshake (GetAuthorizationCookie, GetCookie), then GetDeployments without an anchor. */
    static String getDeployments(java.net.URI server) throws Exception {
        String ns = "http://www.microsoft.com/SoftwareDistribution";
        String auth = soap(server.resolve("/DssAuthWebService/DssAuthWebService.asmx"), ns + "/Server/DssAuthWebService",
                "GetAuthorizationCookie", "<accountName>replica.invalid</accountName>"
                        + "<accountGuid>6f1c2f6e-3f0b-4d3a-9b1e-0d2f6a1c5e12</accountGuid>");
        String data = between(auth, "<CookieData>", "</CookieData>");
        String sync = "/ServerSyncWebService/ServerSyncWebService.asmx";
        String cookie = soap(server.resolve(sync), ns, "GetCookie", "<authCookies><AuthorizationCookie><PlugInId>"
                + "DssTargeting</PlugInId><CookieData>" + data + "</CookieData></AuthorizationCookie></authCookies>"
                + "<protocolVersion>1.20</protocolVersion>");
        String c = "<cookie><Expiration>" + between(cookie, "<Expiration>", "</Expiration>") + "</Expiration>"
                + "<EncryptedData>" + between(cookie, "<EncryptedData>", "</EncryptedData>") + "</EncryptedData></cookie>";
        return soap(server.resolve(sync), ns, "GetDeployments", c
                + "<syncAnchor>1,2026-10-04 16:33:26.671</syncAnchor>");
    }

    private static String between(String text, String from, String to) {
        int a = text.indexOf(from);
        assertTrue(a >= 0, text);
        return text.substring(a + from.length(), text.indexOf(to, a));
    }

    private static String soap(java.net.URI uri, String ns, String operation, String inner) throws Exception {
        String body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope"
                + " xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><" + operation + " xmlns=\""
                + ns + "\">" + inner + "</" + operation + "></soap:Body></soap:Envelope>";
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(uri).header("Content-Type", "text/xml; charset=utf-8")
                        .header("SOAPAction", "\"" + ns + "/" + operation + "\"")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private void refused(String message, String... args) {
        Result r = ferry(args);
        assertEquals(ExitCodes.USAGE, r.code, r.out + r.err);
        assertEquals(1, r.err.strip().lines().count(), r.err);
        assertTrue(r.err.contains(message), r.err);
    }

    private void exportAndImport(String bundle, String product) {
        List<String> args = new ArrayList<>(List.of("export", "--upstream", side.upstream().uri().toString(), "--product",
                product, "--metadata-only", "--channel", bundle, "--state", dir.resolve("state-" + bundle).toString(), "--key", key.toString(),
                "--out", dir.resolve(bundle).toString(), "--quiet", "--retries", "1"));
        Result r = ferry(args.toArray(String[]::new));
        assertEquals(0, r.code, r.err);
        Result i = ferry("import", dir.resolve(bundle).toString(), "--store", store.toString(), "--trust-store",
                trust.toString(), "--quiet");
        assertEquals(0, i.code, i.err);
    }

    private static JsonNode json(Result r) throws Exception {
        assertEquals(0, r.code, r.err);
        return new ObjectMapper().readTree(r.out);
    }
}
