package ferry.cli;

import ferry.cli.InProcess.Result;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ferry.samples.SyntheticUpdates;
import ferry.server.StoreServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static ferry.cli.InProcess.ferry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Windows computer's whole life with ferry, over loopback: sample upstream → {@code ferry export} → {@code ferry
 * import} → {@code ferry serve} (StoreServer) → the administrator approves KB5000102 for All Computers and declines
 * KB5000101 with {@code ferry approve} and {@code ferry decline} while the server runs → a scripted Windows Update
 * Agent walks GetConfig, GetAuthorizationCookie (at the SimpleAuth URL GetConfig names), GetCookie, RegisterComputer, the SyncUpdates software loop (its installed
 * non-leaf list computed from the Core fragments it receives: categories and detectoids evaluate installed, as on a
 * computer with Contoso Widget), the driver pass, GetExtendedUpdateInfo for the updates offered for install,
 * downloads their files by the returned URLs in parallel 1 MiB ranges, checks each file's SHA-1 and SHA-256 against
 * the Extended fragment, and reports download and install events → {@code ferry clients list} shows the computer
 * with the update installed. The declined update and the unapproved ones are never offered for install.
 */
class WindowsClientEndToEndTest {
    private static final String CLIENT_NS = "http://www.microsoft.com/SoftwareDistribution/Server/ClientWebService";
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;
    ConnectedSide side;
    Path store;

    @BeforeEach
    void start() throws Exception {
        side = ConnectedSide.start(dir, "e2e <e2e@ferry.invalid>");
        Path keys = side.keys();
        Path trust = side.trust();
        store = dir.resolve("store");
        Path bundle = dir.resolve("bundle");
        Result export = ferry("export", "--upstream", side.upstream().uri().toString(), "--channel", "contoso", "--state",
                dir.resolve("state").toString(), "--key", keys.resolve("signer.sec.asc").toString(), "--out",
                bundle.toString(), "--quiet", "--product", "Contoso Widget");
        assertEquals(0, export.code, export.err);
        Result imported = ferry("import", bundle.toString(), "--store", store.toString(), "--trust-store",
                trust.toString(), "--quiet");
        assertEquals(0, imported.code, imported.err);
    }

    @AfterEach
    void stop() throws Exception {
        side.close();
    }

    @Test
    void aComputerFindsDownloadsAndInstallsTheApprovedUpdateAndTheServerKnows() throws Exception {
        try (StoreServer server = StoreServer.start(store, "127.0.0.1", 0)) {
            Result approved = ferry("approve", "--store", store.toString(), "--kb", "5000102", "--group",
                    "All Computers");
            assertEquals(0, approved.code, approved.out + approved.err);
            Result declined = ferry("decline", "--store", store.toString(), "--update", SyntheticUpdates.KB5000101);
            assertEquals(0, declined.code, declined.out + declined.err);
            ScriptedClient pc = new ScriptedClient(server.uri(), "PC-E2E-01");
            pc.handshake();
            Map<Integer, Offer> offered = pc.scan();

            Set<String> installOffers = new LinkedHashSet<>();
            Set<String> seen = new LinkedHashSet<>();
            for (Offer o : offered.values()) {
                seen.add(o.updateId());
                if (o.action().equals("Install")) {
                    installOffers.add(o.updateId());
                }
            }
            assertEquals(Set.of(SyntheticUpdates.KB5000102), installOffers, "only the approved update, for install");
            assertFalse(seen.contains(SyntheticUpdates.KB5000101), "a declined update is never offered at all");
            assertTrue(seen.contains(SyntheticUpdates.KB5000103_BUNDLE), "unapproved updates are offered for evaluation");
            assertEquals("PreDeploymentCheck", offerOf(offered, SyntheticUpdates.KB5000103_BUNDLE).action());

            int kb102 = offerOf(offered, SyntheticUpdates.KB5000102).id();
            List<DownloadedFile> files = pc.download(kb102);
            assertEquals(1, files.size());
            assertTrue(files.get(0).size() > MIB, "the file spans more than one 1 MiB range");
            assertTrue(files.get(0).ranges() >= 2);
            pc.reportInstalled(SyntheticUpdates.KB5000102, offerOf(offered, SyntheticUpdates.KB5000102).revision(),
                    "Security Update for Contoso Widget 1.1 (KB5000102)");
        }

        Result listed = ferry("clients", "list", "--store", store.toString(), "--json");
        assertEquals(0, listed.code, listed.err);
        JsonNode computer = new ObjectMapper().readTree(listed.out).get("computers").get(0);
        assertEquals("PC-E2E-01", computer.get("name").asText());
        assertEquals("10.0.26200", computer.get("osVersion").asText());
        JsonNode update = computer.get("updates").get(0);
        assertEquals(SyntheticUpdates.KB5000102, update.get("updateId").asText());
        assertEquals("installed", update.get("status").asText(), listed.out);
        assertEquals(1, computer.get("updates").size(), "only approved updates are tracked: " + listed.out);
        Result text = ferry("clients", "list", "--store", store.toString());
        assertTrue(text.out.contains("PC-E2E-01") && text.out.contains("installed"), text.out);
    }

