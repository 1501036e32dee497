package ferry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ferry.format.Progress;
import ferry.format.trust.TrustStore;
import ferry.importer.Importer;
import ferry.importer.TestBundles;
import ferry.wsus.wusp.ClientOperation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static ferry.importer.TestBundles.ALICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The recorded dialogue of an unmodified Windows Update Agent with a real Windows Server 2025 WSUS (test resources
 * {@code wusp-real/}, see their PROVENANCE.md), replayed request by request against {@code ferry serve}
 * ({@link StoreServer} on a loopback socket) holding the same updates: the nine recorded update documents, carried
 * in a real signed bundle and imported by the real importer. Each request is sent as recorded, with the cookies this
 * server issued in place of the recorded ones (and its configuration's LastChange in place of the recorded server's,
 * which GetCookie echoes) and the recorded server's revision ids translated to this server's
 * (through the update each id named in the recorded answers; ids of updates the store does not hold become ids this
 * server never gave). Each answer must have the recorded answer's structure: the same elements in the same order and
 * namespaces, the same counts, actions, leaf flags, fragments and texts, except the values that legitimately differ,
 * which are named in {@link #normalized}: cookie values (Expiration, EncryptedData, CookieData), the configuration's
 * LastChange, deployment ids and their LastChangeTime (server-local), revision ids (compared after translation, so a
 * wrong revision still fails), and the {@code PackageServerShare} property (ferry has no SMB package share).
 *
 * <p>Replayed: the whole {@code scan} capture (GetConfig, GetAuthorizationCookie, GetCookie, RegisterComputer,
 * StartCategoryScan, three SyncUpdates rounds of the category scan, the driver pass, GetExtendedUpdateInfo) and from
 * {@code flow} the driver pass and the three ReportEventBatch posts. Not replayed: the {@code flow} software pages
 * (000001, 000003, 000013), which hand out about 400 updates the recording does not hold the documents of.
 */
class ClientReplayTest {
    private static final List<String> DOCUMENTS = List.of("56309036-4c77-4dd9-951a-99ee9c246a94-r101",
            "6964aab4-c5b5-43bd-a17d-ffb4346a8e1d-r100", "dd78b8a1-0b20-45c1-add6-4da72e9364cf-r202",
            "a2fef9b0-7951-4c2c-a42b-9e351dd1c1fe-r200", "266f6222-c89d-43f2-9f8a-69340271e677-r200",
            "1f9bd9bb-7390-4aa3-bbdb-ded99fac2583-r200", "7366a74a-ef29-44e1-b738-570b516aca1f-r200",
            "ccb78947-6453-4ecc-9de8-bc0305c98f2d-r200", "ff36f0b5-dded-4780-8664-cd78af8b62c1-r200");
    private static final List<String> EXCHANGES = List.of("scan-000001", "scan-000002", "scan-000003", "scan-000004",
            "scan-000005", "scan-000006", "scan-000007", "scan-000008", "scan-000009", "scan-000010", "flow-000014",
            "flow-000016", "flow-000017", "flow-000018");
    private static final Pattern UPDATE_INFO = Pattern.compile(
            "<(?:UpdateInfo|Update)><ID>(\\d+)</ID>(?:(?!</UpdateInfo>|</Update>).)*?UpdateIdentity UpdateID=(?:&quot;|\")"
                    + "([0-9A-Fa-f-]{36})", Pattern.DOTALL);

    @TempDir
    Path tmp;
    StoreServer server;
    final HttpClient http = HttpClient.newHttpClient();

    /** The recorded server's revision ids by the update they named, and this server's. */
    final Map<Integer, String> recordedIds = new HashMap<>();
    final Map<String, Integer> ourIds = new HashMap<>();
    String authorization;
    String cookie;
    String lastChange;

    @BeforeEach
    void setUp() throws Exception {
        TestBundles.Spec spec = TestBundles.bundle();
        for (String d : DOCUMENTS) {
            spec.metadata(document(d));
        }
        Path bundle = spec.write(tmp.resolve("bundle"));
        TrustStore trust = TestBundles.trust(tmp.resolve("trust"), 1, ALICE);
        Path storeDir = tmp.resolve("store");
        Importer.importBundle(bundle, storeDir, trust, TestBundles.NOW, Progress.NONE);
        server = StoreServer.start(storeDir, "127.0.0.1", 0);
        for (String exchange : EXCHANGES) {
            String recorded = response(exchange);
            if (recorded != null) {
                Matcher m = UPDATE_INFO.matcher(recorded);
                while (m.find()) {
                    recordedIds.put(Integer.parseInt(m.group(1)), m.group(2).toLowerCase(Locale.ROOT));
                }
            }
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyRecordedRequestGetsTheRecordedAnswersStructure() throws Exception {
        for (String exchange : EXCHANGES) {
            String request = substituted(resource("requests/" + exchange + ".request.xml"));
            HttpResponse<String> answer = post(request);
            assertEquals(200, answer.statusCode(), exchange + ": " + answer.body());
            learn(answer.body());
            String recorded = response(exchange);
            if (recorded != null) {
                assertEquals(normalized(recorded, true), normalized(answer.body(), false), exchange);
            } else {
                assertTrue(answer.body().contains("<ReportEventBatchResult>true</ReportEventBatchResult>"), exchange);
            }
        }
        assertEquals(3, ourIds.size(), "the category chain of the scan: " + ourIds);

        // what an administrator reads afterwards: the computer as it registered, and the failed install it reported
        JsonNode clients = new ObjectMapper().readTree(get("clients.json"));
        JsonNode computer = clients.get("computers").get(0);
        assertEquals("REDACTED3", computer.get("name").asText());
        assertEquals("e1da06a3-5601-43c9-bac3-52d5db701494", computer.get("clientId").asText());
        assertEquals("10.0.26200", computer.get("osVersion").asText());
        assertEquals("1507.2601.30012.0", computer.get("clientVersion").asText());
        assertEquals(List.of("All Computers", "Unassigned Computers"),
                new ObjectMapper().convertValue(computer.get("groups"), List.class));
        JsonNode kb = null;
        for (JsonNode u : computer.get("updates")) {
            if (u.get("updateId").asText().equals("a2fef9b0-7951-4c2c-a42b-9e351dd1c1fe")) {
                kb = u;
            }
        }
        assertNotNull(kb, "KB2267602's events: " + computer);
        assertEquals("failed", kb.get("status").asText(), "182 (installation failure) was its last event");
        assertEquals(0x80246007, kb.get("win32HResult").asInt());
        assertTrue(get("clients").contains("REDACTED3"));
    }

    /** The recorded request with this server's cookies and revision ids. */
    private String substituted(String request) {
        String r = request;
        if (authorization != null) {
            r = r.replaceAll("<CookieData>[^<]*</CookieData>", "<CookieData>" + authorization + "</CookieData>");
        }
        if (cookie != null) {
            r = r.replaceAll("<cookie>.*?</cookie>", "<cookie>" + Matcher.quoteReplacement(cookie) + "</cookie>");
        }
        if (lastChange != null) {
            // GetCookie echoes GetConfig's LastChange (MS-WUSP 3.1.5.4); the recorded one is the recorded server's
            r = r.replaceAll("<lastChange>[^<]*</lastChange>", "<lastChange>" + lastChange + "</lastChange>");
        }
        Matcher m = Pattern.compile("<int>(\\d+)</int>").matcher(r);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            int recorded = Integer.parseInt(m.group(1));
            String update = recordedIds.get(recorded);
            Integer ours = update == null ? null : ourIds.get(update);
            // an id of an update this store does not hold: one this server never gave
            m.appendReplacement(out, "<int>" + (ours != null ? ours : 1_000_000_000 + recorded) + "</int>");
        }
        m.appendTail(out);
        return out.toString();
    }

    private void learn(String answer) {
        Matcher l = Pattern.compile("<LastChange>([^<]+)</LastChange>").matcher(answer);
        if (l.find()) {
            lastChange = l.group(1);
        }
        Matcher a = Pattern.compile("<CookieData>([^<]+)</CookieData>").matcher(answer);
        if (a.find()) {
            authorization = a.group(1);
        }
        Matcher c = Pattern.compile("<GetCookieResult>(.*?)</GetCookieResult>").matcher(answer);
        if (c.find()) {
            cookie = c.group(1);
        }
        Matcher m = UPDATE_INFO.matcher(answer);
        while (m.find()) {
            ourIds.put(m.group(2).toLowerCase(Locale.ROOT), Integer.parseInt(m.group(1)));
        }
    }

    /**
     * The document as lines of start tags (namespace, name, attributes), texts and end tags, with the values that
     * legitimately differ between the recorded server and ferry replaced by what they stand for.
     */
    private List<String> normalized(String xml, boolean recorded) throws Exception {
        String doc = recorded ? xml.replaceAll(
                "<ConfigurationProperty><Name>PackageServerShare</Name><Value>[^<]*</Value></ConfigurationProperty>", "")
                : xml;
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        XMLStreamReader r = f.createXMLStreamReader(new StringReader(doc));
        List<String> out = new ArrayList<>();
        Deque<String> path = new ArrayDeque<>();
        while (r.hasNext()) {
            switch (r.next()) {
                case XMLStreamConstants.START_ELEMENT -> {
                    StringBuilder sb = new StringBuilder("<{").append(r.getNamespaceURI() == null ? ""
                            : r.getNamespaceURI()).append('}').append(r.getLocalName());
                    for (int i = 0; i < r.getAttributeCount(); i++) {
                        sb.append(' ').append(r.getAttributeLocalName(i)).append('=').append(r.getAttributeValue(i));
                    }
                    out.add(sb.toString());
                    path.push(r.getLocalName());
                }
                case XMLStreamConstants.CHARACTERS -> {
                    if (!r.isWhiteSpace()) {
                        out.add("text " + value(path, r.getText(), recorded));
                    }
                }
                case XMLStreamConstants.END_ELEMENT -> out.add("</" + path.pop());
                default -> { }
            }
        }
        return out;
    }

    private String value(Deque<String> path, String text, boolean recorded) {
        String element = path.peek();
        String parent = path.size() > 1 ? List.copyOf(path).get(1) : "";
        switch (element) {
            case "Expiration", "EncryptedData", "CookieData" -> {
                return "(cookie)";
            }
            case "LastChange" -> {
                return "(configuration time)";
            }
            case "LastChangeTime" -> {
                return "(deployment date)";
            }
            default -> { }
        }
        if (element.equals("ID") && parent.equals("Deployment")) {
            return "(deployment id)";
        }
        if ((element.equals("ID") && Set.of("UpdateInfo", "Update").contains(parent))
                || (element.equals("int") && parent.equals("OutOfScopeRevisionIDs"))) {
            int id = Integer.parseInt(text.trim());
            if (recorded) {
                return "revision of " + recordedIds.get(id);
            }
            for (Map.Entry<String, Integer> e : ourIds.entrySet()) {
                if (e.getValue() == id) {
                    return "revision of " + e.getKey();
                }
            }
            return "revision id " + id + " unknown to the test";
        }
        return text;
    }

    private HttpResponse<String> post(String body) throws Exception {
        Matcher op = Pattern.compile("<s:Body><(\\w+) xmlns=\"([^\"]+)\"").matcher(body);
        assertTrue(op.find(), body);
        ClientOperation operation = ClientOperation.fromElement(op.group(2), op.group(1));
        assertNotNull(operation, op.group(1));
        HttpRequest request = HttpRequest.newBuilder(server.uri().resolve(operation.service().path()))
                .header("Content-Type", "text/xml; charset=utf-8")
                .header("SOAPAction", "\"" + operation.soapAction() + "\"")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private String get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path);
        return r.body();
    }

    private static String response(String exchange) throws IOException {
        try (InputStream in = ClientReplayTest.class.getResourceAsStream(
                "/wusp-real/responses/" + exchange + ".response.xml")) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String resource(String path) throws IOException {
        try (InputStream in = ClientReplayTest.class.getResourceAsStream("/wusp-real/" + path)) {
            if (in == null) {
                throw new IOException("missing test resource wusp-real/" + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** One of the nine real update documents the samples ship. */
    static String document(String name) throws IOException {
        try (InputStream in = ClientReplayTest.class.getResourceAsStream("/ferry/samples/wsus-real/" + name + ".xml")) {
            if (in == null) {
                throw new IOException("missing sample document " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
