package ferry.cli;

import ferry.cli.InProcess.Result;
import static ferry.cli.InProcess.ferry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ferry.samples.SyntheticUpdates;
import ferry.server.StoreServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Approvals that travel signed from the connected side ({@code ferry export --approvals FILE}), through the real
 * command line, the sample upstream, a real bundle and a real store: verify, import (dry run first), {@code ferry
 * approvals list}, GetDeployments over real SOAP to a replica, the next bundle's set replacing the first while the
 * operator's own approval stays, nothing new when the set is the same; a tampered approval set refused by the gate
 * with no approval applied; an approval file at fault refused at export in one line naming file, line and field,
 * writing nothing.
 */
class ExportedApprovalsTest {
    private static final String SET = """
            # the central team's decisions
            groups:
              - name: Ring 1
            approvals:
              - kb: KB5000101
                group: All Computers
              - product: Contoso Widget
                classification: critical updates
                group: Ring 1
                deadline: 2026-12-01
            declines:
              - kb: 5000102
            rules:
              - name: Definitions from the centre
                classification: Definition Updates
            """;

    @TempDir
    Path dir;
    private ConnectedSide side;
    private Path key;
    private Path trust;
    private Path store;

    @BeforeEach
    void start() throws Exception {
        side = ConnectedSide.start(dir, "a <a@ferry.invalid>");
        Path keys = side.keys();
        trust = side.trust();
        store = dir.resolve("store");
        key = keys.resolve("signer.sec.asc");
    }

    @AfterEach
    void stop() throws Exception {
        if (side != null) {
            side.close();
        }
    }

    @Test
    void approvalsTravelSignedAreAppliedAndReachReplicas() throws Exception {
        Path set = write("approvals.yml", SET);
        Result exported = export("b1", "central", set);
        assertEquals(0, exported.code, exported.err);
        JsonNode manifest = new ObjectMapper().readTree(dir.resolve("b1/manifest.json").toFile());
        JsonNode entry = null;
        for (JsonNode e : manifest.at("/entries")) {
            if (e.at("/path").asText().equals("wsus/approvals.json")) {
                entry = e;
            }
        }
        assertTrue(entry != null, "the bundle carries the approval set as its own entry");
        assertEquals("wsus-approvals", entry.at("/source/kind").asText());
        assertEquals("2", entry.at("/source/approvals").asText());
        assertEquals(2, manifest.at("/selection/approvals/approvals").asInt(), "the manifest says so");

        Result verified = ferry("verify", dir.resolve("b1").toString(), "--trust-store", trust.toString());
        assertEquals(0, verified.code, verified.out + verified.err);
        Result dry = ferry("import", dir.resolve("b1").toString(), "--store", store.toString(), "--trust-store",
                trust.toString(), "--dry-run");
        assertEquals(0, dry.code, dry.err);
        assertTrue(dry.out.contains("apply the approval set wsus/approvals.json in place of the channel's earlier"
                + " bundle-carried approvals: 2 approval(s), 1 decline(s), 1 rule(s), 1 group(s)"), dry.out);

        Result imported = importBundle("b1");
        assertTrue(imported.out.contains("approvals from the bundle applied: 2 approval(s), 1 decline(s), 1 rule(s),"
                + " 1 group(s) created; 0 earlier one(s) of the channel withdrawn"), imported.out);
        List<String> audit = Files.readAllLines(store.resolve("audit.jsonl"));
        JsonNode last = new ObjectMapper().readTree(audit.get(audit.size() - 1));
        assertEquals("import", last.at("/command").asText());
        assertTrue(last.at("/reason").asText().contains("approvals from the bundle applied: 2 approval(s)"),
                last.toString());

        JsonNode list = json(ferry("approvals", "list", "--store", store.toString(), "--json"));
        assertEquals(Map.of(
                SyntheticUpdates.KB5000101 + " All Computers", "bundle Install null",
                SyntheticUpdates.KB5000103_BUNDLE + " Ring 1", "bundle Install 2026-12-01T00:00:00Z"), approvals(list));
        assertEquals(SyntheticUpdates.KB5000102, list.at("/declined/0").asText());
        JsonNode rules = json(ferry("approvals", "rule", "list", "--store", store.toString(), "--json"));
        assertEquals("Definitions from the centre", rules.at("/0/name").asText());
        assertEquals(SyntheticUpdates.DEFINITION_UPDATES, rules.at("/0/classifications/0/id").asText());

        try (StoreServer served = StoreServer.start(store, "127.0.0.1", 0)) {
            String deployments = ApprovalCommandsTest.getDeployments(served.uri());
            assertEquals(2, count(deployments, "<ServerSyncDeployment>"), deployments);
            assertEquals(3, count(deployments, "<ServerSyncTargetGroup>"), "Ring 1 came with the set: " + deployments);
            assertTrue(deployments.contains("<UpdateId>" + SyntheticUpdates.KB5000101 + "</UpdateId>"), deployments);
            assertTrue(deployments.contains("<UpdateId>" + SyntheticUpdates.KB5000103_BUNDLE + "</UpdateId>"),
                    deployments);
            assertTrue(deployments.contains("<HiddenUpdates><guid>" + SyntheticUpdates.KB5000102
                    + "</guid></HiddenUpdates>"), deployments);
        }

        // the operator approves locally; the next set drops most of the first and would uninstall what the
        // operator approved: the operator's approval stays
        assertEquals(0, ferry("approve", "--store", store.toString(), "--kb", "5000101", "--group", "Ring 1").code);
        Path next = write("approvals.json", "{\"groups\": [{\"name\": \"Ring 1\"}],\n"
                + " \"approvals\": [{\"kb\": \"5000101\", \"group\": \"Ring 1\", \"action\": \"uninstall\"}]}");
        Result second = export("b2", "central", next);
        assertEquals(0, second.code, "a new set alone is something new: " + second.err);
        JsonNode m2 = new ObjectMapper().readTree(dir.resolve("b2/manifest.json").toFile());
        assertEquals(1, m2.at("/entries").size(), "only the set: " + m2.at("/entries"));
        Result imported2 = importBundle("b2");
        assertTrue(imported2.out.contains("approvals from the bundle applied: 0 approval(s), 0 decline(s), 0 rule(s),"
                + " 0 group(s) created; 4 earlier one(s) of the channel withdrawn, 1 left to local decisions"),
                imported2.out);
        JsonNode after = json(ferry("approvals", "list", "--store", store.toString(), "--json"));
        assertEquals(Map.of(SyntheticUpdates.KB5000101 + " Ring 1", "local Install null"), approvals(after));
        assertEquals(0, after.at("/declined").size());
        assertEquals(0, json(ferry("approvals", "rule", "list", "--store", store.toString(), "--json")).size());

        Result same = export("b3", "central", next);
        assertEquals(ExitCodes.NOTHING_NEW, same.code, "the same set and no new update: " + same.out + same.err);
        assertFalse(Files.exists(dir.resolve("b3")));
    }