    private static Offer offerOf(Map<Integer, Offer> offered, String updateId) {
        return offered.values().stream().filter(o -> o.updateId().equals(updateId)).findFirst()
                .orElseThrow(() -> new AssertionError(updateId + " was not offered: " + offered));
    }

    record Offer(int id, String updateId, int revision, String updateType, String action, boolean leaf) {
    }

    record DownloadedFile(String name, long size, int ranges) {
    }

    /** A Windows Update Agent reduced to its protocol steps, with applicability evaluated from the metadata. */
    static final class ScriptedClient {
        final URI base;
        final String name;
        final String clientId = UUID.randomUUID().toString();
        final HttpClient http = HttpClient.newHttpClient();
        final String targetGroup;
        String cookie;

        ScriptedClient(URI base, String name) {
            this(base, name, null);
        }

        /** @param targetGroup the group names its policy sends (client-side targeting), or null */
        ScriptedClient(URI base, String name, String targetGroup) {
            this.base = base;
            this.name = name;
            this.targetGroup = targetGroup;
        }

        void handshake() throws Exception {
            String config = call("ClientWebService/client.asmx", "GetConfig",
                    "<protocolVersion>2.90</protocolVersion>");
            assertTrue(config.contains("<Name>ProtocolVersion</Name><Value>3.2</Value>"), config);
            assertTrue(config.contains("<IsRegistrationRequired>true</IsRegistrationRequired>"), config);
            String authUrl = between(config, "ServiceUrl");
            String auth = post(authUrl, "http://www.microsoft.com/SoftwareDistribution/Server/SimpleAuthWebService",
                    "GetAuthorizationCookie", "<clientId>" + clientId + "</clientId>" + (targetGroup == null ? ""
                            : "<targetGroupName>" + targetGroup + "</targetGroupName>") + "<dnsName>" + name
                            + "</dnsName>");
            String cookieData = between(auth, "CookieData");
            String got = call("ClientWebService/client.asmx", "GetCookie", "<authCookies><AuthorizationCookie>"
                    + "<PlugInId>SimpleTargeting</PlugInId><CookieData>" + cookieData + "</CookieData>"
                    + "</AuthorizationCookie></authCookies><lastChange>" + between(config, "LastChange")
                    + "</lastChange><protocolVersion>2.90</protocolVersion>");
            cookie = "<cookie>" + between(got, "GetCookieResult") + "</cookie>";
            call("ClientWebService/client.asmx", "RegisterComputer", cookie + "<computerInfo><DnsName>" + name
                    + "</DnsName><OSMajorVersion>10</OSMajorVersion><OSMinorVersion>0</OSMinorVersion>"
                    + "<OSBuildNumber>26200</OSBuildNumber><OSLocale>en-US</OSLocale>"
                    + "<ProcessorArchitecture>AMD64</ProcessorArchitecture><ClientVersionMajorNumber>1507"
                    + "</ClientVersionMajorNumber><OSDescription>Windows 11 Pro</OSDescription></computerInfo>");
        }

