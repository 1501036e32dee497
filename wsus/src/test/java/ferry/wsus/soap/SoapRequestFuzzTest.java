package ferry.wsus.soap;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.ByteArrayInputStream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Fuzzes the upstream side's SOAP request parser with arbitrary request bodies. The only outcomes allowed: a
 * request, or {@link SoapFormatException} with a message; anything else (NullPointerException,
 * IllegalStateException, OutOfMemoryError, StackOverflowError, ...) is a finding. Seeds:
 * {@code SoapRequestFuzzTestInputs/request/}, the request bodies recorded from a real WSUS
 * ({@code wsus-real/exchanges/}), and {@code ferry-*.xml}: the request shapes without a recording (SOAP 1.2
 * envelopes, GetDeployments, DownloadFiles, Ping and the Reporting Web Service operations), written from
 * MS-WSUSSS 3.1.4.10-17.
 */
class SoapRequestFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void request(byte[] body) {
        try {
            SoapRequest request = SoapRequestReader.read(new ByteArrayInputStream(body));
            assertNotNull(request);
        } catch (SoapFormatException refused) {
            assertNotNull(refused.getMessage());
            assertFalse(refused.getMessage().isBlank());
        }
    }
}
