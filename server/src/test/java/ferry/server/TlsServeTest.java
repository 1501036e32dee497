package ferry.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * HTTPS with certificates and keys made by the real {@code openssl}, checked by a JDK client that trusts only that
 * certificate and by {@code openssl s_client} for the protocol versions offered.
 */
class TlsServeTest {
    @TempDir
    static Path dir;
    static Path cert;
    static Path key;

    @BeforeAll
    static void certificate() throws Exception {
        assumeTrue(onPath("openssl"), "openssl is not installed (.ci/run installs it)");
        cert = dir.resolve("ferry.crt");
        key = dir.resolve("ferry.key");
        run(null, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-sha256", "-days", "2", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
    }

    @Test
    void httpAndHttpsServeTheSameStore() throws Exception {
        Listeners listen = new Listeners("127.0.0.1", 0, 0, TlsCredentials.fromPem(cert, key));
        try (StoreServer server = StoreServer.start(dir.resolve("store-both"), listen, ServerLimits.defaults())) {
            assertEquals(2, server.uris().size());
            URI http = server.uris().get(0);
            URI https = server.uris().get(1);
            assertEquals("http", http.getScheme());
            assertEquals("https", https.getScheme());
            String plain = get(HttpClient.newHttpClient(), http.resolve("status.json"));
            String secure = get(trusting(cert), https.resolve("status.json"));
            assertEquals(new ObjectMapper().readTree(plain).get("counts"), new ObjectMapper().readTree(secure).get("counts"));
        }
    }

    @Test
    void httpsOnlyRefusesPlainHttpAndUntrustingClients() throws Exception {
        Listeners listen = new Listeners("127.0.0.1", -1, 0, TlsCredentials.fromPem(cert, key));
        try (StoreServer server = StoreServer.start(dir.resolve("store-tls"), listen, ServerLimits.defaults())) {
            URI https = server.uri();
            assertEquals("https", https.getScheme());
            HttpClient defaultTrust = HttpClient.newHttpClient();
            assertThrows(SSLHandshakeException.class, () -> get(defaultTrust, https.resolve("status.json")),
                    "a client that does not trust the certificate is refused by its own check");
            URI asPlain = URI.create("http://127.0.0.1:" + https.getPort() + "/status.json");
            HttpResponse<String> r;
            try {
                r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(asPlain).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(400, r.statusCode(), "plain HTTP on the TLS port gets no content");
            } catch (java.io.IOException expected) {
                // Jetty may simply close the connection
            }
        }
    }

    @Test
    void onlyTls12AndTls13AreOffered() throws Exception {
        Listeners listen = new Listeners("127.0.0.1", -1, 0, TlsCredentials.fromPem(cert, key));
        try (StoreServer server = StoreServer.start(dir.resolve("store-versions"), listen, ServerLimits.defaults())) {
            String at = "127.0.0.1:" + server.uri().getPort();
            assertTrue(sClient(at, "-tls1_3").contains("New, TLSv1.3"));
            assertTrue(sClient(at, "-tls1_2").contains("New, TLSv1.2"));
            // SECLEVEL=0 lets the client offer TLS 1.1 at all, so a failure is the server's refusal.
            String old = sClient(at, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");
            assertTrue(old.contains("alert protocol version"), "the server answers TLS 1.1 with a protocol_version alert: " + old);
        }
    }

    @Test
    void pkcs12WithAPasswordIsUsedAndAWrongPasswordIsNamed() throws Exception {
        Path p12 = dir.resolve("ferry.p12");
        run(null, "openssl", "pkcs12", "-export", "-in", cert.toString(), "-inkey", key.toString(),
                "-out", p12.toString(), "-passout", "pass:s3cret");
        TlsCredentials tls = TlsCredentials.fromPkcs12(p12, "s3cret".toCharArray());
        try (StoreServer server = StoreServer.start(dir.resolve("store-p12"), new Listeners("127.0.0.1", -1, 0, tls),
                ServerLimits.defaults())) {
            assertTrue(get(trusting(cert), server.uri().resolve("status.json")).contains("\"counts\""));
        }
        ServeException e = assertThrows(ServeException.class, () -> TlsCredentials.fromPkcs12(p12, "wrong".toCharArray()));
        assertTrue(e.getMessage().startsWith("TLS key store " + p12 + ": cannot read it"), e.getMessage());
    }

    @Test
    void aKeyOfAnotherCertificateOrAnEncryptedKeyIsRefusedWithTheFileNamed() throws Exception {
        Path otherKey = dir.resolve("other.key");
        run(null, "openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", otherKey.toString());
        ServeException wrong = assertThrows(ServeException.class, () -> TlsCredentials.fromPem(cert, otherKey));
        assertTrue(wrong.getMessage().startsWith("TLS key " + otherKey + " does not belong to the certificate"),
                wrong.getMessage());

        Path encrypted = dir.resolve("encrypted.key");
        run(null, "openssl", "pkcs8", "-topk8", "-in", key.toString(), "-out", encrypted.toString(),
                "-passout", "pass:x");
        ServeException enc = assertThrows(ServeException.class, () -> TlsCredentials.fromPem(cert, encrypted));
        assertTrue(enc.getMessage().contains("is encrypted"), enc.getMessage());

        Path notPem = Files.writeString(dir.resolve("not.pem"), "hello\n");
        ServeException none = assertThrows(ServeException.class, () -> TlsCredentials.fromPem(notPem, key));
        assertEquals("TLS certificate " + notPem + ": holds no PEM certificate", none.getMessage());
    }

    @Test
    void listenersRefuseNothingToServeAndHttpsWithoutCredentials() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> new Listeners("127.0.0.1", -1, -1, null));
        assertThrows(IllegalArgumentException.class, () -> new Listeners("127.0.0.1", 8530, 8531, null));
        assertThrows(IllegalArgumentException.class,
                () -> new Listeners("127.0.0.1", 8530, -1, TlsCredentials.fromPem(cert, key)));
    }

    private static String get(HttpClient client, URI uri) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), uri.toString());
        return r.body();
    }

    private static HttpClient trusting(Path certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            trust.setCertificateEntry("ferry", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).build();
    }

    private static String sClient(String at, String... options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", at, "-servername", "localhost"));
        cmd.addAll(List.of(options));
        return run("Q\n", cmd.toArray(new String[0]));
    }

    /** Runs a command with {@code stdin}, returns stdout and stderr together; fails only on a timeout. */
    private static String run(String stdin, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.US_ASCII));
            }
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not finish");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (!cmd[1].equals("s_client") && p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed: " + text);
        }
        return text;
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