        /** The software loop of MS-WUSP 3.1.5.7, then the driver pass; every update received, by revision id. */
        Map<Integer, Offer> scan() throws Exception {
            Map<Integer, Offer> received = new LinkedHashMap<>();
            List<Integer> installedNonLeaf = new ArrayList<>();
            List<Integer> otherCached = new ArrayList<>();
            for (int round = 0; ; round++) {
                assertTrue(round < 50, "the software loop ends");
                String answer = call("ClientWebService/client.asmx", "SyncUpdates", cookie + "<parameters>"
                        + "<ExpressQuery>false</ExpressQuery>" + ints("InstalledNonLeafUpdateIDs", installedNonLeaf)
                        + ints("OtherCachedUpdateIDs", otherCached) + "<SkipSoftwareSync>false</SkipSoftwareSync>"
                        + "<NeedTwoGroupOutOfScopeUpdates>true</NeedTwoGroupOutOfScopeUpdates></parameters>");
                List<Offer> page = updates(answer);
                boolean nonLeaf = false;
                for (Offer o : page) {
                    assertFalse(received.containsKey(o.id()), "revision " + o.id() + " delivered twice");
                    received.put(o.id(), o);
                    // applicability from the metadata: categories are installed, the Contoso Widget detectoid finds
                    // the widget; software is evaluated by the installer, never reported as installed non-leaf
                    if (!o.leaf() && !o.updateType().equals("Software")) {
                        installedNonLeaf.add(o.id());
                        nonLeaf = true;
                    } else {
                        otherCached.add(o.id());
                    }
                }
                boolean truncated = Boolean.parseBoolean(between(answer, "Truncated"));
                if (page.isEmpty() || (!truncated && !nonLeaf)) {
                    break;
                }
            }
            String drivers = call("ClientWebService/client.asmx", "SyncUpdates", cookie + "<parameters>"
                    + ints("InstalledNonLeafUpdateIDs", installedNonLeaf) + "<SystemSpec><Device><HardwareIDs>"
                    + "<string>PCI\\VEN_8086</string></HardwareIDs></Device></SystemSpec>"
                    + "<SkipSoftwareSync>true</SkipSoftwareSync></parameters>");
            assertTrue(drivers.contains("<DriverSyncNotNeeded>true</DriverSyncNotNeeded>"), drivers);
            assertFalse(drivers.contains("<NewUpdates>"), drivers);
            return received;
        }

        /** GetExtendedUpdateInfo, then every file of the update in parallel 1 MiB ranges, digests checked. */
        List<DownloadedFile> download(int revisionId) throws Exception {
            String info = call("ClientWebService/client.asmx", "GetExtendedUpdateInfo", cookie + "<revisionIDs><int>"
                    + revisionId + "</int></revisionIDs><infoTypes><XmlUpdateFragmentType>Extended"
                    + "</XmlUpdateFragmentType><XmlUpdateFragmentType>LocalizedProperties</XmlUpdateFragmentType>"
                    + "</infoTypes><locales><string>en-US</string><string>en</string></locales>");
            String xml = unescape(info);
            Map<String, String> urls = new HashMap<>();
            Matcher loc = Pattern.compile("<FileLocation><FileDigest>([^<]+)</FileDigest><Url>([^<]+)</Url>")
                    .matcher(info);
            while (loc.find()) {
                urls.put(loc.group(1), loc.group(2));
            }
            List<DownloadedFile> out = new ArrayList<>();
            Matcher f = Pattern.compile("<File Digest=\"([^\"]+)\" DigestAlgorithm=\"SHA1\" FileName=\"([^\"]+)\""
                    + " Size=\"(\\d+)\"[^>]*>\\s*<AdditionalDigest Algorithm=\"SHA256\">([^<]+)</AdditionalDigest>")
                    .matcher(xml);
            while (f.find()) {
                String sha1 = f.group(1);
                long size = Long.parseLong(f.group(3));
                String url = urls.get(sha1);
                assertNotNull(url, "a FileLocation for " + f.group(2) + ": " + info);
                assertTrue(url.startsWith("http://" + base.getHost() + ":" + base.getPort() + "/Content/"), url);
                List<CompletableFuture<HttpResponse<byte[]>>> ranges = new ArrayList<>();
                for (long from = 0; from < size; from += MIB) {
                    long to = Math.min(size, from + MIB) - 1;
                    ranges.add(http.sendAsync(HttpRequest.newBuilder(URI.create(url)).header("Range", "bytes=" + from
                            + "-" + to).build(), HttpResponse.BodyHandlers.ofByteArray()));
                }
                MessageDigest s1 = MessageDigest.getInstance("SHA-1");
                MessageDigest s256 = MessageDigest.getInstance("SHA-256");
                long offset = 0;
                for (CompletableFuture<HttpResponse<byte[]>> r : ranges) {
                    HttpResponse<byte[]> piece = r.get();
                    assertEquals(206, piece.statusCode(), url);
                    long end = Math.min(size, offset + MIB) - 1;
                    assertEquals("bytes " + offset + "-" + end + "/" + size,
                            piece.headers().firstValue("Content-Range").orElse(""));
                    s1.update(piece.body());
                    s256.update(piece.body());
                    offset += piece.body().length;
                }
                assertEquals(size, offset);
                assertEquals(sha1, Base64.getEncoder().encodeToString(s1.digest()), "SHA-1 of " + f.group(2));
                assertEquals(f.group(4), Base64.getEncoder().encodeToString(s256.digest()), "SHA-256 of " + f.group(2));
                out.add(new DownloadedFile(f.group(2), size, ranges.size()));
            }
            assertFalse(out.isEmpty(), "the Extended fragment names the update's files: " + xml);
            return out;
        }

