package ferry.cli;

import ferry.cli.ExternalTool.Proc;
import ferry.cli.InProcess.Result;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ferry.samples.SyntheticUpdates;
import ferry.server.StoreServer;
import ferry.wsus.UpdateIdentity;
import ferry.wsus.client.RevisionFilter;
import ferry.wsus.client.ServerSyncSession;
import ferry.wsus.client.SyncedUpdate;
import ferry.wsus.client.WsusClient;
import ferry.wsus.client.WsusClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import static ferry.cli.ExternalTool.run;
import static ferry.cli.InProcess.ferry;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The one-way transfer procedure through the real {@code ferry} subcommands (issue 9, "Recovery data and one-way
 * links"): recovery data that both ferry and par2cmdline repair, a watched drop directory, and rebase bundles that
 * let a receiver that missed a delta catch up without a return channel.
 */
class OneWayTransferTest {

    @TempDir
    Path dir;
    private ConnectedSide side;
    private Path key;
    private Path trust;
    private int revision = 101;

    @BeforeEach
    void start() throws Exception {
        side = ConnectedSide.start(dir, "diode <diode@ferry.invalid>");
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

    /** Issue 9, done when: with 10% recovery data, one volume deleted and another corrupted are repaired by ferry
     *  and by par2, and the bundle then imports. */
    @Test
    void tenPercentRecoveryRepairsADeletedAndACorruptedVolumeWithFerryAndWithPar2ThenImports() throws Exception {
        assumeTrue(onPath("par2"), "par2 is not installed (.ci/run installs it)");
        Path b = dir.resolve("bundle");
        JsonNode r = export("c", b, "--volume-size", "64KiB", "--recovery", "10%");
        int volumes = r.at("/volumes").asInt();
        assertTrue(volumes >= 12, "enough volumes that one is under 10% of the bundle: " + volumes);
        assertTrue(Files.exists(b.resolve("recovery.par2")), "recovery files beside the manifest");
        assertEquals(0, ferry("verify", b.toString(), "--trust-store", trust.toString(), "--quiet").code,
                "recovery files are allowed in a bundle");
        Map<String, byte[]> original = snapshot(b);

        damage(b);
        assertNotEquals(0, ferry("verify", b.toString(), "--trust-store", trust.toString(), "--quiet").code);
        Result repaired = ferry("repair", b.toString(), "--json", "--quiet");
        assertEquals(0, repaired.code, repaired.err);
        JsonNode j = new ObjectMapper().readTree(repaired.out);
        assertEquals(List.of("volumes/volume-0003.tar", "volumes/volume-0005.tar"), sorted(j.at("/repaired")));
        assertEquals(original.keySet(), snapshot(b).keySet());
        original.forEach((name, bytes) -> assertArrayEquals(bytes, read(b.resolve(name)), name));

        damage(b);
        Proc par2 = run(b, "par2", "repair", "-p", "recovery.par2");
        assertEquals(0, par2.exit, par2.out);
        original.forEach((name, bytes) -> assertArrayEquals(bytes, read(b.resolve(name)), name));
        assertEquals(original.keySet(), snapshot(b).keySet(), "par2 -p leaves no backup files behind");

        Result imported = ferry("import", b.toString(), "--store", dir.resolve("store").toString(), "--trust-store",
                trust.toString(), "--quiet");
        assertEquals(0, imported.code, imported.err);
    }

    @Test
    void damageBeyondTheRecoveryDataIsRefusedAndChangesNothing() throws Exception {
        Path b = dir.resolve("bundle");
        int volumes = export("c", b, "--volume-size", "64KiB", "--recovery", "5%").at("/volumes").asInt();
        for (int v = 1; v <= Math.max(2, volumes / 10); v++) {                    // about 10% lost
            Files.delete(b.resolve(String.format("volumes/volume-%04d.tar", v)));
        }
        Map<String, byte[]> before = snapshot(b);
        Result r = ferry("repair", b.toString(), "--quiet");
        assertEquals(ExitCodes.INVALID_BUNDLE, r.code, r.err);
        assertTrue(r.err.contains("more needed"), r.err);
        assertEquals(before.keySet(), snapshot(b).keySet());
        Result none = ferry("repair", dir.resolve("keys").toString(), "--quiet");
        assertEquals(ExitCodes.INVALID_BUNDLE, none.code);
        assertTrue(none.err.contains("no recovery files"), none.err);
    }

    /** Issue 9, done when: a watched drop directory receives volumes in shuffled order with a duplicate and imports
     *  once. A half-written volume is reported missing, never damaged for good. */
    @Test
    void watchedDropDirectoryImportsShuffledVolumesWithADuplicateOnce() throws Exception {
        Path b = dir.resolve("bundle");
        export("c", b, "--volume-size", "256KiB");
        Path drop = Files.createDirectories(dir.resolve("drop"));
        Path store = dir.resolve("store");
        List<String> files = new ArrayList<>(snapshot(b).keySet());
        Collections.shuffle(files, new Random(7));
        String dup = files.stream().filter(f -> f.startsWith("volumes/")).findFirst().orElseThrow();
        files.add(files.indexOf(dup) + 2, dup);                         // delivered again a little later
        int imported = 0;
        for (int i = 0; i < files.size(); i++) {
            String f = files.get(i);
            Path target = drop.resolve("b1").resolve(f);
            Files.createDirectories(target.getParent());
            byte[] bytes = read(b.resolve(f));
            if (f.startsWith("volumes/") && !f.equals(dup)) {
                // half of it first, as a transfer still writing would leave it
                Files.write(target, java.util.Arrays.copyOf(bytes, bytes.length / 2));
                Result half = watchOnce(drop, store);
                assertEquals(0, half.code, half.err);
                assertFalse(half.out.contains(": imported:"), half.out);
            }
            Files.write(target, bytes);
            Result r = watchOnce(drop, store);
            assertEquals(0, r.code, r.err);
            boolean last = i == files.size() - 1;
            if (r.out.contains("b1: imported:")) {
                imported++;
                assertTrue(last, "imported only once everything arrived, after " + f + ": " + r.out);
            } else {
                assertFalse(last, r.out);
                boolean manifestHere = files.subList(0, i + 1).contains("manifest.json")
                        && files.subList(0, i + 1).stream().anyMatch(x -> x.startsWith("signatures/"));
                if (manifestHere) {
                    assertTrue(r.out.contains("b1: partial:") && r.out.contains("missing"), r.out);
                } else {
                    assertTrue(r.out.contains("b1: waiting for manifest:"), r.out);
                }
            }
        }
        assertEquals(1, imported);
        assertFalse(Files.exists(drop.resolve("b1")));
        assertTrue(Files.isDirectory(drop.resolve(".ferry-imported/b1")));

        // the whole bundle arrives a second time: harmless
        copyTree(b, drop.resolve("b1-again"));
        Result again = watchOnce(drop, store);
        assertEquals(0, again.code, again.err);
        assertTrue(again.out.contains("b1-again: already imported:"), again.out);
        assertTrue(Files.isDirectory(drop.resolve(".ferry-imported/b1-again")));
        Result nothing = watchOnce(drop, store);
        assertTrue(nothing.out.contains("no bundle directories"), nothing.out);
    }

    @Test
    void watchRepairsFromRecoveryDataOnceTheDropIsQuiet() throws Exception {
        Path b = dir.resolve("bundle");
        export("c", b, "--volume-size", "64KiB", "--recovery", "10%");
        Path drop = Files.createDirectories(dir.resolve("drop"));
        copyTree(b, drop.resolve("b1"));
        Files.delete(drop.resolve("b1/volumes/volume-0002.tar"));
        Files.copy(drop.resolve("b1/manifest.json"), dir.resolve("manifest.json"));
        try (RandomAccessFile f = new RandomAccessFile(drop.resolve("b1/manifest.json").toFile(), "rw")) {
            f.seek(10);
            f.write("damaged in transit".getBytes(StandardCharsets.US_ASCII));
        }
        Result soon = ferry("import", "--watch", drop.toString(), "--once", "--settle", "1h", "--store",
                dir.resolve("store").toString(), "--trust-store", trust.toString(), "--quiet");
        assertTrue(soon.out.contains("b1: waiting for manifest:"), "nothing repaired while files may be arriving: "
                + soon.out);
        Files.copy(dir.resolve("manifest.json"), drop.resolve("b1/manifest.json"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);                   // a second copy arrives
        Result partial = ferry("import", "--watch", drop.toString(), "--once", "--settle", "1h", "--store",
                dir.resolve("store").toString(), "--trust-store", trust.toString(), "--quiet");
        assertTrue(partial.out.contains("b1: partial:") && partial.out.contains("missing volume-0002.tar"),
                partial.out);
        try (RandomAccessFile f = new RandomAccessFile(drop.resolve("b1/manifest.json").toFile(), "rw")) {
            f.seek(10);
            f.write("damaged in transit".getBytes(StandardCharsets.US_ASCII));
        }
        try (Stream<Path> s = Files.walk(drop.resolve("b1"))) {
            for (Path p : s.toList()) {
                Files.setLastModifiedTime(p, FileTime.from(Instant.now().minusSeconds(7200)));
            }
        }
        Result later = ferry("import", "--watch", drop.toString(), "--once", "--settle", "1h", "--store",
                dir.resolve("store").toString(), "--trust-store", trust.toString(), "--quiet");
        assertEquals(0, later.code, later.err);
        assertTrue(later.out.contains("b1: imported:"), "the manifest and the volume rebuilt, then imported: "
                + later.out);
        assertTrue(Files.isDirectory(drop.resolve(".ferry-imported/b1")));
    }

    /** A receiver that missed a delta (its bundle lost on the one-way link) catches up at the next rebase. */
    @Test
    void receiverThatMissedADeltaCatchesUpAtTheNextRebase() throws Exception {
        List<Path> bundles = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            if (i > 1) {
                publishNewRevision();
            }
            Path b = dir.resolve("b" + i);
            JsonNode r = export("d", b, "--rebase-every", "3", "--assume-delivered");
            assertEquals(i, r.at("/sequence").asInt());
            assertEquals(i == 1 || i == 4, r.at("/baseSequence").isNull() || r.at("/baseSequence").isMissingNode(),
                    "bundles 1 and 4 are full, 2 and 3 deltas: " + r);
            bundles.add(b);
        }
        Path complete = dir.resolve("store-complete");
        Path gap = dir.resolve("store-gap");
        for (Path b : bundles) {
            assertEquals(0, importInto(complete, b).code);
        }
        assertEquals(0, importInto(gap, bundles.get(0)).code);
        Result refused = importInto(gap, bundles.get(2));                        // bundle 2 never arrived
        assertEquals(ExitCodes.REFUSED, refused.code, refused.err);
        assertTrue(refused.err.contains("missing base"), refused.err);
        Result rebase = importInto(gap, bundles.get(3));
        assertEquals(0, rebase.code, rebase.err);
        try (StoreServer a = StoreServer.start(complete, "127.0.0.1", 0);
             StoreServer g = StoreServer.start(gap, "127.0.0.1", 0)) {
            Map<UpdateIdentity, String> inComplete = everything(a.uri());
            assertEquals(inComplete, everything(g.uri()), "the receiver with a gap serves what the other one does");
            assertTrue(inComplete.containsKey(new UpdateIdentity(SyntheticUpdates.KB5000102, revision)));
        }
    }

    private void publishNewRevision() {
        String doc = side.upstream().catalog().metadata(new UpdateIdentity(SyntheticUpdates.KB5000102, 101)).orElseThrow()
                .replace("RevisionNumber=\"101\"", "RevisionNumber=\"" + (++revision) + "\"");
        side.upstream().catalog().add(doc);
    }

    private Map<UpdateIdentity, String> everything(URI served) throws Exception {
        ServerSyncSession s = new WsusClient(served, WsusClientOptions.defaults()).open();
        List<UpdateIdentity> ids = new ArrayList<>(s.getRevisionIdList(true, RevisionFilter.everything()).newRevisions());
        ids.addAll(s.getRevisionIdList(false, RevisionFilter.full(List.of(SyntheticUpdates.CONTOSO_WIDGET), List.of()))
                .newRevisions());
        Map<UpdateIdentity, String> out = new TreeMap<>();
        for (SyncedUpdate u : s.getUpdateData(ids)) {
            out.put(u.identity(), u.xml());
        }
        return out;
    }

    /** Volume 3 deleted, 200 bytes in the middle of volume 5 overwritten. */
    private static void damage(Path b) throws Exception {
        Files.delete(b.resolve("volumes/volume-0003.tar"));
        try (RandomAccessFile f = new RandomAccessFile(b.resolve("volumes/volume-0005.tar").toFile(), "rw")) {
            f.seek(f.length() / 2);
            f.write(new byte[200]);
        }
    }

    private Result watchOnce(Path drop, Path store) {
        return ferry("import", "--watch", drop.toString(), "--once", "--settle", "1h", "--store", store.toString(),
                "--trust-store", trust.toString(), "--quiet");
    }

    private Result importInto(Path store, Path bundle) {
        return ferry("import", bundle.toString(), "--store", store.toString(), "--trust-store", trust.toString(),
                "--quiet");
    }

    private JsonNode export(String channel, Path out, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("export", "--upstream", side.upstream().uri().toString(), "--product",
                "Contoso Widget", "--channel", channel, "--state", dir.resolve("state-" + channel).toString(), "--key",
                key.toString(), "--out", out.toString(), "--quiet", "--json", "--retries", "1"));
        args.addAll(List.of(more));
        Result r = ferry(args.toArray(String[]::new));
        assertEquals(0, r.code, r.err);
        return new ObjectMapper().readTree(r.out);
    }

    private static Map<String, byte[]> snapshot(Path b) throws Exception {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(b)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String rel = b.relativize(p).toString();
                if (!rel.endsWith(".par2")) {
                    out.put(rel, Files.readAllBytes(p));
                }
            }
        }
        return out;
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    private static List<String> sorted(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        Collections.sort(out);
        return out;
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
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
