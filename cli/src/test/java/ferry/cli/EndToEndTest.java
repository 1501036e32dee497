package ferry.cli;

import ferry.cli.InProcess.Result;
import ferry.server.StoreServer;
import ferry.samples.SyntheticUpdates;
import ferry.wsus.ContentUrls;
import ferry.wsus.UpdateIdentity;
import ferry.wsus.client.RevisionFilter;
import ferry.wsus.client.ServerSyncSession;
import ferry.wsus.client.SyncedUpdate;
import ferry.wsus.client.WsusClient;
import ferry.wsus.client.WsusClientOptions;
import ferry.wsus.metadata.UpdateDocument;
import ferry.wsus.metadata.UpdateFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static ferry.cli.InProcess.ferry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The main job end to end over loopback, through the real {@code ferry} subcommands: sample upstream → export →
 * verify → import → serve → synchronize from the served store with the MS-WSUSSS client. Real HTTP, real
 * OpenPGP signatures, a real H2 store.
 */
class EndToEndTest {

    @TempDir
    Path dir;

    private ConnectedSide side;
    private Path keys;
    private Path trust;
    private Path store;

    @BeforeEach
    void start() throws Exception {
        side = ConnectedSide.start(dir, "e2e <e2e@ferry.invalid>");
        keys = side.keys();
        trust = side.trust();
        store = dir.resolve("store");
    }

    @AfterEach
    void stop() throws Exception {
        side.close();
    }

    @Test
    void updatesArriveIdenticalAndEveryFileMatchesItsSha256() throws Exception {
        Path contoso = dir.resolve("bundle-contoso");
        Path defender = dir.resolve("bundle-defender");
        assertEquals(0, export(contoso, "contoso", "--product", "Contoso Widget", "--volume-size", "256KiB").code);
        assertEquals(0, export(defender, "defender", "--product", "Microsoft Defender Antivirus",
                "--classification", "Definition Updates", "--metadata-only").code);

        for (Path bundle : List.of(contoso, defender)) {
            Result verify = ferry("verify", bundle.toString(), "--trust-store", trust.toString(), "--quiet");
            assertEquals(0, verify.code, verify.out + verify.err);
            assertTrue(verify.out.startsWith("OK"), verify.out);
            Result imported = ferry("import", bundle.toString(), "--store", store.toString(), "--trust-store", trust.toString(), "--quiet");
            assertEquals(0, imported.code, imported.err);
        }

        try (StoreServer served = StoreServer.start(store, "127.0.0.1", 0)) {
            ServerSyncSession session = new WsusClient(served.uri(), WsusClientOptions.defaults()).open();
            List<UpdateIdentity> ids = new ArrayList<>(session.getRevisionIdList(true, RevisionFilter.everything()).newRevisions());
            ids.addAll(session.getRevisionIdList(false, RevisionFilter.full(
                    List.of(SyntheticUpdates.CONTOSO_WIDGET, SyntheticUpdates.DEFENDER_PRODUCT), List.of())).newRevisions());
            List<SyncedUpdate> arrived = session.getUpdateData(ids);

            int real = 0;
            int files = 0;
            for (SyncedUpdate u : arrived) {
                String served0 = side.upstream().catalog().metadata(u.identity()).orElseThrow();
                assertEquals(served0, u.xml(), "metadata of " + u.identity() + " arrived altered");
                if (isRecordedDocument(u.identity())) {
                    real++;
                }
                for (UpdateFile f : UpdateDocument.parse(u.xml()).files()) {
                    if (!u.xml().contains("Contoso")) {
                        continue; // the recorded Defender files were never recorded, so no export carries them
                    }
                    URI content = served.uri().resolve(ContentUrls.path(f.sha1Base64(), f.fileName()).substring(1));
                    HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(content).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    assertEquals(200, r.statusCode(), content.toString());
                    assertEquals(f.sha256Base64(), sha256(r.body()), "SHA-256 of " + f.fileName());
                    files++;
                }
            }
            assertEquals(SyntheticUpdates.files().size(), files, "every generated file is served");
            assertTrue(real >= 6, "recorded documents carried across: " + real);
            // The recorded documents travel too: the KB2267602 bundle (sent CAB-compressed) among them.
            assertTrue(ids.contains(new UpdateIdentity("a2fef9b0-7951-4c2c-a42b-9e351dd1c1fe", 200)));
        }
    }

