package ferry.wsus.soap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The request shapes ferry reads beyond the recorded ones: the fuzz seeds {@code ferry-*.xml}, read as intended. */
class SoapRequestReaderTest {

    static byte[] seed(String name) throws IOException {
        try (InputStream in = SoapRequestReaderTest.class.getResourceAsStream("SoapRequestFuzzTestInputs/request/ferry-" + name + ".xml")) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"GetDeployments", "DownloadFiles", "Ping", "GetRollupConfiguration", "RollupDownstreamServers",
            "RollupComputers", "GetOutOfSyncComputers", "RollupComputerStatus", "soap12-GetAuthConfig", "soap12-GetRevisionIdList"})
    void eachSeedIsReadAsItsOperation(String name) throws Exception {
        SoapRequest r = SoapRequestReader.read(new ByteArrayInputStream(seed(name)));
        assertEquals(name.replace("soap12-", ""), r.operation().elementName());
    }

    @Test
    void theRequestsAreReadWithTheirParameters() throws Exception {
        var d = assertInstanceOf(SoapRequest.GetDeployments.class, SoapRequestReader.read(new ByteArrayInputStream(seed("GetDeployments"))));
        assertEquals("1,2026-10-04 16:33:26.671", d.deploymentAnchor());
        assertEquals("9438,2026-10-04 16:33:26.671", d.syncAnchor());
        var f = assertInstanceOf(SoapRequest.DownloadFiles.class, SoapRequestReader.read(new ByteArrayInputStream(seed("DownloadFiles"))));
        assertEquals(java.util.List.of("h/W9BGlYUAaqXTp30cZi/SiV3c0="), f.fileDigests());
        var r = assertInstanceOf(SoapRequest.Reporting.class, SoapRequestReader.read(new ByteArrayInputStream(seed("GetOutOfSyncComputers"))));
        assertEquals(1, r.items());
        var l = assertInstanceOf(SoapRequest.GetRevisionIdList.class,
                SoapRequestReader.read(new ByteArrayInputStream(seed("soap12-GetRevisionIdList")), SoapVersion.SOAP_12));
        assertTrue(l.filter().categories().get(0).delta());
    }

    @Test
    void anEnvelopeOfTheOtherVersionIsRefused() throws Exception {
        SoapFormatException e = assertThrows(SoapFormatException.class,
                () -> SoapRequestReader.read(new ByteArrayInputStream(seed("soap12-GetAuthConfig")), SoapVersion.SOAP_11));
        assertTrue(e.getMessage().contains("SOAP 1.2 envelope"), e.getMessage());
        assertThrows(SoapFormatException.class,
                () -> SoapRequestReader.read(new ByteArrayInputStream(seed("Ping")), SoapVersion.SOAP_12));
    }

    @Test
    void downloadFilesStopsReadingAfterAHundredDigests() throws Exception {
        String many = new String(seed("DownloadFiles"), StandardCharsets.UTF_8).replace("<base64Binary>h/W9BGlYUAaqXTp30cZi/SiV3c0=</base64Binary>",
                String.join("", Collections.nCopies(101, "<base64Binary>h/W9BGlYUAaqXTp30cZi/SiV3c0=</base64Binary>")));
        SoapFormatException e = assertThrows(SoapFormatException.class,
                () -> SoapRequestReader.read(new ByteArrayInputStream(many.getBytes(StandardCharsets.UTF_8))));
        assertEquals("fileDigestList", e.parameter());
    }

    @Test
    void theContentTypeNamesTheVersionAndTheSoap12Action() {
        assertEquals(SoapVersion.SOAP_12, SoapVersion.ofContentType("Application/SOAP+xml; charset=utf-8; action=\"x\""));
        assertEquals(SoapVersion.SOAP_11, SoapVersion.ofContentType("text/xml; charset=utf-8"));
        assertEquals(SoapVersion.SOAP_11, SoapVersion.ofContentType(null));
        assertEquals("http://www.microsoft.com/SoftwareDistribution/GetCookie", SoapVersion.actionParameter(
                "application/soap+xml; charset=utf-8; action=\"http://www.microsoft.com/SoftwareDistribution/GetCookie\""));
        assertEquals(null, SoapVersion.actionParameter("application/soap+xml; charset=utf-8"));
    }
}
