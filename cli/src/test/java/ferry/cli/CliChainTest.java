package ferry.cli;

import ferry.cli.InProcess.Result;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ferry.samples.SyntheticUpdates;
import ferry.server.Listeners;
import ferry.server.ServerLimits;
import ferry.server.StoreServer;
import ferry.server.TlsCredentials;
import ferry.wsus.UpdateIdentity;
import ferry.wsus.client.RevisionFilter;
import ferry.wsus.client.ServerSyncSession;
import ferry.wsus.client.SyncedUpdate;
import ferry.wsus.client.UpstreamTrust;
import ferry.wsus.client.WsusClient;
import ferry.wsus.client.WsusClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static ferry.cli.InProcess.ferry;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two air gaps in a row, through the real {@code ferry} subcommands: the sample upstream, ferry A (export, import,
 * serve over HTTPS with a certificate made by {@code openssl}), and ferry B exporting from A with
 * {@code --upstream-ca}, twice: the second time after A imported a second bundle with more updates, fetching only
 * what that bundle brought. After importing, B's store holds exactly A's revisions (the same documents, as both
 * serve them) and A's files.
 */
class CliChainTest {

    @TempDir
    Path dir;
    private ConnectedSide side;
    private Path key;
    private Path trust;
    private Path cert;
    private Path certKey;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(onPath("openssl"), "openssl is not installed (.ci/run installs it)");
        cert = dir.resolve("ferry-a.crt");
        certKey = dir.resolve("ferry-a.key");
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-sha256", "-days", "2",
                "-nodes", "-keyout", certKey.toString(), "-out", cert.toString(), "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        side = ConnectedSide.start(dir, "chain <chain@ferry.invalid>");
        Path keys = side.keys();
        trust = side.trust();
        key = keys.resolve("signer.sec.asc");
    }

    @AfterEach
    void stop() throws Exception {
        if (side != null) {
            side.close();
        }
    }

    @Test
    void ferryBExportsFromFerryAOverHttpsIncrementallyAndEndsUpWithTheSameStore() throws Exception {
        Path storeA = dir.resolve("store-a");
        Path storeB = dir.resolve("store-b");
        int port = freePort();

        // A: a first bundle (critical updates only) from the sample upstream, imported and served over HTTPS
        JsonNode a1 = export(side.upstream().uri().toString(), "a", "a1", "--classification", "Critical Updates");
        importInto(storeA, "a1");
        JsonNode b1;
        try (StoreServer a = serveA(storeA, port)) {
            assertEquals("https", a.uri().getScheme());
            Result untrusted = ferry("export", "--upstream", a.uri().toString(), "--product", "Contoso Widget",
                    "--state", dir.resolve("state-x").toString(), "--key", key.toString(), "--out",
                    dir.resolve("x").toString(), "--quiet");
            assertEquals(ExitCodes.UPSTREAM, untrusted.code, "A's certificate is not trusted without --upstream-ca: "
                    + untrusted.err);
            assertEquals(1, untrusted.err.strip().lines().count(), untrusted.err);
            assertTrue(untrusted.err.contains("certificate is not trusted"), untrusted.err);
            assertFalse(Files.exists(dir.resolve("x")));
            b1 = export(a.uri().toString(), "b", "b1", "--upstream-ca", cert.toString());
        }
        importInto(storeB, "b1");
        assertFalse(b1.at("/metadata/incremental").asBoolean());
        assertEquals(a1.at("/files/count").asInt(), b1.at("/files/downloaded").asInt(), "B downloaded A's files");
        assertEquals(a1.at("/revisions/added").asInt(), b1.at("/revisions/added").asInt(), "B carries what A imported");

        // A: a second bundle with more updates (every classification now), imported while A is down
        JsonNode a2 = export(side.upstream().uri().toString(), "a", "a2");
        assertTrue(a2.at("/revisions/added").asInt() > 0 && a2.at("/files/count").asInt() > 0, a2.toString());
        importInto(storeA, "a2");

        JsonNode b2;
        JsonNode b3;
        try (StoreServer a = serveA(storeA, port)) {
            b2 = export(a.uri().toString(), "b", "b2", "--upstream-ca", cert.toString());
            b3 = export(a.uri().toString(), "b", "b3", "--upstream-ca", cert.toString());
        }
        importInto(storeB, "b2");

        // the second run fetched only what A's second bundle brought
        assertTrue(b2.at("/metadata/incremental").asBoolean(), b2.toString());
        int newConfig = a2.at("/revisions/addedByType/Category").asInt() + a2.at("/revisions/addedByType/Detectoid").asInt();
        assertEquals(newConfig, b2.at("/metadata/categoriesFetched").asInt(), "only the new category documents");
        assertEquals(b1.at("/metadata/categoriesFetched").asInt(), b2.at("/metadata/categoriesHeld").asInt(),
                "every category document of the first run held");
        assertEquals(a2.at("/revisions/added").asInt() - newConfig, b2.at("/metadata/updatesFetched").asInt(),
                "only the new update documents");
        assertEquals(a2.at("/revisions/added").asInt(), b2.at("/revisions/added").asInt());
        assertEquals(a2.at("/files/count").asInt(), b2.at("/files/downloaded").asInt(), "only the new files");
        assertEquals(0, b2.at("/files/fromCache").asInt());
        assertEquals(a2.at("/files/bytes").asLong(), b2.at("/files/bytesDownloaded").asLong());
        assertFalse(b3.at("/bundleWritten").asBoolean(), "nothing new after that");
        assertEquals(0, b3.at("/metadata/updatesFetched").asInt() + b3.at("/metadata/categoriesFetched").asInt());

        // B's store equals A's: the same revisions with the same documents, and the same files
        try (StoreServer a = serveA(storeA, port);
             StoreServer b = StoreServer.start(storeB, "127.0.0.1", 0)) {
            Map<UpdateIdentity, String> inA = everything(a.uri(), true);
            Map<UpdateIdentity, String> inB = everything(b.uri(), false);
            assertEquals(inA.keySet(), inB.keySet(), "same revisions");
            assertEquals(inA, inB, "same documents");
            assertTrue(inA.size() >= a1.at("/revisions/added").asInt() + a2.at("/revisions/added").asInt());
        }
        assertEquals(objects(storeA), objects(storeB), "same files (content-addressed objects)");
        assertFalse(objects(storeA).isEmpty());
    }

    private StoreServer serveA(Path store, int port) throws Exception {
        return StoreServer.start(store, new Listeners("127.0.0.1", -1, port, TlsCredentials.fromPem(cert, certKey)),
                ServerLimits.defaults());
    }

    /** Every revision the served store lists (GetConfig=true, and the Contoso Widget product), with its document. */
    private Map<UpdateIdentity, String> everything(URI served, boolean tls) throws Exception {
        WsusClientOptions o = WsusClientOptions.defaults();
        if (tls) {
            o = o.withSslContext(UpstreamTrust.context(List.of(cert)));
        }
        ServerSyncSession s = new WsusClient(served, o).open();
        List<UpdateIdentity> ids = new ArrayList<>(s.getRevisionIdList(true, RevisionFilter.everything()).newRevisions());
        ids.addAll(s.getRevisionIdList(false, RevisionFilter.full(List.of(SyntheticUpdates.CONTOSO_WIDGET), List.of()))
                .newRevisions());
        Map<UpdateIdentity, String> out = new TreeMap<>();
        for (SyncedUpdate u : s.getUpdateData(ids)) {
            out.put(u.identity(), u.xml());
        }
        return out;
    }

    private static TreeSet<String> objects(Path store) throws Exception {
        try (Stream<Path> s = Files.walk(store.resolve("objects"))) {
            TreeSet<String> out = new TreeSet<>();
            s.filter(Files::isRegularFile).forEach(p -> out.add(store.resolve("objects").relativize(p).toString()));
            return out;
        }
    }

    private JsonNode export(String from, String channel, String out, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("export", "--upstream", from, "--product", "Contoso Widget",
                "--channel", channel, "--state", dir.resolve("state-" + channel).toString(), "--key", key.toString(),
                "--out", dir.resolve(out).toString(), "--quiet", "--json", "--retries", "1"));
        args.addAll(List.of(more));
        Result r = ferry(args.toArray(String[]::new));
        JsonNode result = new ObjectMapper().readTree(r.out);
        assertEquals(result.at("/bundleWritten").asBoolean() ? 0 : ExitCodes.NOTHING_NEW, r.code, r.err);
        return result;
    }

    private void importInto(Path store, String bundle) {
        Result r = ferry("import", dir.resolve(bundle).toString(), "--store", store.toString(), "--trust-store",
                trust.toString(), "--quiet");
        assertEquals(0, r.code, r.err);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }



    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd) + " did not finish");
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + text);
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