    @Test
    void aTamperedApprovalSetIsRefusedAndNothingIsApplied() throws Exception {
        assertEquals(0, export("base", "base", null).code);
        importBundle("base");
        JsonNode before = json(ferry("approvals", "list", "--store", store.toString(), "--json"));

        assertEquals(0, export("b1", "central", write("approvals.yml", SET)).code);
        Path volume = dir.resolve("b1/volumes/volume-0001.tar");
        byte[] bytes = Files.readAllBytes(volume);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("\"action\":\"Install\"");
        assertTrue(at > 0, "the carried set is in the volume");
        bytes[at + "\"action\":\"".length()] = 'U'; // "Unstall": still the same size
        Files.write(volume, bytes);

        Result verified = ferry("verify", dir.resolve("b1").toString(), "--trust-store", trust.toString());
        assertEquals(ExitCodes.INVALID_BUNDLE, verified.code, verified.out + verified.err);
        assertTrue((verified.out + verified.err).contains("wsus/approvals.json"), verified.out + verified.err);
        Result imported = ferry("import", dir.resolve("b1").toString(), "--store", store.toString(), "--trust-store",
                trust.toString(), "--quiet");
        assertEquals(ExitCodes.INVALID_BUNDLE, imported.code, imported.out + imported.err);
        assertEquals(before, json(ferry("approvals", "list", "--store", store.toString(), "--json")));
        assertEquals(2, json(ferry("groups", "list", "--store", store.toString(), "--json")).size(),
                "no group of the set was created");
        assertEquals(0, json(ferry("approvals", "rule", "list", "--store", store.toString(), "--json")).size());
    }

