package ferry.wsus.wusp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ferry.wsus.UpdateIdentity;
import ferry.wsus.soap.SoapFormatException;
import ferry.wsus.soap.SoapVersion;
import ferry.wsus.wusp.ClientRequest.ReportEventBatch;
import ferry.wsus.wusp.ClientRequest.SyncUpdates;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every request a real Windows Update Agent sent a real WSUS (test resources {@code wusp-real/requests/}), and hostile ones. */
class ClientRequestReaderTest {
    private static final String CLIENT_ID = "e1da06a3-5601-43c9-bac3-52d5db701494";
    private static final String DEFENDER = "dd78b8a1-0b20-45c1-add6-4da72e9364cf";

    @Test
    void theHandshakeOfANativeClient() throws Exception {
        var config = assertInstanceOf(ClientRequest.GetConfig.class, recorded("scan-000001"));
        assertEquals("2.90", config.protocolVersion());

        var auth = assertInstanceOf(ClientRequest.GetAuthorizationCookie.class, recorded("scan-000002"));
        assertEquals(CLIENT_ID, auth.clientId());
        assertEquals("REDACTED3", auth.dnsName());
        assertNull(auth.targetGroupName(), "the recorded client had no targeting policy");
        var targeted = assertInstanceOf(ClientRequest.GetAuthorizationCookie.class, ClientRequestReader.read(in(envelope(
                "<GetAuthorizationCookie xmlns=\"" + ClientOperation.Service.SIMPLE_AUTH.namespace() + "\"><clientId>"
                        + CLIENT_ID + "</clientId><targetGroupName>Ring 1;Servers</targetGroupName><dnsName>pc</dnsName>"
                        + "</GetAuthorizationCookie>")), SoapVersion.SOAP_11));
        assertEquals("Ring 1;Servers", targeted.targetGroupName(), "client-side targeting, as the policy names it");

        var cookie = assertInstanceOf(ClientRequest.GetCookie.class, recorded("scan-000003"));
        assertEquals(1, cookie.authCookies().size());
        assertEquals("SimpleTargeting", cookie.authCookies().get(0).plugInId());
        assertEquals("2026-10-04T15:03:36Z", cookie.oldCookie().expiration());
        assertNull(cookie.oldCookie().encryptedData(), "a native oldCookie carries only Expiration");
        assertEquals("2026-10-04T13:17:07.59Z", cookie.lastChange());
        assertEquals("2.90", cookie.protocolVersion());

        var register = assertInstanceOf(ClientRequest.RegisterComputer.class, recorded("scan-000004"));
        assertEquals("2026-10-04T16:03:35.9967236Z", register.cookie().expiration());
        assertEquals("REDACTED3", register.computer().dnsName());
        assertEquals("10.0.26200", register.computer().osVersion());
        assertEquals("1507.2601.30012.0", register.computer().clientVersion());
        assertEquals("Windows 10 Pro", register.computer().osDescription());
        assertEquals("AMD64", register.computer().processorArchitecture());
        assertEquals("en-US", register.computer().osLocale());
        assertEquals(List.of("DnsName", "OSMajorVersion"), register.computer().fields().keySet().stream().limit(2).toList());

        var scan = assertInstanceOf(ClientRequest.StartCategoryScan.class, recorded("scan-000005"));
        assertEquals(List.of(new ClientRequest.CategoryRelationship(0, DEFENDER)), scan.requestedCategories());
    }

