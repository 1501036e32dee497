package ferry.cli;

import ferry.cli.InProcess.Result;
import ferry.importer.Importer;
import ferry.samples.SyntheticUpdates;
import ferry.store.Store;
import ferry.wsus.UpdateIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static ferry.cli.InProcess.ferry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A lost bundle recovered by a receipt: bundle 2 never arrives; the isolated side's signed receipt says it stands at
 * sequence 1; the next export, built against that receipt, is a delta on 1 that carries everything since, and the store
 * ends up holding exactly what a store built from one full export of the final state holds.
 */
class ReceiptRecoveryTest {
    @TempDir
    Path dir;
    private ConnectedSide side;
    private Path keys;
    private Path trust;
    private Path iso;
    private Path receiptTrust;

    @BeforeEach
    void start() throws Exception {
        side = ConnectedSide.start(dir, "x <x@ferry.invalid>");
        keys = side.keys();
        trust = side.trust();
        iso = dir.resolve("iso-keys");
        receiptTrust = dir.resolve("receipt-trust");
        assertEquals(0, ferry("keys", "generate", "--out", iso.toString(), "--user-id", "iso <iso@ferry.invalid>").code);
        assertEquals(0, ferry("keys", "trust", iso.resolve("signer.pub.asc").toString(), "--trust-store", receiptTrust.toString()).code);
    }

    @AfterEach
    void stop() throws Exception {
        side.close();
    }

    private void republish(String updateId, int from, int to) {
        String xml = side.upstream().catalog().metadata(new UpdateIdentity(updateId, from)).orElseThrow()
                .replace("RevisionNumber=\"" + from + "\"", "RevisionNumber=\"" + to + "\"");
        side.upstream().catalog().add(xml);
    }

    @Test
    void aReceiptDrivenExportAfterALostBundleBringsTheStoreToTheSameState() throws Exception {
        Path state = dir.resolve("state");
        Path store = dir.resolve("store");
        assertEquals(0, export("b1", state).code);
        assertEquals(0, ferry("import", dir.resolve("b1").toString(), "--store", store.toString(), "--trust-store",
                trust.toString(), "--quiet").code);

        republish(SyntheticUpdates.KB5000102, 101, 102);
        assertEquals(0, export("b2", state).code); // lost on the way: never imported
        Path stateNoLoss = dir.resolve("state-no-loss"); // the same channel in a world where bundle 2 arrived
        copyTree(state, stateNoLoss);

        republish(SyntheticUpdates.KB5000101, 100, 103);
        Path receipt = dir.resolve("receipt.json");
        Result rc = ferry("receipt", "--store", store.toString(), "--out", receipt.toString(), "--key",
                iso.resolve("signer.sec.asc").toString());
        assertEquals(0, rc.code, rc.err);
        assertTrue(rc.out.contains("contoso: sequence 1"), rc.out);

        // a receipt signed by a key the connected side does not trust is not believed
        Result forged = export("b3x", state, "--receipt", receipt.toString(), "--receipt-trust", trust.toString());
        assertEquals(ExitCodes.USAGE, forged.code);
        assertTrue(forged.err.contains("signed by 0 trusted isolated-side key(s), 1 required"), forged.err);

        Result e3 = export("b3", state, "--receipt", receipt.toString(), "--receipt-trust", receiptTrust.toString(), "--json");
        assertEquals(0, e3.code, e3.err);
        assertTrue(e3.out.contains("\"sequence\" : 3"), e3.out);
        assertTrue(e3.out.contains("\"baseSequence\" : 1"), e3.out);
        Result i3 = ferry("import", dir.resolve("b3").toString(), "--store", store.toString(), "--trust-store",
                trust.toString(), "--quiet");
        assertEquals(0, i3.code, i3.err);

        // the reference: nothing lost, bundles 1, 2 and an ordinary delta 3 imported in turn
        assertEquals(0, export("b3-no-loss", stateNoLoss).code);
        Path reference = dir.resolve("reference");
        for (String b : List.of("b1", "b2", "b3-no-loss")) {
            assertEquals(0, ferry("import", dir.resolve(b).toString(), "--store", reference.toString(), "--trust-store",
                    trust.toString(), "--quiet").code, b);
        }
        assertEquals(objects(reference), objects(store));
        try (Store a = Store.openExisting(store, Importer.catalogs());
             Store b = Store.openExisting(reference, Importer.catalogs())) {
            assertEquals(b.counts().sources(), a.counts().sources());
            assertEquals(3, a.channel("contoso").orElseThrow().lastSequence());
        }
        // and it holds everything one full export of the final state carries
        assertEquals(0, export("full", dir.resolve("state-full"), "--full").code);
        Path full = dir.resolve("full-store");
        assertEquals(0, ferry("import", dir.resolve("full").toString(), "--store", full.toString(), "--trust-store",
                trust.toString(), "--quiet").code);
        assertTrue(objects(store).entrySet().containsAll(objects(full).entrySet()));
    }

