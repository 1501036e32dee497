package ferry.wsus.server;

import ferry.wsus.Fixtures;
import ferry.wsus.UpdateIdentity;
import ferry.wsus.cab.CabBlob;
import ferry.wsus.catalog.WsusCatalog;
import ferry.wsus.soap.SoapVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Done-when of issue 6: every request recorded from a real Windows Server 2025 WSUS ({@code wsus-real/exchanges/},
 * 19 exchanges) is replayed against ferry's server (real Jetty on 127.0.0.1) serving a real store that holds the
 * same updates (the nine recorded documents, imported metadata-only), in SOAP 1.1 as recorded and converted to
 * SOAP 1.2, and each response is compared structurally with the recorded one: HTTP status, Content-Type of the
 * version, element names, their order, namespaces and attribute names, and every text value except those named in
 * {@link #DIFFERING}. For SOAP 1.2 the recorded SOAP 1.1 answer is first turned into its SOAP 1.2 form: envelope
 * namespace, and a fault as MS-WSUSSS 2.2.9.2 specifies it (Code/Value, Reason/Text, Node, an unqualified Detail).
 *
 * <p>Requests carry the recorded server's cookies and anchors, which this server cannot read; before sending,
 * the test puts this server's own values in their place (the authorization cookie from GetAuthorizationCookie,
 * the cookie from GetCookie, the config anchor and revision anchor from a GetConfigData and a GetRevisionIdList it
 * made first). The anchor {@code garbage} of exchange 000018 is kept.
 */
class RecordedExchangeConformanceTest {

    /** Values that legitimately differ from the recorded ones, and why. Everything else must be equal. */
    static final Map<String, String> DIFFERING = Map.ofEntries(
            Map.entry("LastChange", "the time this server's configuration took effect"),
            Map.entry("CookieData", "authorization cookies are this server's own (HMAC-signed)"),
            Map.entry("Expiration", "cookies are this server's own, with their own expiry time"),
            Map.entry("EncryptedData", "cookies are this server's own (HMAC-signed)"),
            Map.entry("NewConfigAnchor", "anchors carry this server's counter and times"),
            Map.entry("Anchor", "anchors carry this server's change number and store epoch"),
            Map.entry("faultactor", "the service URL, with this server's host and port"),
            Map.entry("Node", "the service URL, with this server's host and port (SOAP 1.2 faultactor)"),
            Map.entry("ID", "a new GUID for every fault instance"),
            Map.entry("CatalogOnlySync", "the truth about this store: metadata-only here, so true; the recorded server held content"),
            Map.entry("LazySync", "the truth about this store; the recorded server was configured LazySync"),
            Map.entry("MUUrl", "bundles do not carry Microsoft Update URLs: empty for a file this server neither knows the URL of nor holds"),
            Map.entry("UssUrl", "this server's own content URL when it holds the file, else empty (the recorded server left it empty)"),
            Map.entry("XmlUpdateBlobCompressed", "cabinet bytes depend on the compressor; the document inside is compared instead"));

    /** The revisions of the catalog a GetRevisionIdList lists differ: the recorded server held 28,784, this one 9. */
    static final String REVISION_LIST = "NewRevisions";

    static final String DEFENDER_BUNDLE = "a2fef9b0-7951-4c2c-a42b-9e351dd1c1fe";

