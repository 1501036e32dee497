package ferry.samples;

import ferry.wsus.metadata.UpdateDocument;
import ferry.wsus.metadata.UpdateFile;
import ferry.wsus.server.WsusServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sample upstream cannot be held by slow clients: more clients than it has worker threads, each trickling a SOAP
 * body one byte every 500 ms (never idle long enough for the idle timeout), neither keep a normal client from being
 * served promptly nor stay connected past the request-body deadline. Before the sample upstream had limits, each of
 * them pinned a worker thread in a blocking read for as long as it kept going.
 */
class SlowClientTest {

    static final Duration BODY_TIMEOUT = Duration.ofSeconds(2);
    static final Duration PROMPT = Duration.ofSeconds(5);
    static final String GET_AUTH_CONFIG = "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope"
            + " xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><GetAuthConfig"
            + " xmlns=\"http://www.microsoft.com/SoftwareDistribution\"/></soap:Body></soap:Envelope>";

    @TempDir
    Path dir;

    @Test
    void slowBodiesNeitherStarveOthersNorStayConnected() throws Exception {
        WsusServer.Limits limits = WsusServer.Limits.defaults().withTimes(BODY_TIMEOUT, Duration.ofSeconds(30));
        int slowClients = limits.maxThreads() + 8;
        try (SampleUpstream upstream = SampleUpstream.start(dir, "127.0.0.1", 0, 0, limits)) {
            UpdateFile file = upstream.catalog().documents().stream().filter(d -> d.title().contains("Contoso"))
                    .map(UpdateDocument::files).filter(f -> !f.isEmpty()).findFirst().orElseThrow().get(0);
            byte[] expected = Files.readAllBytes(upstream.catalog()
                    .resolve(ferry.wsus.ContentUrls.sha1Hex(file.sha1Base64())).orElseThrow());
            int port = upstream.uri().getPort();
            List<Socket> slow = new ArrayList<>();
            ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
            try {
                for (int i = 0; i < slowClients; i++) {
                    Socket s = new Socket("127.0.0.1", port);
                    s.getOutputStream().write(("POST /ServerSyncWebService/ServerSyncWebService.asmx HTTP/1.1\r\n"
                            + "Host: 127.0.0.1\r\nContent-Type: text/xml; charset=utf-8\r\n"
                            + "SOAPAction: \"http://www.microsoft.com/SoftwareDistribution/GetAuthConfig\"\r\n"
                            + "Content-Length: 4000\r\n\r\n<?xml version=\"1.0\" encoding=\"utf-8\"?>")
                            .getBytes(StandardCharsets.US_ASCII));
                    slow.add(s);
                }
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
                HttpResponse<byte[]> content = http.send(HttpRequest.newBuilder(upstream.uri().resolve(
                        SampleCatalog.contentPath(file))).timeout(PROMPT).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, content.statusCode());
                assertArrayEquals(expected, content.body());
                HttpResponse<String> soap = http.send(HttpRequest.newBuilder(
                                upstream.uri().resolve("ServerSyncWebService/ServerSyncWebService.asmx"))
                        .timeout(PROMPT).header("Content-Type", "text/xml; charset=utf-8")
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
    }

    @Test
    void aBodyOverTheLimitGets413() throws Exception {
        try (SampleUpstream upstream = SampleUpstream.start(dir, "127.0.0.1", 0);
             Socket s = new Socket("127.0.0.1", upstream.uri().getPort())) {
            s.setSoTimeout((int) PROMPT.toMillis());
            s.getOutputStream().write(("POST /ServerSyncWebService/ServerSyncWebService.asmx HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\nContent-Length: " + (WsusServer.Limits.defaults().maxRequestBodyBytes() + 1)
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] head = new byte[12];
            int n = s.getInputStream().readNBytes(head, 0, head.length);
            assertEquals("HTTP/1.1 413", new String(head, 0, n, StandardCharsets.US_ASCII));
        }
    }

    /** Whether the server closes {@code s} (EOF or reset) before {@code deadline} (System.nanoTime). */
    static boolean cutBefore(Socket s, long deadline) throws IOException {
        InputStream in = s.getInputStream();
        byte[] buf = new byte[1024];
        while (System.nanoTime() < deadline) {
            s.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
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
        return false;
    }
}
