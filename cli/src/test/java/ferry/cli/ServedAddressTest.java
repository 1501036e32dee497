package ferry.cli;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ferry serve} never prints an address nobody can connect to. */
class ServedAddressTest {

    @Test
    void wildcardBindIsShownAsThisHostOnAllInterfaces() throws Exception {
        String host = InetAddress.getLocalHost().getHostName();
        for (String bound : new String[] {"http://0.0.0.0:8530/", "http://[::]:8530/"}) {
            String shown = ServedAddress.describe(URI.create(bound));
            assertEquals("http://" + host + ":8530/ (listening on all interfaces)", shown, bound);
            assertFalse(shown.contains("0.0.0.0") || shown.contains("[::]"), shown);
        }
    }

    @Test
    void aSpecificAddressIsShownAsBound() {
        assertEquals("http://127.0.0.1:8530/", ServedAddress.describe(URI.create("http://127.0.0.1:8530/")));
        assertTrue(ServedAddress.describe(URI.create("http://[::1]:1/")).startsWith("http://[::1]:1/"));
    }
}
