package ferry.wsus.client;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link UpstreamTrust} against a real HTTPS server on loopback whose certificates {@code openssl} made: the extra
 * PEM certificate is trusted, the host name is still checked against it, and without it the JVM's trust refuses.
 */
class UpstreamTrustTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void openssl() {
        assumeTrue(onPath("openssl"), "openssl is not installed (.ci/run installs it)");
    }

    @Test
    void pemCertificateIsTrustedButTheHostNameStillCounts() throws Exception {
        Path right = certificate("right", "IP:127.0.0.1");
        Path wrong = certificate("wrong", "DNS:elsewhere.invalid");

        try (Served s = serve("right")) {
            assertEquals("ok", get(UpstreamTrust.context(List.of(right)), s.uri));
            assertThrows(SSLHandshakeException.class, () -> get(UpstreamTrust.context(List.of()), s.uri),
                    "the JVM's default trust does not know a self-signed certificate");
        }
        try (Served s = serve("right"); ForwardProxy proxy = new ForwardProxy()) {
            HttpClient c = WsusClientOptions.defaults().withSslContext(UpstreamTrust.context(List.of(right)))
                    .withProxy(ProxyConfig.of(proxy.url(), null)).httpClient(HttpClient.Redirect.NEVER);
            assertEquals("ok", c.send(HttpRequest.newBuilder(s.uri).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertEquals(List.of("CONNECT 127.0.0.1:" + s.uri.getPort() + " HTTP/1.1"), proxy.requests,
                    "https is tunnelled through the proxy");
        }
        try (Served s = serve("wrong")) {
            SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                    () -> get(UpstreamTrust.context(List.of(wrong)), s.uri));
            assertTrue(String.valueOf(e.getMessage()).toLowerCase().contains("subject alternative"), e.getMessage());
        }
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UpstreamTrust.context(List.of(garbage)));
        assertTrue(e.getMessage().startsWith("upstream CA file " + garbage), e.getMessage());
    }

    private static String get(SSLContext ctx, URI uri) throws Exception {
        HttpClient c = WsusClientOptions.defaults().withSslContext(ctx).httpClient(HttpClient.Redirect.NEVER);
        return c.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private record Served(HttpsServer server, URI uri) implements AutoCloseable {
        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static Served serve(String name) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(name + ".p12"))) {
            ks.load(in, "pw".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "pw".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ctx));
        server.createContext("/", x -> {
            byte[] b = "ok".getBytes(StandardCharsets.US_ASCII);
            x.sendResponseHeaders(200, b.length);
            x.getResponseBody().write(b);
            x.close();
        });
        server.start();
        return new Served(server, URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/"));
    }

    private static Path certificate(String name, String san) throws Exception {
        Path crt = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-sha256", "-days", "2",
                "-nodes", "-keyout", key.toString(), "-out", crt.toString(), "-subj", "/CN=" + name,
                "-addext", "subjectAltName=" + san);
        run("openssl", "pkcs12", "-export", "-in", crt.toString(), "-inkey", key.toString(), "-out",
                dir.resolve(name + ".p12").toString(), "-passout", "pass:pw");
        return crt;
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }
}
