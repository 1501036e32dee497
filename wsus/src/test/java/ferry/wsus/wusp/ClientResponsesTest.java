package ferry.wsus.wusp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ferry.wsus.XmlShape;
import ferry.wsus.soap.Messages.Cookie;
import ferry.wsus.soap.SoapVersion;
import ferry.wsus.wusp.ClientResponses.AuthPlugIn;
import ferry.wsus.wusp.ClientResponses.Deployment;
import ferry.wsus.wusp.ClientResponses.SyncInfo;
import ferry.wsus.wusp.ClientResponses.UpdateFragment;
import ferry.wsus.wusp.ClientResponses.UpdateInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each response, written from the values the real WSUS sent (test resources {@code wusp-real/responses/}), has the
 * recorded response's shape: the same elements in the same order and namespaces, with the same text.
 */
class ClientResponsesTest {

    @Test
    void getConfig() throws Exception {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("MaxExtendedUpdatesPerRequest", "50");
        properties.put("PackageServerShare", "\\\\REDACTED2\\UpdateServicesPackages");
        properties.put("ProtocolVersion", "3.2");
        properties.put("IsInventoryRequired", "0");
        properties.put("ClientReportingLevel", "2");
        byte[] written = ClientResponses.getConfig(SoapVersion.SOAP_11, new ClientResponses.Config(
                "2026-10-04T13:17:07.59Z", true,
                List.of(new AuthPlugIn("SimpleTargeting", "SimpleAuthWebService/SimpleAuth.asmx", null)), properties));
        assertSameShape("scan-000001", written);
    }

    @Test
    void handshake() throws Exception {
        String recorded = resource("scan-000002");
        assertSameShape("scan-000002", ClientResponses.getAuthorizationCookie(SoapVersion.SOAP_11, "SimpleTargeting",
                between(recorded, "CookieData")));
        assertSameShape("scan-000003", ClientResponses.getCookie(SoapVersion.SOAP_11, cookieOf(resource("scan-000003"))));
        assertSameShape("scan-000004", ClientResponses.registerComputer(SoapVersion.SOAP_11));
        assertSameShape("scan-000005", ClientResponses.startCategoryScan(SoapVersion.SOAP_11,
                List.of("dd78b8a1-0b20-45c1-add6-4da72e9364cf")));
        assertSameShape("flow-000016", ClientResponses.reportEventBatch(SoapVersion.SOAP_11, true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"scan-000006", "scan-000009", "flow-000001", "flow-000003", "flow-000013", "flow-000014"})
    void syncUpdatesPages(String exchange) throws Exception {
        String recorded = resource(exchange);
        List<UpdateInfo> updates = new ArrayList<>();
        Matcher m = Pattern.compile("<UpdateInfo>(.*?)</UpdateInfo>", Pattern.DOTALL).matcher(recorded);
        while (m.find()) {
            String u = m.group(1);
            Deployment d = null;
            Matcher dm = Pattern.compile("<Deployment>(.*?)</Deployment>", Pattern.DOTALL).matcher(u);
            if (dm.find()) {
                String x = dm.group(1);
                d = new Deployment(Integer.parseInt(between(x, "ID")), between(x, "Action"), null,
                        Boolean.parseBoolean(between(x, "IsAssigned")), between(x, "LastChangeTime"),
                        Integer.parseInt(between(x, "AutoSelect")), Integer.parseInt(between(x, "AutoDownload")),
                        Integer.parseInt(between(x, "SupersedenceBehavior")));
                u = u.replace(dm.group(0), "");
            }
            updates.add(new UpdateInfo(Integer.parseInt(between(u, "ID")), d, Boolean.parseBoolean(between(u, "IsLeaf")),
                    unescape(between(u, "Xml"))));
        }
        List<Integer> outOfScope = new ArrayList<>();
        Matcher o = Pattern.compile("<OutOfScopeRevisionIDs>(.*?)</OutOfScopeRevisionIDs>", Pattern.DOTALL).matcher(recorded);
        if (o.find()) {
            Matcher i = Pattern.compile("<int>(\\d+)</int>").matcher(o.group(1));
            while (i.find()) {
                outOfScope.add(Integer.parseInt(i.group(1)));
            }
        }
        String newCookie = recorded.substring(recorded.indexOf("<NewCookie>"));
        SyncInfo info = new SyncInfo(updates, outOfScope, Boolean.parseBoolean(between(recorded, "Truncated")),
                cookieOf(newCookie), Boolean.parseBoolean(between(recorded, "DriverSyncNotNeeded")));
        assertSameShape(exchange, ClientResponses.syncUpdates(SoapVersion.SOAP_11, info));
        if (exchange.equals("flow-000003")) {
            assertEquals(30, updates.size(), "a full page");
            assertTrue(info.truncated());
        }
    }

    @Test
    void getExtendedUpdateInfo() throws Exception {
        String recorded = resource("scan-000010");
        List<UpdateFragment> fragments = new ArrayList<>();
        Matcher m = Pattern.compile("<Update><ID>(\\d+)</ID><Xml>(.*?)</Xml></Update>", Pattern.DOTALL).matcher(recorded);
        while (m.find()) {
            fragments.add(new UpdateFragment(Integer.parseInt(m.group(1)), unescape(m.group(2))));
        }
        assertEquals(6, fragments.size());
        assertSameShape("scan-000010", ClientResponses.getExtendedUpdateInfo(SoapVersion.SOAP_11, fragments, List.of(),
                List.of()));
    }

    private static void assertSameShape(String exchange, byte[] written) throws IOException {
        assertEquals(XmlShape.of(resource(exchange)), XmlShape.of(new String(written, StandardCharsets.UTF_8)), exchange);
    }

    private static Cookie cookieOf(String xml) {
        return new Cookie(between(xml, "Expiration"), between(xml, "EncryptedData"));
    }

    private static String between(String xml, String element) {
        int from = xml.indexOf("<" + element + ">");
        int to = xml.indexOf("</" + element + ">", from);
        if (from < 0 || to < 0) {
            throw new AssertionError("no <" + element + "> in the recording");
        }
        return xml.substring(from + element.length() + 2, to);
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
    }

    private static String resource(String exchange) throws IOException {
        try (InputStream in = ClientResponsesTest.class.getResourceAsStream(
                "/wusp-real/responses/" + exchange + ".response.xml")) {
            if (in == null) {
                throw new IOException("missing test resource for " + exchange);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