    @TempDir
    static Path dir;
    static StoreFixture fixture;
    static WsusServer server;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        fixture = new StoreFixture(dir.resolve("store"));
        List<String> docs = Arrays.stream(Fixtures.DOC_NAMES).map(Fixtures::doc).toList();
        fixture.importBundle(docs, null);
        WsusCatalog catalog = new WsusCatalog(fixture.store);
        server = WsusServer.start("127.0.0.1", 0, new StoreCatalog(catalog), new StoreContent(catalog));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        fixture.close();
    }

    @ParameterizedTest
    @EnumSource(SoapVersion.class)
    void everyRecordedExchangeIsAnsweredInTheRecordedShape(SoapVersion version) throws Exception {
        Values values = new Values();
        List<String> compared = new ArrayList<>();
        for (int n = 1; n <= 19; n++) {
            String exchange = String.format("%06d", n);
            String meta = Fixtures.text("exchanges/" + exchange + "/meta.json");
            String path = field(meta, "path");
            String action = field(meta, "soap_action");
            int status = Integer.parseInt(field(meta, "status"));
            String request = values.substitute(Fixtures.requestBody(exchange));
            Reply reply = post(version, path, action, request);
            String what = exchange + " " + action.substring(action.lastIndexOf('/') + 1) + " in " + version;
            assertEquals(status, reply.status, what + ": HTTP status");
            assertEquals(version.contentType(), reply.contentType, what + ": Content-Type");
            Shape expected = Shape.of(Fixtures.responseBody(exchange));
            if (version == SoapVersion.SOAP_12) {
                expected = toSoap12(expected);
            }
            Shape actual = Shape.of(reply.body);
            List<String> differences = new ArrayList<>();
            compare(expected, actual, "", differences);
            assertEquals(List.of(), differences, what + ": differs from the recorded answer\n" + reply.body);
            values.learn(exchange, actual, version, this::post);
            revisionsAsExpected(exchange, actual);
            compared.add(exchange);
        }
        assertEquals(19, compared.size());
    }

    @org.junit.jupiter.api.Test
    void theComparisonSeesADifferentShapeAndADifferentValue() {
        List<String> differences = new ArrayList<>();
        compare(Shape.of(Fixtures.responseBody("000005")), Shape.of(Fixtures.responseBody("000004")), "", differences);
        assertEquals(1, differences.size(), "the short answer's empty LanguageUpdateList: " + differences);
        differences.clear();
        String recorded = Fixtures.responseBody("000017");
        compare(Shape.of(recorded), Shape.of(recorded.replace("InternalServerError", "InvalidCookie")), "", differences);
        assertEquals(List.of("/Envelope/Body/Fault/detail/ErrorCode: text \"InvalidCookie\", recorded \"InternalServerError\""),
                differences);
    }

    /**
     * Which revisions each GetRevisionIdList lists, on this catalog. The recorded server's rule is followed
     * (product AND classification; Delta per id; no revisions for a classification the product has none in),
     * except for 000007, a product without any classification: the recorded server lists nothing, this server
     * lists the product's revisions, because ferry's own exporter asks that way for "every classification"
     * (a deliberate difference, in docs/wsus-compatibility.md).
     */
    private static void revisionsAsExpected(String exchange, Shape response) {
        Shape list = response.all(REVISION_LIST).stream().findFirst().orElse(null);
        if (list == null) {
            return;
        }
        Set<String> ids = list.all("UpdateID").stream().map(Shape::text).collect(Collectors.toSet());
        switch (exchange) {
            case "000006" -> assertEquals(Set.of("56309036-4c77-4dd9-951a-99ee9c246a94",
                    "6964aab4-c5b5-43bd-a17d-ffb4346a8e1d", "dd78b8a1-0b20-45c1-add6-4da72e9364cf"), ids,
                    "GetConfig=true lists the three stored categories");
            case "000009", "000010", "000007" -> {
                assertTrue(ids.contains(DEFENDER_BUNDLE), exchange + ": the Defender bundle is listed: " + ids);
                assertTrue(ids.contains("ccb78947-6453-4ecc-9de8-bc0305c98f2d"),
                        exchange + ": the hidden bundle it bundles is listed with it: " + ids);
            }
            case "000008", "000011", "000012" -> assertEquals(Set.of(), ids, exchange + ": nothing (as recorded)");
            default -> throw new AssertionError("unexpected revision list in " + exchange);
        }
    }

    static void compare(Shape expected, Shape actual, String at, List<String> out) {
        String here = at + "/" + expected.name();
        if (!expected.label().equals(actual.label())) {
            out.add(here + ": expected " + expected.label() + " but found " + actual.label());
            return;
        }
        if (expected.name().equals(REVISION_LIST)) {
            for (Shape c : actual.children()) {
                if (!c.name().equals("UpdateIdentity") || c.children().size() != 2
                        || !c.children().get(0).name().equals("UpdateID")
                        || !c.children().get(1).name().equals("RevisionNumber")) {
                    out.add(here + ": an item is not UpdateIdentity(UpdateID, RevisionNumber): " + c.label());
                }
            }
            return;
        }
        if (expected.name().equals("XmlUpdateBlobCompressed")) {
            try {
                String want = CabBlob.decode(Base64.getDecoder().decode(expected.text()));
                String got = CabBlob.decode(Base64.getDecoder().decode(actual.text()));
                if (!want.equals(got)) {
                    out.add(here + ": the compressed document differs");
                }
            } catch (Exception e) {
                out.add(here + ": cannot decode: " + e.getMessage());
            }
            return;
        }
        List<String> want = expected.children().stream().map(Shape::label).toList();
        List<String> got = actual.children().stream().map(Shape::label).toList();
        if (!want.equals(got)) {
            out.add(here + ": children " + got + ", recorded " + want);
            return;
        }
        for (int i = 0; i < want.size(); i++) {
            compare(expected.children().get(i), actual.children().get(i), here, out);
        }
        if (expected.children().isEmpty() && !DIFFERING.containsKey(expected.name())
                && !expected.text().equals(actual.text())) {
            out.add(here + ": text \"" + clip(actual.text()) + "\", recorded \"" + clip(expected.text()) + "\"");
        }
    }

    /** The recorded SOAP 1.1 answer in its SOAP 1.2 form. */
    static Shape toSoap12(Shape s) {
        String env11 = SoapVersion.SOAP_11.envelopeNamespace();
        String env12 = SoapVersion.SOAP_12.envelopeNamespace();
        if (s.namespace().equals(env11) && s.name().equals("Fault")) {
            Shape detail = s.child("detail");
            String code = s.child("faultcode").text().equals("soap:Client") ? "soap:Sender" : "soap:Receiver";
            List<Shape> children = new ArrayList<>();
            children.add(new Shape(env12, "Code", Set.of(), List.of(new Shape(env12, "Value", Set.of(), List.of(), code)), ""));
            children.add(new Shape(env12, "Reason", Set.of(), List.of(new Shape(env12, "Text",
                    Set.of("{http://www.w3.org/XML/1998/namespace}lang"), List.of(), s.child("faultstring").text())), ""));
            children.add(new Shape(env12, "Node", Set.of(), List.of(), s.child("faultactor").text()));
            children.add(new Shape("", "Detail", Set.of(), detail.children(), ""));
            return new Shape(env12, "Fault", Set.of(), children, "");
        }
        String ns = s.namespace().equals(env11) ? env12 : s.namespace();
        return new Shape(ns, s.name(), s.attributes(), s.children().stream().map(RecordedExchangeConformanceTest::toSoap12).toList(),
                s.text());
    }

    record Reply(int status, String contentType, String body) {
    }

    interface Poster {
        Reply post(SoapVersion version, String path, String action, String body) throws Exception;
    }

    Reply post(SoapVersion version, String path, String action, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.uri().getPort() + path));
        String xml = body;
        if (version == SoapVersion.SOAP_12) {
            xml = body.replace(SoapVersion.SOAP_11.envelopeNamespace(), SoapVersion.SOAP_12.envelopeNamespace());
            b.header("Content-Type", "application/soap+xml; charset=utf-8; action=\"" + action + "\"");
        } else {
            b.header("Content-Type", "text/xml; charset=utf-8").header("SOAPAction", "\"" + action + "\"");
        }
        HttpResponse<String> r = http.send(b.POST(HttpRequest.BodyPublishers.ofString(xml)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    }

    /** This server's values for what the recorded requests carry from the recorded server. */
    static final class Values {
        String cookieData;
        String expiration;
        String encryptedData;
        String configAnchor;
        String revisionAnchor;

        String substitute(String request) {
            String r = request;
            if (cookieData != null) {
                r = r.replaceAll("<CookieData>[^<]*</CookieData>", "<CookieData>" + cookieData + "</CookieData>");
            }
            if (encryptedData != null) {
                r = r.replaceAll("<Expiration>[^<]*</Expiration><EncryptedData>[^<]*</EncryptedData>",
                        "<Expiration>" + expiration + "</Expiration><EncryptedData>" + encryptedData + "</EncryptedData>");
            }
            if (configAnchor != null) {
                r = r.replaceAll("<configAnchor>[^<]*</configAnchor>", "<configAnchor>" + configAnchor + "</configAnchor>");
            }
            if (revisionAnchor != null) {
                r = r.replaceAll("<Anchor>[0-9]+,[^<]*</Anchor>", "<Anchor>" + revisionAnchor + "</Anchor>");
            }
            return r;
        }

        void learn(String exchange, Shape response, SoapVersion version, Poster poster) throws Exception {
            switch (exchange) {
                case "000002" -> cookieData = response.all("CookieData").get(0).text();
                case "000003" -> {
                    expiration = response.all("Expiration").get(0).text();
                    encryptedData = response.all("EncryptedData").get(0).text();
                    // this server's anchors, asked for the way a downstream server gets them
                    String cookie = "<cookie><Expiration>" + expiration + "</Expiration><EncryptedData>" + encryptedData
                            + "</EncryptedData></cookie>";
                    Reply config = poster.post(version, "/ServerSyncWebService/ServerSyncWebService.asmx",
                            "http://www.microsoft.com/SoftwareDistribution/GetConfigData", envelope(
                                    "<GetConfigData xmlns=\"http://www.microsoft.com/SoftwareDistribution\">" + cookie
                                            + "</GetConfigData>"));
                    configAnchor = Shape.of(config.body()).all("NewConfigAnchor").get(0).text();
                    Reply list = poster.post(version, "/ServerSyncWebService/ServerSyncWebService.asmx",
                            "http://www.microsoft.com/SoftwareDistribution/GetRevisionIdList", envelope(
                                    "<GetRevisionIdList xmlns=\"http://www.microsoft.com/SoftwareDistribution\">" + cookie
                                            + "<filter><GetConfig>false</GetConfig></filter></GetRevisionIdList>"));
                    revisionAnchor = Shape.of(list.body()).all("Anchor").get(0).text();
                }
                default -> { }
            }
        }

        private static String envelope(String body) {
            return "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap=\""
                    + SoapVersion.SOAP_11.envelopeNamespace() + "\"><soap:Body>" + body + "</soap:Body></soap:Envelope>";
        }
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\": \"?([^\",\\n]*)\"?").matcher(json);
        if (!m.find()) {
            throw new IllegalArgumentException("no " + name + " in meta.json");
        }
        return m.group(1);
    }

    private static String clip(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

}