    @Test
    void anApprovalFileAtFaultFailsTheExportInOneLineAndWritesNothing() throws Exception {
        Path bad = write("bad.yml", """
                groups:
                  - name: Ring 1
                approvals:
                  - kb: 5000101
                    group: Ring 1
                  - kb: KB-5000102
                    group: Ring 1
                """);
        Result r = export("b1", "central", bad);
        assertEquals(ExitCodes.USAGE, r.code, r.out + r.err);
        assertEquals(1, r.err.strip().lines().count(), r.err);
        assertTrue(r.err.contains("approvals file " + bad + " line 6: approvals[1].kb[0]: not a KB number"), r.err);
        assertFalse(Files.exists(dir.resolve("b1")), "no bundle");
        assertFalse(Files.exists(dir.resolve("state-central/state.json")), "no state");

        Path unknownField = write("colour.yml", "approvals:\n  - kb: 5000101\n    group: All Computers\n"
                + "    colour: red\n");
        Result u = export("b1", "central", unknownField);
        assertEquals(ExitCodes.USAGE, u.code, u.err);
        assertTrue(u.err.contains("approvals file " + unknownField + " line 4: approvals[0].colour: Unrecognized field"),
                u.err);

        Path unknownGroup = write("group.yml", "approvals:\n  - kb: 5000101\n    group: Ring 9\n");
        Result g = export("b1", "central", unknownGroup);
        assertEquals(ExitCodes.USAGE, g.code, g.err);
        assertTrue(g.err.contains("line 3: approvals[0].group: group \"Ring 9\" is neither built in"), g.err);

        // a product the upstream does not have: found once the upstream's categories are read, still before writing
        Path unknownProduct = write("product.yml", "declines:\n  - kb: 5000101\n  - product: Windows 95\n");
        Result p = export("b1", "central", unknownProduct);
        assertEquals(ExitCodes.USAGE, p.code, p.err);
        assertEquals(1, p.err.strip().lines().count(), p.err);
        assertTrue(p.err.contains("approvals file " + unknownProduct + " line 3: declines[1].product[0]: no product"
                + " \"Windows 95\""), p.err);
        assertFalse(Files.exists(dir.resolve("b1")));
        assertFalse(Files.exists(dir.resolve("state-central/state.json")));
    }

    @Test
    void aJobCarriesItsApprovalFileNamedRelativeToTheConfiguration() throws Exception {
        Path conf = dir.resolve("conf");
        Files.createDirectories(conf);
        Files.writeString(conf.resolve("central.yml"), SET);
        Files.writeString(conf.resolve("ferry.yml"), "upstreams:\n  up:\n    url: " + side.upstream().uri() + "\n"
                + "selections:\n  widget:\n    products: [Contoso Widget]\n    metadataOnly: true\n"
                + "keys:\n  k:\n    file: " + key + "\n"
                + "outputs:\n  out:\n    dir: " + dir.resolve("outbox") + "\n    name: \"{job}\"\n"
                + "jobs:\n  central:\n    upstream: up\n    selection: widget\n    keys: [k]\n    output: out\n"
                + "    state: " + dir.resolve("state-job") + "\n    approvals: central.yml\n");
        // through Main.run, which reads --job before parsing
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run("export", "--job", "central", "--config", conf.resolve("ferry.yml").toString(), "--quiet",
                    "--retries", "1");
        } finally {
            System.setErr(saved);
        }
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        JsonNode manifest = new ObjectMapper().readTree(dir.resolve("outbox/central/manifest.json").toFile());
        assertEquals(1, manifest.at("/selection/approvals/rules").asInt(), manifest.at("/selection").toString());
    }

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    /** update id + group name -> origin, action, deadline. */
    private static Map<String, String> approvals(JsonNode list) {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode a : list.at("/approvals")) {
            out.put(a.at("/updateId").asText() + " " + a.at("/group").asText(), a.at("/origin").asText() + " "
                    + a.at("/action").asText() + " " + (a.at("/deadline").isMissingNode() || a.at("/deadline").isNull()
                    ? "null" : a.at("/deadline").asText()));
        }
        return out;
    }

    private static int count(String text, String what) {
        return text.split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }

    private Result export(String bundle, String channel, Path approvals) {
        List<String> args = new ArrayList<>(List.of("export", "--upstream", side.upstream().uri().toString(), "--product",
                "Contoso Widget", "--metadata-only", "--channel", channel, "--state",
                dir.resolve("state-" + channel).toString(), "--key", key.toString(), "--out",
                dir.resolve(bundle).toString(), "--quiet", "--retries", "1"));
        if (approvals != null) {
            args.addAll(List.of("--approvals", approvals.toString()));
        }
        return ferry(args.toArray(String[]::new));
    }

    private Result importBundle(String bundle) {
        Result i = ferry("import", dir.resolve(bundle).toString(), "--store", store.toString(), "--trust-store",
                trust.toString(), "--quiet");
        assertEquals(0, i.code, i.err);
        return i;
    }

    private static JsonNode json(Result r) throws Exception {
        assertEquals(0, r.code, r.err);
        return new ObjectMapper().readTree(r.out);
    }
}
