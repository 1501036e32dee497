package ferry.cli;

import ferry.samples.SampleUpstream;
import ferry.store.Store;
import ferry.wsus.UpdateIdentity;
import ferry.wsus.soap.Messages.AuthorizationCookie;
import ferry.wsus.soap.Messages.Cookie;
import ferry.wsus.soap.Operation;
import ferry.wsus.soap.Soap;
import ferry.wsus.soap.SoapRequests;
import ferry.wsus.soap.SoapResponseReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ferry serve}: its exit codes when it cannot serve (the server module's typed exceptions, mapped here), and
 * its limit options reaching the running server.
 */
class ServeCommandTest {

    @TempDir
    Path tmp;

    @Test
    void aStoreHeldByAnotherRunIsExitCode5() throws Exception {
        Path storeDir = tmp.resolve("store");
        try (Store held = Store.open(storeDir, ferry.importer.Importer.catalogs())) {
            assertEquals(ExitCodes.LOCKED, Main.run("serve", "--store", storeDir.toString(), "--bind", "127.0.0.1",
                    "--port", "0"));
        }
    }

    @Test
    void aPortInUseIsExitCode2() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertEquals(ExitCodes.USAGE, Main.run("serve", "--store", tmp.resolve("store").toString(),
                    "--bind", "127.0.0.1", "--port", String.valueOf(taken.getLocalPort())));
        }
    }

    @Test
    void maxConnectionsPerAddressIsAppliedToTheRunningServer() throws Exception {
        Path storeDir = tmp.resolve("store");
        Store.open(storeDir, ferry.importer.Importer.catalogs()).close();
        CommandLine cl = Main.newCommandLine();
        ServeCommand serve = (ServeCommand) cl.getSubcommands().get("serve").getCommand();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        AtomicInteger exit = new AtomicInteger(-1);
        Thread running = new Thread(() -> exit.set(cl.execute("serve", "--store", storeDir.toString(),
                "--bind", "127.0.0.1", "--port", "0", "--max-connections-per-address", "2", "--idle-timeout", "60")));
        running.start();
        List<Socket> held = new ArrayList<>();
        try {
            int port = port(out);
            for (int i = 0; i < 2; i++) {
                Socket s = connect("127.0.0.1", port);
                held.add(s);
                assertEquals("HTTP/1.1 200 OK", statusLine(s), "connection " + (i + 1) + " of 2 is served");
            }
            try (Socket third = connect("127.0.0.1", port)) {
                assertNull(statusLine(third), "a third connection from the same address is closed on accept");
            }
            try (Socket other = connect("127.0.0.2", port)) {
                assertEquals("HTTP/1.1 200 OK", statusLine(other), "another address is still served");
            }
            held.remove(0).close();
            Thread.sleep(300); // the server notices the close
            try (Socket again = connect("127.0.0.1", port)) {
                assertEquals("HTTP/1.1 200 OK", statusLine(again), "a freed slot can be used again");
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
            serve.stop.countDown();
            running.join(10_000);
        }
        assertEquals(ExitCodes.OK, exit.get());
    }

    @Test
    void limitsThatAreNotPositiveAreUsageErrors() {
        for (String[] bad : List.of(new String[] {"--max-connections-per-address", "0"},
                new String[] {"--max-connections", "-1"}, new String[] {"--max-threads", "4"},
                new String[] {"--request-body-timeout", "0"}, new String[] {"--idle-timeout", "0"})) {
            CommandLine cl = Main.newCommandLine();
            StringWriter err = new StringWriter();
            cl.setErr(new PrintWriter(err, true));
            assertEquals(ExitCodes.USAGE, cl.execute("serve", "--store", tmp.resolve("store").toString(),
                    "--bind", "127.0.0.1", "--port", "0", bad[0], bad[1]), bad[0]);
            assertTrue(err.toString().contains("--max-threads must be at least 8"), err.toString());
            assertFalse(Files.exists(tmp.resolve("store")), "nothing was opened or created");
        }
    }

    @Test
    void plainBlobsSendsTheLargeDocumentAsPlainXmlWhereTheDefaultSendsACabinet() throws Exception {
        Path storeDir = tmp.resolve("store");
        try (SampleUpstream upstream = SampleUpstream.start(tmp.resolve("upstream-files"), "127.0.0.1", 0)) {
            Path keys = tmp.resolve("keys");
            Path trust = tmp.resolve("trust");
            assertEquals(0, Main.run("keys", "generate", "--out", keys.toString(), "--user-id", "t <t@ferry.invalid>"));
            assertEquals(0, Main.run("keys", "trust", keys.resolve("signer.pub.asc").toString(), "--trust-store",
                    trust.toString()));
            assertEquals(0, Main.run("export", "--upstream", upstream.uri().toString(), "--channel", "defender",
                    "--product", "Microsoft Defender Antivirus", "--classification", "Definition Updates",
                    "--metadata-only", "--state", tmp.resolve("state").toString(), "--key",
                    keys.resolve("signer.sec.asc").toString(), "--out", tmp.resolve("bundle").toString(), "--quiet"));
            assertEquals(0, Main.run("import", tmp.resolve("bundle").toString(), "--store", storeDir.toString(),
                    "--trust-store", trust.toString(), "--quiet"));
        }
        // KB2267602's bundle document: 69,570 UTF-16 bytes, which real servers send as a cabinet.
        UpdateIdentity big = new UpdateIdentity("a2fef9b0-7951-4c2c-a42b-9e351dd1c1fe", 200);
        String plain = serveAndGetUpdateData(storeDir, big, "--plain-blobs");
        assertTrue(plain.contains("<XmlUpdateBlob>") && !plain.contains("XmlUpdateBlobCompressed"), plain);
        assertTrue(plain.contains(big.updateId()), plain);
        String compressed = serveAndGetUpdateData(storeDir, big);
        assertTrue(compressed.contains("<XmlUpdateBlobCompressed>") && !compressed.contains("<XmlUpdateBlob>"), compressed);
    }

    /** Runs {@code ferry serve} with {@code options} and asks it GetUpdateData for {@code id}: the raw SOAP answer. */
    private String serveAndGetUpdateData(Path storeDir, UpdateIdentity id, String... options) throws Exception {
        CommandLine cl = Main.newCommandLine();
        ServeCommand serve = (ServeCommand) cl.getSubcommands().get("serve").getCommand();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        List<String> args = new ArrayList<>(List.of("serve", "--store", storeDir.toString(), "--bind", "127.0.0.1",
                "--port", "0"));
        args.addAll(List.of(options));
        AtomicInteger exit = new AtomicInteger(-1);
        Thread running = new Thread(() -> exit.set(cl.execute(args.toArray(String[]::new))));
        running.start();
        try {
            URI base = URI.create("http://127.0.0.1:" + port(out) + "/");
            AuthorizationCookie auth = SoapResponseReader.getAuthorizationCookie(soap(base.resolve(
                    Soap.DSS_AUTH_PATH.substring(1)), Operation.GET_AUTHORIZATION_COOKIE,
                    SoapRequests.getAuthorizationCookie("dss.example.org", "11111111-2222-3333-4444-555555555555")));
            URI sync = base.resolve(Soap.SERVER_SYNC_PATH.substring(1));
            Cookie cookie = SoapResponseReader.getCookie(soap(sync, Operation.GET_COOKIE,
                    SoapRequests.getCookie(auth, null, Soap.PROTOCOL_VERSION)));
            InputStream answer = soap(sync, Operation.GET_UPDATE_DATA, SoapRequests.getUpdateData(cookie, List.of(id)));
            return new String(answer.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            serve.stop.countDown();
            running.join(10_000);
            assertEquals(ExitCodes.OK, exit.get());
        }
    }

    private static InputStream soap(URI uri, Operation op, byte[] body) throws Exception {
        HttpResponse<InputStream> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
                .header("Content-Type", "text/xml; charset=utf-8").header("SOAPAction", "\"" + op.soapAction() + "\"")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode(), op.toString());
        return r.body();
    }

    @Test
    void helpListsEveryLimitAndWhyTheBodySizeHasNoOption() {
        CommandLine cl = Main.newCommandLine();
        String help = cl.getSubcommands().get("serve").getUsageMessage();
        for (String option : List.of("--max-connections-per-address", "--max-connections", "--max-threads",
                "--request-body-timeout", "--idle-timeout")) {
            assertTrue(help.contains(option), option + " in\n" + help);
        }
        assertTrue(help.contains("(default: 32)"), help);
        assertTrue(help.contains("4 MiB"), help);
        assertTrue(help.contains("--plain-blobs") && help.contains("XmlUpdateBlobCompressed"), help);
    }

    private static int port(StringWriter out) throws InterruptedException {
        Pattern served = Pattern.compile("at http://127\\.0\\.0\\.1:(\\d+)/");
        for (int i = 0; i < 200; i++) {
            Matcher m = served.matcher(out.toString());
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("serve did not start: " + out);
    }

    private static Socket connect(String from, int port) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        s.setSoTimeout(5_000);
        return s;
    }

    /** Sends a keep-alive request for the status page; @return the response's status line, or null if cut. */
    private static String statusLine(Socket s) throws IOException {
        try {
            s.getOutputStream().write("GET /status.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\r') {
                line.append((char) c);
            }
            return c < 0 ? null : line.toString();
        } catch (SocketException reset) {
            return null;
        }
    }
}
