package ferry.wsus.soap;

import ferry.wsus.Fixtures;
import ferry.wsus.UpdateIdentity;
import ferry.wsus.XmlShape;
import ferry.wsus.cab.CabBlob;
import ferry.wsus.soap.Messages.AuthPlugIn;
import ferry.wsus.soap.Messages.ConfigData;
import ferry.wsus.soap.Messages.RevisionIdList;
import ferry.wsus.soap.Messages.ServerUpdateData;
import ferry.wsus.soap.Messages.UpdateData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading every recorded message and writing it back gives the recorded shape: same elements, order, namespaces. */
class SoapShapesTest {

    @ParameterizedTest
    @ValueSource(strings = {"000001", "000002", "000003", "000004", "000005", "000006", "000007", "000008", "000009",
        "000010", "000011", "000012", "000013", "000014", "000015", "000016", "000017", "000018"})
    void recordedRequestsReadAndRewriteToTheSameShape(String exchange) throws Exception {
        String recorded = Fixtures.requestBody(exchange);
        SoapRequest request = SoapRequestReader.read(in(recorded));
        byte[] rewritten;
        if (request instanceof SoapRequest.GetAuthConfig) {
            rewritten = SoapRequests.getAuthConfig();
        } else if (request instanceof SoapRequest.GetAuthorizationCookie r) {
            rewritten = SoapRequests.getAuthorizationCookie(r.accountName(), r.accountGuid());
        } else if (request instanceof SoapRequest.GetCookie r) {
            rewritten = SoapRequests.getCookie(r.authCookies().get(0), r.oldCookie(), r.protocolVersion());
        } else if (request instanceof SoapRequest.GetConfigData r) {
            rewritten = SoapRequests.getConfigData(r.cookie(), r.configAnchor());
        } else if (request instanceof SoapRequest.GetRevisionIdList r) {
            rewritten = SoapRequests.getRevisionIdList(r.cookie(), r.filter());
        } else {
            SoapRequest.GetUpdateData r = (SoapRequest.GetUpdateData) request;
            rewritten = SoapRequests.getUpdateData(r.cookie(), r.updateIds());
        }
        assertEquals(XmlShape.of(recorded), XmlShape.of(new String(rewritten, StandardCharsets.UTF_8)));
        assertTrue(new String(rewritten, StandardCharsets.UTF_8).startsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>"));
    }

    @Test
    void requestWithoutCookieReadsAsNullCookie() throws Exception {
        SoapRequest r = SoapRequestReader.read(in(Fixtures.requestBody("000019")));
        assertNull(((SoapRequest.GetRevisionIdList) r).cookie());
        assertTrue(((SoapRequest.GetRevisionIdList) r).filter().getConfig());
    }

    @Test
    void authConfigAndCookies() throws Exception {
        String recorded = Fixtures.responseBody("000001");
        List<AuthPlugIn> plugIns = SoapResponseReader.getAuthConfig(in(recorded));
        assertEquals(List.of(new AuthPlugIn("DssTargeting", "DssAuthWebService/DssAuthWebService.asmx")), plugIns);
        assertSameShape(recorded, SoapResponses.getAuthConfig(group(recorded, "LastChange"), plugIns));

        recorded = Fixtures.responseBody("000002");
        assertSameShape(recorded, SoapResponses.getAuthorizationCookie(SoapResponseReader.getAuthorizationCookie(in(recorded))));

        recorded = Fixtures.responseBody("000003");
        Messages.Cookie cookie = SoapResponseReader.getCookie(in(recorded));
        assertEquals("2026-10-04T20:33:26.654550Z", cookie.expirationInstant().toString());
        assertSameShape(recorded, SoapResponses.getCookie(cookie));
    }

    @ParameterizedTest
    @ValueSource(strings = {"000004", "000005"})
    void configData(String exchange) throws Exception {
        String recorded = Fixtures.responseBody(exchange);
        ConfigData config = SoapResponseReader.getConfigData(in(recorded));
        assertEquals(100, config.maxNumberOfUpdatesPerRequest());
        assertTrue(config.lazySync());
        assertEquals("1.20", config.protocolVersion());
        assertSameShape(recorded, SoapResponses.getConfigData(config));
        if (exchange.equals("000005")) {
            assertEquals("9438,2026-10-04 16:33:26.670", config.newConfigAnchor());
            assertEquals(new Messages.LanguageData(0, "all", "all", false), config.languages().get(0));
            assertTrue(config.languages().contains(new Messages.LanguageData(1033, "en", "English", true)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"000006", "000007", "000008", "000009", "000010", "000011", "000012"})
    void revisionIdLists(String exchange) throws Exception {
        String recorded = Fixtures.responseBody(exchange);
        RevisionIdList list = SoapResponseReader.getRevisionIdList(in(recorded));
        assertTrue(list.anchor().startsWith("9438,2026-10-04 16:33:26."));
        int expected = List.of("000006", "000009", "000010").contains(exchange) ? 30 : 0;
        assertEquals(expected, list.newRevisions().size());
        assertSameShape(recorded, SoapResponses.getRevisionIdList(list));
        if (exchange.equals("000006")) {
            assertEquals(new UpdateIdentity("e6cf1350-c01b-414d-a61f-263d14d133b4", 100), list.newRevisions().get(0));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"000013", "000014", "000015", "000016"})
    void updateData(String exchange) throws Exception {
        String recorded = Fixtures.responseBody(exchange);
        ServerUpdateData data = SoapResponseReader.getUpdateData(in(recorded));
        assertEquals(1, data.updates().size());
        UpdateData u = data.updates().get(0);
        assertEquals(Fixtures.firstId(exchange), u.id().toString());
        String xml = u.xmlUpdateBlob() != null ? u.xmlUpdateBlob() : CabBlob.decode(u.xmlUpdateBlobCompressed());
        assertEquals(Fixtures.doc(Fixtures.firstId(exchange)), xml);
        assertSameShape(recorded, SoapResponses.getUpdateData(data));
        if (exchange.equals("000014")) {
            assertEquals(List.of("h/W9BGlYUAaqXTp30cZi/SiV3c0="), u.fileDigests());
            assertEquals(new Messages.UrlData("h/W9BGlYUAaqXTp30cZi/SiV3c0=",
                    "http://download.windowsupdate.com/c/msdownload/update/software/defu/2026/10/am_delta_87f5bd0469585006aa5d3a77d1c662fd2895ddcd.exe",
                    null), data.fileUrls().get(0));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"000017", "000018", "000019"})
    void faults(String exchange) throws Exception {
        String recorded = Fixtures.responseBody(exchange);
        SoapFaultException e = assertThrows(SoapFaultException.class,
                () -> SoapResponseReader.getUpdateData(in(recorded)));
        SoapFault f = e.fault();
        assertSameShape(recorded, SoapResponses.fault(f));
        switch (exchange) {
            case "000017" -> {
                assertEquals("soap:Server", f.faultCode());
                assertEquals(SoapFault.INTERNAL_SERVER_ERROR, f.errorCode());
                assertEquals("", f.message());
                assertEquals("\"http://www.microsoft.com/SoftwareDistribution/GetUpdateData\"", f.method());
            }
            case "000018" -> {
                assertEquals("soap:Client", f.faultCode());
                assertEquals(SoapFault.INVALID_PARAMETERS, f.errorCode());
                assertEquals("filter", f.message());
            }
            default -> assertEquals(SoapFault.INVALID_COOKIE, f.errorCode());
        }
    }

    @Test
    void carriageReturnsInPlainBlobsSurvive() throws Exception {
        String xml = "<a>line1\r\nline2\rend &amp; \t</a>";
        byte[] body = SoapResponses.getUpdateData(new ServerUpdateData(
                List.of(new UpdateData(new UpdateIdentity("266f6222-c89d-43f2-9f8a-69340271e677", 1), xml, List.of(), null)),
                List.of()));
        assertEquals(xml, SoapResponseReader.getUpdateData(new ByteArrayInputStream(body)).updates().get(0).xmlUpdateBlob());
        assertThrows(IllegalArgumentException.class, () -> SoapResponses.getUpdateData(new ServerUpdateData(
                List.of(new UpdateData(new UpdateIdentity("266f6222-c89d-43f2-9f8a-69340271e677", 1), "\u0001", List.of(), null)),
                List.of())));
    }

    @Test
    void hostileSoapIsRefused() {
        String xxe = "<!DOCTYPE e [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>&x;</soap:Body></soap:Envelope>";
        SoapFormatException e = assertThrows(SoapFormatException.class, () -> SoapRequestReader.read(in(xxe)));
        assertTrue(e.getMessage().contains("DOCTYPE"), e.getMessage());
        assertThrows(SoapFormatException.class, () -> SoapResponseReader.getCookie(in(xxe)));
        assertThrows(SoapFormatException.class, () -> SoapRequestReader.read(in("<a/>")));
        assertThrows(SoapFormatException.class, () -> SoapRequestReader.read(in(
                "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><Evil xmlns=\"urn:x\"/></soap:Body></soap:Envelope>")));
        String deep = "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>"
                + "<GetAuthConfig xmlns=\"http://www.microsoft.com/SoftwareDistribution\">" + "<x>".repeat(100)
                + "</x>".repeat(100) + "</GetAuthConfig></soap:Body></soap:Envelope>";
        assertThrows(SoapFormatException.class, () -> SoapRequestReader.read(in(deep)));
        String badId = Fixtures.requestBody("000013").replace("a2fef9b0-7951-4c2c-a42b-9e351dd1c1fe", "../../etc/passwd");
        SoapFormatException bad = assertThrows(SoapFormatException.class, () -> SoapRequestReader.read(in(badId)));
        assertEquals("updateIds", bad.parameter());
        assertThrows(SoapFormatException.class, () -> SoapResponseReader.getCookie(in(Fixtures.responseBody("000001"))),
                "a GetAuthConfig response is not a GetCookie response");
    }

    private static void assertSameShape(String recorded, byte[] written) {
        assertEquals(XmlShape.of(recorded), XmlShape.of(new String(written, StandardCharsets.UTF_8)));
    }

    private static String group(String text, String element) {
        Matcher m = Pattern.compile("<" + element + ">([^<]*)</" + element + ">").matcher(text);
        assertTrue(m.find());
        return m.group(1);
    }

    private static ByteArrayInputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