    @Test
    void oneFlippedByteIsNamedAndLeavesTheStoreUnchanged() throws Exception {
        Path good = dir.resolve("good");
        assertEquals(0, export(good, "flip", "--product", "Contoso Widget", "--volume-size", "512KiB").code);
        Path first = dir.resolve("first");
        assertEquals(0, export(first, "other", "--product", "Contoso Widget", "--classification", "Critical Updates").code);
        assertEquals(0, ferry("import", first.toString(), "--store", store.toString(), "--trust-store", trust.toString(), "--quiet").code);
        TreeMap<String, String> before = listing(store);

        List<Path> files;
        try (Stream<Path> s = Files.walk(good)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            String rel = good.relativize(file).toString();
            Path bad = dir.resolve("bad-" + rel.replace('/', '_'));
            copyTree(good, bad);
            Path target = bad.resolve(rel);
            byte[] bytes = Files.readAllBytes(target);
            bytes[bytes.length / 2] ^= 0x01;
            Files.write(target, bytes);

            Result verify = ferry("verify", bad.toString(), "--trust-store", trust.toString(), "--quiet");
            assertEquals(1, verify.code, rel + ": " + verify.out);
            String named = rel.startsWith("volumes/") ? rel.substring("volumes/".length()) : rel.startsWith("signatures/") ? "signature" : "manifest";
            assertTrue(verify.out.contains(named), rel + " not named in: " + verify.out);

            Result imported = ferry("import", bad.toString(), "--store", store.toString(), "--trust-store", trust.toString(), "--quiet");
            assertEquals(1, imported.code, rel + ": " + imported.err);
            assertEquals(before, listing(store), "store changed after refusing " + rel);
        }
    }

    @Test
    void replaysAndMissingBasesAreRefused() throws Exception {
        Path state = dir.resolve("state");
        Path b1 = dir.resolve("b1");
        assertEquals(0, export(b1, state, "main", "--product", "Contoso Widget").code);
        Path stateAfterFirst = dir.resolve("state-copy");
        copyTree(state, stateAfterFirst);

        String republished = side.upstream().catalog().metadata(new UpdateIdentity(SyntheticUpdates.KB5000102, 101)).orElseThrow()
                .replace("RevisionNumber=\"101\"", "RevisionNumber=\"102\"");
        side.upstream().catalog().add(republished);
        Path b2 = dir.resolve("b2");
        assertEquals(0, export(b2, state, "main", "--product", "Contoso Widget").code);

        Result missingBase = ferry("import", b2.toString(), "--store", store.toString(), "--trust-store", trust.toString(), "--quiet");
        assertEquals(4, missingBase.code, missingBase.err);
        assertEquals(0, ferry("import", b1.toString(), "--store", store.toString(), "--trust-store", trust.toString(), "--quiet").code);
        assertEquals(0, ferry("import", b2.toString(), "--store", store.toString(), "--trust-store", trust.toString(), "--quiet").code);

        // Another bundle with sequence 2, made from the state as it was after the first export: a replay.
        Path other2 = dir.resolve("other2");
        assertEquals(0, export(other2, stateAfterFirst, "main", "--product", "Contoso Widget").code);
        TreeMap<String, String> before = listing(store);
        Result replay = ferry("import", other2.toString(), "--store", store.toString(), "--trust-store", trust.toString(), "--quiet");
        assertEquals(4, replay.code, replay.err);
        assertTrue(replay.err.contains("replay") || replay.err.contains("sequence"), replay.err);
        assertEquals(before, listing(store));

        Result again = ferry("import", b2.toString(), "--store", store.toString(), "--trust-store", trust.toString(), "--quiet", "--json");
        assertEquals(0, again.code);
        assertTrue(again.out.contains("\"alreadyImported\" : true"), again.out);
    }