    @Test
    void theSyncUpdatesLoopOfACategoryScan() throws Exception {
        SyncUpdates first = assertInstanceOf(SyncUpdates.class, recorded("scan-000006"));
        assertNull(first.parameters().installedNonLeafUpdateIds(), "the first scan omits the arrays");
        assertNull(first.parameters().otherCachedUpdateIds());
        assertEquals(List.of(DEFENDER), first.parameters().filterCategoryIds());
        assertTrue(first.parameters().needTwoGroupOutOfScopeUpdates());
        assertEquals(-1, first.parameters().systemSpecDevices());
        assertTrue(first.parameters().deviceAttributes().startsWith("ActivationChannel=Retail;"));
        assertTrue(first.parameters().callerAttributes().contains("Id=OOBE ZDP"));

        assertEquals(1, ((SyncUpdates) recorded("scan-000007")).parameters().installedNonLeafUpdateIds().size());
        assertEquals(2, ((SyncUpdates) recorded("scan-000008")).parameters().installedNonLeafUpdateIds().size());

        SyncUpdates drivers = (SyncUpdates) recorded("scan-000009");
        assertTrue(drivers.parameters().skipSoftwareSync());
        assertEquals(70, drivers.parameters().systemSpecDevices());

        var extended = assertInstanceOf(ClientRequest.GetExtendedUpdateInfo.class, recorded("scan-000010"));
        assertEquals(List.of(72571, 108226, 108231), extended.revisionIds());
        assertEquals(List.of("Extended", "LocalizedProperties"), extended.infoTypes());
        assertEquals(List.of("en-US", "en"), extended.locales());
        assertEquals("USA", extended.geoId());
    }

    @Test
    void theSyncUpdatesPagesOfAFullScan() throws Exception {
        SyncUpdates page = (SyncUpdates) recorded("flow-000001");
        assertEquals(87, page.parameters().installedNonLeafUpdateIds().size());
        assertEquals(1029, page.parameters().otherCachedUpdateIds().size());
        assertTrue(page.parameters().filterCategoryIds().isEmpty());
        assertEquals(1337, ((SyncUpdates) recorded("flow-000013")).parameters().otherCachedUpdateIds().size());
        SyncUpdates drivers = (SyncUpdates) recorded("flow-000014");
        assertTrue(drivers.parameters().skipSoftwareSync());
        assertEquals(75, drivers.parameters().systemSpecDevices());
        assertEquals(94, drivers.parameters().installedNonLeafUpdateIds().size());
    }

    @Test
    void reportedEvents() throws Exception {
        ReportEventBatch batch = (ReportEventBatch) recorded("flow-000016");
        assertEquals("2026-10-04T15:20:47.397Z", batch.clientTime());
        assertEquals(List.of(147, 148, 148, 148), batch.events().stream().map(ClientRequest.ReportingEvent::eventId).toList());
        ClientRequest.ReportingEvent first = batch.events().get(0);
        assertEquals(CLIENT_ID, first.targetSid());
        assertEquals("fab199c1-6123-44f2-b01c-a5a92201b011", first.eventInstanceId());
        assertEquals(new UpdateIdentity("00000000-0000-0000-0000-000000000000", 0), first.update());
        assertEquals(101, first.sourceId());
        assertEquals("OOBE ZDP", first.appName());
        assertEquals(List.of("0"), first.replacementStrings());
        assertTrue(first.miscData().contains("AppName=OOBE ZDP"));
        assertEquals(List.of(148, 148, 147, 156, 147, 156, 161, 161, 181),
                ((ReportEventBatch) recorded("flow-000017")).events().stream().map(ClientRequest.ReportingEvent::eventId).toList());
        assertEquals(2, ((ReportEventBatch) recorded("flow-000018")).events().size());
    }

    @Test
    void soap12IsReadToo() throws Exception {
        String body = resource("scan-000010").replace("http://schemas.xmlsoap.org/soap/envelope/",
                "http://www.w3.org/2003/05/soap-envelope");
        var r = ClientRequestReader.read(in(body), SoapVersion.SOAP_12);
        assertEquals(List.of(72571, 108226, 108231), ((ClientRequest.GetExtendedUpdateInfo) r).revisionIds());
        assertThrows(SoapFormatException.class, () -> ClientRequestReader.read(in(body), SoapVersion.SOAP_11));
    }

    @Test
    void theInstalledNonLeafCapIsTheRealServers() throws Exception {
        assertEquals(400, ((SyncUpdates) ClientRequestReader.read(in(syncWithInstalled(400)), null))
                .parameters().installedNonLeafUpdateIds().size());
        SoapFormatException e = assertThrows(SoapFormatException.class,
                () -> ClientRequestReader.read(in(syncWithInstalled(401)), null));
        assertEquals("InstalledNonLeafUpdateIDs", e.parameter());
    }