        /** The events a native agent sends around an install (inventory 9.4, 9.10): 147, then 167, 162, 181, 183. */
        void reportInstalled(String updateId, int revision, String title) throws Exception {
            StringBuilder events = new StringBuilder();
            events.append(event(147, "00000000-0000-0000-0000-000000000000", 0, "1"));
            for (int id : List.of(167, 162, 181, 183)) {
                events.append(event(id, updateId, revision, title));
            }
            String answer = post("ReportingWebService/ReportingWebService.asmx",
                    "http://www.microsoft.com/SoftwareDistribution", "ReportEventBatch", cookie
                            + "<clientTime>2026-11-29T10:00:00Z</clientTime><eventBatch>" + events + "</eventBatch>");
            assertTrue(answer.contains("<ReportEventBatchResult>true</ReportEventBatchResult>"), answer);
        }

        private String event(int eventId, String updateId, int revision, String replacement) {
            return "<ReportingEvent><BasicData><TargetID><Sid>" + clientId + "</Sid></TargetID><SequenceNumber>0"
                    + "</SequenceNumber><TimeAtTarget>2026-11-29T10:00:00Z</TimeAtTarget><EventInstanceID>"
                    + UUID.randomUUID() + "</EventInstanceID><NamespaceID>1</NamespaceID><EventID>" + eventId
                    + "</EventID><SourceID>101</SourceID><UpdateID><UpdateID>" + updateId + "</UpdateID><RevisionNumber>"
                    + revision + "</RevisionNumber></UpdateID><Win32HResult>0</Win32HResult><AppName>e2e</AppName>"
                    + "</BasicData><ExtendedData><ReplacementStrings><string>" + replacement + "</string>"
                    + "</ReplacementStrings><MiscData><string>Q=2</string></MiscData></ExtendedData><PrivateData/>"
                    + "</ReportingEvent>";
        }

        List<Offer> updates(String answer) {
            List<Offer> out = new ArrayList<>();
            Matcher m = Pattern.compile("<UpdateInfo><ID>(\\d+)</ID><Deployment><ID>\\d+</ID><Action>(\\w+)</Action>"
                    + ".*?</Deployment><IsLeaf>(\\w+)</IsLeaf><Xml>(.*?)</Xml></UpdateInfo>").matcher(answer);
            while (m.find()) {
                String core = unescape(m.group(4));
                Matcher id = Pattern.compile("<UpdateIdentity UpdateID=\"([^\"]+)\" RevisionNumber=\"(\\d+)\"").matcher(core);
                Matcher type = Pattern.compile("<Properties UpdateType=\"(\\w+)\"").matcher(core);
                assertTrue(id.find() && type.find(), core);
                out.add(new Offer(Integer.parseInt(m.group(1)), id.group(1).toLowerCase(Locale.ROOT),
                        Integer.parseInt(id.group(2)), type.group(1), m.group(2), Boolean.parseBoolean(m.group(3))));
            }
            return out;
        }

        String call(String path, String operation, String parameters) throws Exception {
            return post(path, CLIENT_NS, operation, parameters);
        }

        private String post(String path, String namespace, String operation, String parameters) throws Exception {
            String body = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><" + operation
                    + " xmlns=\"" + namespace + "\">" + parameters + "</" + operation + "></s:Body></s:Envelope>";
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path))
                    .header("Content-Type", "text/xml; charset=utf-8")
                    .header("SOAPAction", "\"" + namespace + "/" + operation + "\"")
                    .header("User-Agent", "Windows-Update-Agent/1507.2601.30012.0 Client-Protocol/2.90")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), operation + ": " + r.body());
            return r.body();
        }

        static String ints(String name, List<Integer> ids) {
            if (ids.isEmpty()) {
                return "";
            }
            StringBuilder b = new StringBuilder("<").append(name).append('>');
            ids.forEach(i -> b.append("<int>").append(i).append("</int>"));
            return b.append("</").append(name).append('>').toString();
        }
    }

    private static String between(String xml, String element) {
        int from = xml.indexOf("<" + element + ">");
        int to = xml.indexOf("</" + element + ">", from);
        assertTrue(from >= 0 && to >= 0, "no <" + element + "> in " + xml);
        return xml.substring(from + element.length() + 2, to);
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
    }
}