    @Test
    void exportOfNothingNewWritesNoBundleAndSaysSoInJson() {
        Path state = dir.resolve("state");
        assertEquals(0, export(dir.resolve("x1"), state, "quiet", "--product", "Contoso Widget").code);
        Result second = export(dir.resolve("x2"), state, "quiet", "--product", "Contoso Widget", "--json");
        assertEquals(ExitCodes.NOTHING_NEW, second.code, second.err);
        assertTrue(second.out.contains("\"bundleWritten\" : false"), second.out);
        assertFalse(Files.exists(dir.resolve("x2")));
    }

    @Test
    void unreachableUpstreamAndUnknownProductGiveTheirExitCodes() {
        Result unknown = export(dir.resolve("u1"), "u", "--product", "No Such Product");
        assertEquals(2, unknown.code);
        assertTrue(unknown.err.contains("No Such Product"), unknown.err);
        assertFalse(Files.exists(dir.resolve("u1")));

        Result unreachable = ferry("export", "--upstream", "http://127.0.0.1:1/", "--product", "Contoso Widget",
                "--state", dir.resolve("s-u2").toString(), "--key", keys.resolve("signer.sec.asc").toString(),
                "--out", dir.resolve("u2").toString(), "--quiet");
        assertEquals(3, unreachable.code);
        assertTrue(unreachable.err.contains("127.0.0.1:1"), unreachable.err);
        assertEquals(1, unreachable.err.strip().lines().count(), "one line: " + unreachable.err);
    }

    private static boolean isRecordedDocument(UpdateIdentity id) {
        Set<String> recorded = Set.of("56309036", "6964aab4", "dd78b8a1", "a2fef9b0", "1f9bd9bb", "ccb78947", "266f6222", "7366a74a", "ff36f0b5");
        return recorded.contains(id.updateId().substring(0, 8));
    }

    private Result export(Path out, String channel, String... selection) {
        return export(out, dir.resolve("state-" + channel), channel, selection);
    }

    private Result export(Path out, Path state, String channel, String... selection) {
        List<String> args = new ArrayList<>(List.of("export", "--upstream", side.upstream().uri().toString(), "--channel", channel,
                "--state", state.toString(), "--key", keys.resolve("signer.sec.asc").toString(), "--out", out.toString(), "--quiet"));
        args.addAll(List.of(selection));
        return ferry(args.toArray(String[]::new));
    }



    private static String sha256(byte[] bytes) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /**
     * What the store holds: its catalog as the store reports it (counts, bundles, channels) and every object
     * file with a digest. H2 rewrites its own file on every open, so the database file's bytes are not compared.
     */
    private static TreeMap<String, String> listing(Path root) throws Exception {
        TreeMap<String, String> m = new TreeMap<>();
        if (!Files.exists(root)) {
            return m;
        }
        try (ferry.store.Store s = ferry.store.Store.open(root, ferry.importer.Importer.catalogs())) {
            m.put("catalog.counts", s.counts().toString());
            m.put("catalog.bundles", s.bundles().stream().map(b -> b.bundleId() + "@" + b.sequenceNumber()).sorted().toList().toString());
            m.put("catalog.channels", s.channels().toString());
        }
        try (Stream<Path> s = Files.walk(root.resolve("objects"))) {
            for (Path p : s.filter(Files::isRegularFile).collect(Collectors.toList())) {
                byte[] d = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
                m.put(root.relativize(p).toString(), Base64.getEncoder().encodeToString(d));
            }
        }
        return m;
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