    @Test
    void hostileRequestsAreRefused() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE s [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + envelope("<GetConfig xmlns=\"" + ClientOperation.Service.CLIENT.namespace()
                + "\"><protocolVersion>&x;</protocolVersion></GetConfig>");
        assertThrows(SoapFormatException.class, () -> ClientRequestReader.read(in(xxe), null));
        String laughs = "<?xml version=\"1.0\"?><!DOCTYPE s [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]>"
                + envelope("<GetConfig xmlns=\"" + ClientOperation.Service.CLIENT.namespace()
                + "\"><protocolVersion>&b;</protocolVersion></GetConfig>");
        assertThrows(SoapFormatException.class, () -> ClientRequestReader.read(in(laughs), null));

        String longName = envelope("<GetAuthorizationCookie xmlns=\"" + ClientOperation.Service.SIMPLE_AUTH.namespace()
                + "\"><clientId>" + CLIENT_ID + "</clientId><dnsName>" + "n".repeat(2000) + "</dnsName></GetAuthorizationCookie>");
        assertEquals("dnsName", assertThrows(SoapFormatException.class,
                () -> ClientRequestReader.read(in(longName), null)).parameter());

        String badId = envelope("<GetAuthorizationCookie xmlns=\"" + ClientOperation.Service.SIMPLE_AUTH.namespace()
                + "\"><clientId>../../etc</clientId></GetAuthorizationCookie>");
        assertEquals("clientId", assertThrows(SoapFormatException.class,
                () -> ClientRequestReader.read(in(badId), null)).parameter());

        StringBuilder manyDigests = new StringBuilder("<GetFileLocations xmlns=\"" + ClientOperation.Service.CLIENT.namespace()
                + "\"><fileDigests>");
        manyDigests.append("<base64Binary>AAAA</base64Binary>".repeat(ClientRequestReader.MAX_FILE_DIGESTS + 1));
        manyDigests.append("</fileDigests></GetFileLocations>");
        assertEquals("fileDigests", assertThrows(SoapFormatException.class,
                () -> ClientRequestReader.read(in(envelope(manyDigests.toString())), null)).parameter());

        String unknown = envelope("<DeleteEverything xmlns=\"" + ClientOperation.Service.CLIENT.namespace() + "\" />");
        assertNull(assertThrows(SoapFormatException.class, () -> ClientRequestReader.read(in(unknown), null)).parameter());
        // a WSUSSS (server-to-server) operation is not a client operation
        String serverSync = envelope("<GetAuthConfig xmlns=\"http://www.microsoft.com/SoftwareDistribution/Server/ServerSyncWebService\" />");
        assertThrows(SoapFormatException.class, () -> ClientRequestReader.read(in(serverSync), null));
    }

    private static String syncWithInstalled(int n) {
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < n; i++) {
            ids.append("<int>").append(100000 + i).append("</int>");
        }
        return envelope("<SyncUpdates xmlns=\"" + ClientOperation.Service.CLIENT.namespace() + "\"><cookie><Expiration>"
                + "2026-10-04T16:03:35Z</Expiration><EncryptedData>AAAA</EncryptedData></cookie><parameters>"
                + "<ExpressQuery>false</ExpressQuery><InstalledNonLeafUpdateIDs>" + ids + "</InstalledNonLeafUpdateIDs>"
                + "<SkipSoftwareSync>false</SkipSoftwareSync></parameters></SyncUpdates>");
    }

    private static String envelope(String body) {
        return "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>" + body + "</s:Body></s:Envelope>";
    }

    private static ClientRequest recorded(String exchange) throws Exception {
        return ClientRequestReader.read(in(resource(exchange)), SoapVersion.SOAP_11);
    }

    private static InputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String resource(String exchange) throws IOException {
        try (InputStream in = ClientRequestReaderTest.class.getResourceAsStream(
                "/wusp-real/requests/" + exchange + ".request.xml")) {
            if (in == null) {
                throw new IOException("missing test resource for " + exchange);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
