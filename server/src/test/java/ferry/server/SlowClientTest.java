package ferry.server;

import ferry.store.Store;
import ferry.wsus.catalog.WsusCatalog;
import ferry.wsus.server.StoreCatalog;
import ferry.wsus.server.ContentHandler;
import ferry.wsus.server.ServerSyncHandler;
import ferry.wsus.server.ServerSyncSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finding 10 of issue 5: clients trickling SOAP bodies one byte at a time must not starve everyone else, on the
 * Jetty setup and handlers {@code ferry serve} uses. 64 slow
 * connections come from 127.0.0.2 (Linux routes all of 127/8 to loopback), a normal client from 127.0.0.1.
 */
class SlowClientTest {

    static final int SLOW_CLIENTS = 64;
    static final Duration BODY_TIMEOUT = Duration.ofSeconds(2);
    static final Duration PROMPT = Duration.ofSeconds(5);
    static final String GET_AUTH_CONFIG = "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope"
            + " xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><GetAuthConfig"
            + " xmlns=\"http://www.microsoft.com/SoftwareDistribution\"/></soap:Body></soap:Envelope>";

    @TempDir
    static Path dir;
    static Store store;
    static JettyServer server;
    static String contentPath;
    static byte[] data = "update payload".getBytes(StandardCharsets.US_ASCII);

    @BeforeAll
    static void start() throws Exception {
        String hex = HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-1").digest(data));
        Path file = Files.write(dir.resolve("blob.cab"), data);
        contentPath = "Content/" + hex.substring(38) + "/" + hex + ".cab";
        ServerLimits limits = ServerLimits.defaults().withTimes(BODY_TIMEOUT, Duration.ofSeconds(30));
        // the handlers StoreServer mounts, with a content resolver holding one file instead of an imported bundle
        store = Store.open(dir.resolve("store"), StoreServer.CATALOGS);
        server = JettyServer.start("127.0.0.1", 0, limits, List.of(
                new ServerSyncHandler(new StoreCatalog(new WsusCatalog(store)), ServerSyncSettings.defaults()),
                new ContentHandler(sha1 -> sha1.equals(hex) ? Optional.of(file) : Optional.empty()),
                new StatusHandler(store, new ServerTraffic())));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        store.close();
    }

    @Test
    void slowBodiesNeitherStarveOthersNorStayConnected() throws Exception {
        InetAddress slowSource = InetAddress.getByName("127.0.0.2");
        List<Socket> slow = new ArrayList<>();
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try {
            for (int i = 0; i < SLOW_CLIENTS; i++) {
                Socket s = new Socket();
                s.bind(new InetSocketAddress(slowSource, 0));
                s.connect(new InetSocketAddress("127.0.0.1", server.uri().getPort()), 5_000);
                try {
                    s.getOutputStream().write(("POST /ServerSyncWebService/ServerSyncWebService.asmx HTTP/1.1\r\n"
                            + "Host: 127.0.0.1\r\nContent-Type: text/xml; charset=utf-8\r\n"
                            + "SOAPAction: \"http://www.microsoft.com/SoftwareDistribution/GetAuthConfig\"\r\n"
                            + "Content-Length: 4000\r\n\r\n<?xml version=\"1.0\" encoding=\"utf-8\"?>").getBytes(StandardCharsets.US_ASCII));
                } catch (IOException alreadyCut) {
                    // over the per-address limit: closed on accept
                }
                slow.add(s);
            }
            // one space (valid XML, so the parser keeps waiting) every 500 ms per connection: never idle long enough
            // for the idle timeout
            trickle.scheduleAtFixedRate(() -> {
                for (Socket s : slow) {
                    try {
                        s.getOutputStream().write(' ');
                    } catch (IOException cut) {
                        // the server has cut this one
                    }
                }
            }, 500, 500, TimeUnit.MILLISECONDS);
            Thread.sleep(300);

            HttpClient http = HttpClient.newBuilder().connectTimeout(PROMPT).build();
            long start = System.nanoTime();
            HttpResponse<byte[]> content = http.send(HttpRequest.newBuilder(server.uri().resolve(contentPath))
                    .timeout(PROMPT).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, content.statusCode());
            assertEquals(new String(data, StandardCharsets.US_ASCII), new String(content.body(), StandardCharsets.US_ASCII));
            HttpResponse<String> soap = http.send(HttpRequest.newBuilder(
                            server.uri().resolve("ServerSyncWebService/ServerSyncWebService.asmx")).timeout(PROMPT)
                    .header("Content-Type", "text/xml; charset=utf-8")
                    .header("SOAPAction", "\"http://www.microsoft.com/SoftwareDistribution/GetAuthConfig\"")
                    .POST(HttpRequest.BodyPublishers.ofString(GET_AUTH_CONFIG)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, soap.statusCode(), soap.body());
            assertTrue(soap.body().contains("GetAuthConfigResult"), soap.body());
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(tookMs < PROMPT.toMillis(), "normal client took " + tookMs + " ms");

            long deadline = System.nanoTime() + BODY_TIMEOUT.plusSeconds(3).toNanos();
            for (Socket s : slow) {
                assertTrue(cutBefore(s, deadline), "slow connection " + s + " still open after the body timeout");
            }
        } finally {
            trickle.shutdownNow();
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    void chunkedBodyOverTheLimitGets413() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.uri().getPort())) {
            s.setSoTimeout((int) PROMPT.toMillis());
            OutputStream out = s.getOutputStream();
            out.write(("POST /ServerSyncWebService/ServerSyncWebService.asmx HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) ' ');
            try {
                for (int sent = 0; sent <= ServerLimits.defaults().maxRequestBodyBytes(); sent += chunk.length) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException closedEarly) {
                // the server may answer and close before reading everything
            }
            String status = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 413", status);
        }
    }

    /** True if the server closed {@code s} (EOF or reset) before {@code deadlineNanos}; any response bytes are skipped. */
    private static boolean cutBefore(Socket s, long deadlineNanos) throws IOException {
        InputStream in = s.getInputStream();
        byte[] buf = new byte[1024];
        while (true) {
            long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            s.setSoTimeout((int) left);
            try {
                if (in.read(buf) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException stillOpen) {
                return false;
            } catch (IOException reset) {
                return true;
            }
        }
    }
}
