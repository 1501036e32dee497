package ferry.server;

import ferry.format.Progress;
import ferry.format.trust.TrustStore;
import ferry.importer.Importer;
import ferry.importer.TestBundles;
import ferry.importer.TestBundles.Synthetic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static ferry.importer.TestBundles.ALICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The three recorded software pages of the {@code flow} capture (test resources {@code wusp-real/}, requests and
 * responses {@code flow-000001}, {@code flow-000003}, {@code flow-000013}; PROVENANCE.md) checked against
 * {@code ferry serve} over a loopback socket as far as the recording allows.
 *
 * <p><b>What cannot be compared, and why.</b> The recorded server answered those requests from a catalog of about
 * 28,000 Defender revisions; the pages hand out 66 updates, and the client's cached lists name 1,431 revision ids,
 * of which the recording holds the update documents of 9 (the samples' {@code wsus-real/} documents) and names the
 * update of only the ids its answers carry. So ferry cannot be given the same catalog, and the pages' update lists,
 * their counts and their {@code Truncated} values cannot be reproduced from those requests; nor can the cached ids be
 * translated to ferry's revision ids (ferry never gave them). What is checked instead:
 * <ul>
 *   <li>the exact recorded requests (only the cookie is this server's; every revision id is made one this server
 *       never gave) are read and answered over a socket: 87 to 94 installed non-leaf ids, 1,029 to 1,337 other
 *       cached ids, and the elements MS-WUSP's WSDL lacks ({@code AlsoPerformRegularSync}, {@code ProductsParameters}
 *       with its long attribute strings), with an answer of the recorded answer's outer structure, and every cached
 *       id this server never gave is reported out of scope (the recorded server, which had given them, reported
 *       none);</li>
 *   <li>the updates of the recorded pages that the store does hold (4, each a bundle member on the recorded
 *       server) are delivered by ferry with exactly the recorded {@code UpdateInfo}: the same deployment shape, leaf
 *       flag and Core fragment text (the revision id, deployment id and its date are server-local), and the
 *       recorded {@code Bundle} action for those whose bundle the recording holds; the others' bundles are among
 *       the documents the recording lacks, so ferry rightly offers them as other software,
 *       {@code PreDeploymentCheck};</li>
 *   <li>paging as recorded, on a store built to the recorded size: 330 software updates deliverable at once come in
 *       11 pages of 30, {@code Truncated} true on each but the last, which is a full page with {@code Truncated} false
 *       (as recorded page 13); each revision once; {@code InstalledNonLeafUpdateIDs} of 400 entries (the recorded
 *       request's own 94 padded) accepted, 401 refused with InvalidParameters naming the parameter.</li>
 * </ul>
 */
class ClientFlowPagesTest {
    private static final String CLIENT_NS = "http://www.microsoft.com/SoftwareDistribution/Server/ClientWebService";
    private static final List<String> PAGES = List.of("flow-000001", "flow-000003", "flow-000013");
    /** The nine update documents the recording holds (the samples' {@code wsus-real/}). */
    private static final List<String> DOCUMENTS = List.of("56309036-4c77-4dd9-951a-99ee9c246a94-r101",
            "6964aab4-c5b5-43bd-a17d-ffb4346a8e1d-r100", "dd78b8a1-0b20-45c1-add6-4da72e9364cf-r202",
            "a2fef9b0-7951-4c2c-a42b-9e351dd1c1fe-r200", "266f6222-c89d-43f2-9f8a-69340271e677-r200",
            "1f9bd9bb-7390-4aa3-bbdb-ded99fac2583-r200", "7366a74a-ef29-44e1-b738-570b516aca1f-r200",
            "ccb78947-6453-4ecc-9de8-bc0305c98f2d-r200", "ff36f0b5-dded-4780-8664-cd78af8b62c1-r200");
    private static final Pattern UPDATE_INFO = Pattern.compile("<UpdateInfo>(.*?)</UpdateInfo>", Pattern.DOTALL);
    private static final Pattern CORE_ID = Pattern.compile("UpdateIdentity UpdateID=(?:&quot;|\")([0-9A-Fa-f-]{36})");

    @TempDir
    Path tmp;
    StoreServer server;
    final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private void serve(TestBundles.Spec spec) throws Exception {
        Path bundle = spec.write(tmp.resolve("bundle"));
        TrustStore trust = TestBundles.trust(tmp.resolve("trust"), 1, ALICE);
        Path storeDir = tmp.resolve("store");
        Importer.importBundle(bundle, storeDir, trust, TestBundles.NOW, Progress.NONE);
        server = StoreServer.start(storeDir, "127.0.0.1", 0);
    }

    private void serveTheRecordedDocuments() throws Exception {
        TestBundles.Spec spec = TestBundles.bundle();
        for (String d : DOCUMENTS) {
            spec.metadata(ClientReplayTest.document(d));
        }
        serve(spec);
    }

    @Test
    void theRecordedPageRequestsAreReadAndAnsweredWithTheRecordedOuterStructure() throws Exception {
        serveTheRecordedDocuments();
        String cookie = handshake();
        for (String page : PAGES) {
            String request = ClientReplayTest.resource("requests/" + page + ".request.xml")
                    .replaceAll("<cookie>.*?</cookie>", Matcher.quoteReplacement(cookie));
            Set<Integer> cached = new TreeSet<>();
            Matcher ids = Pattern.compile("<int>(\\d+)</int>").matcher(request);
            StringBuilder translated = new StringBuilder();
            while (ids.find()) {
                int never = 1_000_000_000 + Integer.parseInt(ids.group(1)); // an id this server never gave
                cached.add(never);
                ids.appendReplacement(translated, "<int>" + never + "</int>");
            }
            ids.appendTail(translated);
            assertTrue(cached.size() > 1000, page + ": the recorded cached lists: " + cached.size());
            assertTrue(request.contains("<ProductsParameters>") && request.contains("<AlsoPerformRegularSync>"), page);

            HttpResponse<String> answer = post("SyncUpdates", translated.toString());
            assertEquals(200, answer.statusCode(), page + ": " + answer.body());
            String recorded = ClientReplayTest.resource("responses/" + page + ".response.xml");
            assertEquals(outline(recorded), outline(answer.body()), page + ": SyncUpdatesResult's elements"
                    + " (NewUpdates and OutOfScopeRevisionIDs aside)");
            assertEquals(List.copyOf(cached), outOfScope(answer.body()),
                    page + ": every cached id this server never gave is out of scope");
            assertFalse(outOfScope(recorded).size() > 0, "the recorded server had given them all");
            // what ferry delivers to a client that has installed none of its revisions: its roots, in pages of 30
            List<String> infos = infos(answer.body());
            assertFalse(infos.isEmpty(), page);
            assertTrue(infos.size() <= 30, page);
            for (String info : infos) {
                assertEquals(shape(infos(recorded).get(0)), shape(info), page + ": UpdateInfo's elements");
            }
        }
    }

    @Test
    void theUpdatesOfTheRecordedPagesTheStoreHoldsAreDeliveredAsRecorded() throws Exception {
        serveTheRecordedDocuments();
        String cookie = handshake();
        Map<String, String> ours = scan(cookie);

        Map<String, String> recorded = new HashMap<>();
        for (String page : PAGES) {
            for (String info : infos(ClientReplayTest.resource("responses/" + page + ".response.xml"))) {
                recorded.put(updateId(info), info);
            }
        }
        Set<String> held = new LinkedHashSet<>(recorded.keySet());
        held.retainAll(ours.keySet());
        assertEquals(Set.of("ccb78947-6453-4ecc-9de8-bc0305c98f2d", "266f6222-c89d-43f2-9f8a-69340271e677",
                "7366a74a-ef29-44e1-b738-570b516aca1f", "1f9bd9bb-7390-4aa3-bbdb-ded99fac2583"), held,
                "the updates of the recorded pages whose documents the recording holds");
        // Bundle is the action of a member of a bundle of the scope; the recording holds only some of the bundles
        // the recorded server had, so a recorded Bundle member that no held bundle contains is, rightly, other
        // software to ferry (PreDeploymentCheck); everything else of its UpdateInfo must still be as recorded.
        Set<String> members = new java.util.HashSet<>();
        for (String d : DOCUMENTS) {
            Matcher bundled = Pattern.compile("(?s)<upd:BundledUpdates>(.*?)</upd:BundledUpdates>")
                    .matcher(ClientReplayTest.document(d));
            while (bundled.find()) {
                Matcher id = Pattern.compile("UpdateID=\"([^\"]+)\"").matcher(bundled.group(1));
                while (id.find()) {
                    members.add(id.group(1).toLowerCase(Locale.ROOT));
                }
            }
        }
        int compared = 0;
        for (String updateId : held) {
            String expected = serverLocal(recorded.get(updateId));
            assertTrue(expected.contains("<Action>Bundle</Action>"), updateId);
            if (!members.contains(updateId)) {
                expected = expected.replace("<Action>Bundle</Action>", "<Action>PreDeploymentCheck</Action>");
            } else {
                compared++;
            }
            assertEquals(expected, serverLocal(ours.get(updateId)), updateId);
        }
        assertTrue(compared >= 1, "at least one held bundle member compared with its recorded action: " + members);
    }

    @Test
    void pagesOfThirtyWithTruncatedAsRecordedOnAStoreOfTheRecordedSize() throws Exception {
        TestBundles.Spec spec = TestBundles.bundle();
        for (int i = 0; i < 330; i++) {
            UUID id = UUID.nameUUIDFromBytes(("flow-page-update-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            spec.metadata(new Synthetic(id.toString(), 200, "Synthetic definition update " + i, "2267602",
                    TestBundles.PRODUCT, TestBundles.CLASSIFICATION, "am_delta.exe", TestBundles.bytes(16, i)).xml());
        }
        serve(spec);
        String cookie = handshake();

        List<Integer> cachedIds = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        List<Boolean> truncated = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            String answer = post("SyncUpdates", body("SyncUpdates", cookie + "<parameters><ExpressQuery>false"
                    + "</ExpressQuery>" + ints("OtherCachedUpdateIDs", cachedIds) + "<SkipSoftwareSync>false"
                    + "</SkipSoftwareSync></parameters>")).body();
            List<String> infos = infos(answer);
            if (infos.isEmpty()) {
                assertEquals("false", between(answer, "Truncated"), "never Truncated with an empty page");
                break;
            }
            sizes.add(infos.size());
            truncated.add(Boolean.parseBoolean(between(answer, "Truncated")));
            for (String info : infos) {
                int id = Integer.parseInt(between(info, "ID"));
                assertFalse(cachedIds.contains(id), "revision " + id + " delivered twice");
                cachedIds.add(id);
            }
        }
        assertEquals(java.util.Collections.nCopies(11, 30), sizes);
        List<Boolean> expected = new ArrayList<>(java.util.Collections.nCopies(10, true));
        expected.add(false);
        assertEquals(expected, truncated, "the last, full page says Truncated false, as recorded page 13");
        assertEquals(330, new TreeSet<>(cachedIds).size());

        // the 400-entry cap, with the recorded request's own 94 installed non-leaf ids padded
        String recorded = ClientReplayTest.resource("requests/flow-000013.request.xml")
                .replaceAll("<cookie>.*?</cookie>", Matcher.quoteReplacement(cookie));
        Matcher installed = Pattern.compile("<InstalledNonLeafUpdateIDs>(.*?)</InstalledNonLeafUpdateIDs>",
                Pattern.DOTALL).matcher(recorded);
        assertTrue(installed.find());
        int present = installed.group(1).split("<int>", -1).length - 1;
        assertEquals(94, present);
        assertEquals(200, post("SyncUpdates", padded(recorded, installed, 400 - present)).statusCode(), "400 ids");
        HttpResponse<String> over = post("SyncUpdates", padded(recorded, installed, 401 - present));
        assertEquals(500, over.statusCode(), over.body());
        assertTrue(over.body().contains("<ErrorCode>InvalidParameters</ErrorCode>")
                && over.body().contains("InstalledNonLeafUpdateIDs"), over.body());
    }

    private static String padded(String request, Matcher installed, int more) {
        StringBuilder extra = new StringBuilder();
        for (int i = 0; i < more; i++) {
            extra.append("<int>").append(1_500_000_000 + i).append("</int>");
        }
        return request.substring(0, installed.end(1)) + extra + request.substring(installed.end(1));
    }

    /** The software loop of a client (registered by {@link #handshake}) that reports every non-leaf revision installed; each UpdateInfo by update id. */
    private Map<String, String> scan(String cookie) throws Exception {
        Map<String, String> out = new HashMap<>();
        List<Integer> installed = new ArrayList<>();
        List<Integer> other = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            String answer = post("SyncUpdates", body("SyncUpdates", cookie + "<parameters><ExpressQuery>false"
                    + "</ExpressQuery>" + ints("InstalledNonLeafUpdateIDs", installed)
                    + ints("OtherCachedUpdateIDs", other) + "<SkipSoftwareSync>false</SkipSoftwareSync></parameters>"))
                    .body();
            List<String> infos = infos(answer);
            if (infos.isEmpty()) {
                return out;
            }
            for (String info : infos) {
                out.put(updateId(info), info);
                int id = Integer.parseInt(between(info, "ID"));
                (Boolean.parseBoolean(between(info, "IsLeaf")) ? other : installed).add(id);
            }
        }
        throw new AssertionError("the software loop did not end: " + out.keySet());
    }

    /** SyncUpdatesResult's child elements in order, NewUpdates and OutOfScopeRevisionIDs left out. */
    private static List<String> outline(String answer) {
        String result = between(answer, "SyncUpdatesResult");
        String flat = result.replaceAll("(?s)<NewUpdates>.*?</NewUpdates>", "")
                .replaceAll("(?s)<OutOfScopeRevisionIDs>.*?</OutOfScopeRevisionIDs>", "")
                .replaceAll("(?s)<NewCookie>.*?</NewCookie>", "<NewCookie/>");
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<(\\w+)[ />]").matcher(flat);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static List<Integer> outOfScope(String answer) {
        Matcher m = Pattern.compile("(?s)<OutOfScopeRevisionIDs>(.*?)</OutOfScopeRevisionIDs>").matcher(answer);
        List<Integer> out = new ArrayList<>();
        if (m.find()) {
            Matcher i = Pattern.compile("<int>(\\d+)</int>").matcher(m.group(1));
            while (i.find()) {
                out.add(Integer.parseInt(i.group(1)));
            }
        }
        return out;
    }

    private static List<String> infos(String answer) {
        List<String> out = new ArrayList<>();
        Matcher m = UPDATE_INFO.matcher(answer);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The element names of one UpdateInfo, the escaped Core fragment as one text. */
    private static List<String> shape(String info) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<(/?\\w+)>").matcher(info.replaceAll("(?s)<Xml>.*?</Xml>", "<Xml></Xml>"));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** An UpdateInfo with its server-local values (revision id, deployment id, deployment date) named. */
    private static String serverLocal(String info) {
        return info.replaceFirst("^<ID>\\d+</ID>", "<ID>(revision id)</ID>")
                .replaceFirst("<Deployment><ID>\\d+</ID>", "<Deployment><ID>(deployment id)</ID>")
                .replaceFirst("<LastChangeTime>[^<]*</LastChangeTime>", "<LastChangeTime>(date)</LastChangeTime>");
    }

    private static String updateId(String info) {
        Matcher m = CORE_ID.matcher(info);
        assertTrue(m.find(), info);
        return m.group(1).toLowerCase(Locale.ROOT);
    }

    private String handshake() throws Exception {
        String config = post("GetConfig", body("GetConfig", "<protocolVersion>2.90</protocolVersion>")).body();
        String ns = "http://www.microsoft.com/SoftwareDistribution/Server/SimpleAuthWebService";
        HttpResponse<String> auth = http.send(HttpRequest.newBuilder(server.uri().resolve(
                        "SimpleAuthWebService/SimpleAuth.asmx")).header("Content-Type", "text/xml; charset=utf-8")
                .header("SOAPAction", "\"" + ns + "/GetAuthorizationCookie\"")
                .POST(HttpRequest.BodyPublishers.ofString("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/"
                        + "envelope/\"><s:Body><GetAuthorizationCookie xmlns=\"" + ns + "\"><clientId>"
                        + "e1da06a3-5601-43c9-bac3-52d5db701494</clientId><dnsName>REDACTED3</dnsName>"
                        + "</GetAuthorizationCookie></s:Body></s:Envelope>")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, auth.statusCode(), auth.body());
        HttpResponse<String> got = post("GetCookie", body("GetCookie", "<authCookies><AuthorizationCookie><PlugInId>"
                + "SimpleTargeting</PlugInId><CookieData>" + between(auth.body(), "CookieData") + "</CookieData>"
                + "</AuthorizationCookie></authCookies><lastChange>" + between(config, "LastChange") + "</lastChange>"
                + "<protocolVersion>2.90</protocolVersion>"));
        assertEquals(200, got.statusCode(), got.body());
        String cookie = "<cookie>" + between(got.body(), "GetCookieResult") + "</cookie>";
        assertEquals(200, post("RegisterComputer", body("RegisterComputer", cookie + "<computerInfo><DnsName>"
                + "REDACTED3</DnsName></computerInfo>")).statusCode());
        return cookie;
    }

    private static String body(String operation, String parameters) {
        return "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><" + operation + " xmlns=\""
                + CLIENT_NS + "\">" + parameters + "</" + operation + "></s:Body></s:Envelope>";
    }

    private HttpResponse<String> post(String operation, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(server.uri().resolve("ClientWebService/client.asmx"))
                .header("Content-Type", "text/xml; charset=utf-8")
                .header("SOAPAction", "\"" + CLIENT_NS + "/" + operation + "\"")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String ints(String name, List<Integer> ids) {
        if (ids.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("<").append(name).append('>');
        ids.forEach(i -> b.append("<int>").append(i).append("</int>"));
        return b.append("</").append(name).append('>').toString();
    }

    private static String between(String xml, String element) {
        int from = xml.indexOf("<" + element + ">");
        int to = xml.indexOf("</" + element + ">", from);
        assertTrue(from >= 0 && to >= 0, "no <" + element + "> in " + xml);
        return xml.substring(from + element.length() + 2, to);
    }
}