    /**
     * A one-way channel ({@code --rebase-every 2}) that occasionally gets a receipt back: the run with the receipt is
     * built against it even though sequence 3 is a scheduled rebase (a delta on what the far side holds is smaller
     * than a full bundle and certain to apply), and the schedule goes on unchanged afterwards (sequence 5 is full).
     */
    @Test
    void aReceiptWinsOverADueRebaseAndTheScheduleGoesOn() throws Exception {
        Path state = dir.resolve("state");
        Path store = dir.resolve("store");
        assertEquals(0, export("b1", state, "--rebase-every", "2", "--assume-delivered").code);
        assertEquals(0, ferry("import", dir.resolve("b1").toString(), "--store", store.toString(), "--trust-store",
                trust.toString(), "--quiet").code);
        republish(SyntheticUpdates.KB5000102, 101, 102);
        Result e2 = export("b2", state, "--rebase-every", "2", "--assume-delivered", "--json");   // lost
        assertTrue(e2.out.contains("\"baseSequence\" : 1"), e2.out);
        republish(SyntheticUpdates.KB5000101, 100, 103);
        Path receipt = dir.resolve("receipt.json");
        assertEquals(0, ferry("receipt", "--store", store.toString(), "--out", receipt.toString(), "--key",
                iso.resolve("signer.sec.asc").toString()).code);

        Result e3 = export("b3", state, "--rebase-every", "2", "--receipt", receipt.toString(), "--receipt-trust",
                receiptTrust.toString(), "--json");
        assertEquals(0, e3.code, e3.err);
        assertTrue(e3.out.contains("\"sequence\" : 3") && e3.out.contains("\"baseSequence\" : 1"),
                "a delta on the receipt's sequence, not the rebase sequence 3 would otherwise be: " + e3.out);
        Result i3 = ferry("import", dir.resolve("b3").toString(), "--store", store.toString(), "--trust-store",
                trust.toString(), "--quiet");
        assertEquals(0, i3.code, i3.err);

        republish(SyntheticUpdates.KB5000102, 102, 104);
        Result e4 = export("b4", state, "--rebase-every", "2", "--assume-delivered", "--json");
        assertTrue(e4.out.contains("\"sequence\" : 4") && e4.out.contains("\"baseSequence\" : 3"), e4.out);
        republish(SyntheticUpdates.KB5000101, 103, 105);
        Result e5 = export("b5", state, "--rebase-every", "2", "--assume-delivered", "--json");
        assertTrue(e5.out.contains("\"sequence\" : 5") && e5.out.contains("\"baseSequence\" : null"),
                "the schedule is by sequence number and goes on: " + e5.out);
        for (String b : List.of("b4", "b5")) {
            Result r = ferry("import", dir.resolve(b).toString(), "--store", store.toString(), "--trust-store",
                    trust.toString(), "--quiet");
            assertEquals(0, r.code, b + ": " + r.err);
        }
    }

    private Result export(String out, Path state, String... more) {
        List<String> args = new ArrayList<>(List.of("export", "--upstream", side.upstream().uri().toString(), "--channel",
                "contoso", "--state", state.toString(), "--key", keys.resolve("signer.sec.asc").toString(), "--out",
                dir.resolve(out).toString(), "--quiet", "--product", "Contoso Widget", "--metadata-only"));
        args.addAll(List.of(more));
        return ferry(args.toArray(String[]::new));
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (var walk = Files.walk(from)) {
            for (Path f : (Iterable<Path>) walk::iterator) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else if (!f.getFileName().toString().equals("lock")) {
                    Files.copy(f, t);
                }
            }
        }
    }

    private static Map<String, String> objects(Path store) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (var walk = Files.walk(store.resolve("objects"))) {
            for (Path f : (Iterable<Path>) walk::iterator) {
                if (Files.isRegularFile(f)) {
                    out.put(store.resolve("objects").relativize(f).toString(), Long.toString(Files.size(f)));
                }
            }
        }
        return out;
    }
}
