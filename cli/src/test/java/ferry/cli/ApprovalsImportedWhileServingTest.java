package ferry.cli;

import ferry.cli.InProcess.Result;
import ferry.cli.WindowsClientEndToEndTest.Offer;
import ferry.cli.WindowsClientEndToEndTest.ScriptedClient;
import ferry.samples.SyntheticUpdates;
import ferry.server.StoreServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static ferry.cli.InProcess.ferry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An approval set that travels signed in a bundle ({@code ferry export --approvals}, {@code wsus/approvals.json}) is
 * imported with {@code ferry import} into the store a running {@code ferry serve} serves, while a Windows client
 * (in client-side target group Ring 1) and a downstream replica keep asking: without a restart, the client's next
 * SyncUpdates offers the approved updates for {@code Install} and no longer the declined one, and the replica's next
 * GetDeployments returns the deployments and the declined update as hidden. Never a mixed state: every SyncUpdates
 * answer and every GetDeployments answer observed while the import ran is wholly the state before the import or
 * wholly the state after it (the set's two approvals and its decline commit together, in the import's one
 * transaction). The polls cannot force an answer to fall inside the commit; they are as many as the import's
 * duration allows, and any answer built from half the set would fail the test.
 */
class ApprovalsImportedWhileServingTest {
    private static final String SET = """
            groups:
              - name: Ring 1
            approvals:
              - kb: KB5000101
                group: All Computers
              - product: Contoso Widget
                classification: critical updates
                group: Ring 1
            declines:
              - kb: 5000102
            """;
    private static final Pattern DEPLOYMENT = Pattern.compile(
            "<ServerSyncDeployment>.*?<UpdateId>([^<]+)</UpdateId>.*?</ServerSyncDeployment>", Pattern.DOTALL);
    private static final Pattern HIDDEN = Pattern.compile("<HiddenUpdates>(.*?)</HiddenUpdates>", Pattern.DOTALL);

    @TempDir
    Path dir;
    ConnectedSide side;
    Path keys;
    Path trust;
    Path store;

    @BeforeEach
    void start() throws Exception {
        side = ConnectedSide.start(dir, "central <central@ferry.invalid>");
        keys = side.keys();
        trust = side.trust();
        store = dir.resolve("store");
        assertEquals(0, export("b1", null).code);
        Result imported = ferry("import", dir.resolve("b1").toString(), "--store", store.toString(), "--trust-store",
                trust.toString(), "--quiet");
        assertEquals(0, imported.code, imported.err);
    }

    @AfterEach
    void stop() throws Exception {
        side.close();
    }

    @Test
    void clientsAndReplicasSeeTheImportedApprovalsAtTheirNextAskAndNeverHalfOfThem() throws Exception {
        Path set = Files.writeString(dir.resolve("approvals.yml"), SET);
        Result exported = export("b2", set);
        assertEquals(0, exported.code, exported.err);

        try (StoreServer server = StoreServer.start(store, "127.0.0.1", 0)) {
            ScriptedClient pc = new ScriptedClient(server.uri(), "PC-RING1", "Ring 1");
            pc.handshake();
            // one full scan teaches the client its installed non-leaf ids and the ids it caches; from then on one
            // SyncUpdates presenting them brings every software update, with its deployment, in one answer
            List<Integer> installedNonLeaf = new ArrayList<>();
            List<Integer> cachedOther = new ArrayList<>();
            for (Offer o : pc.scan().values()) {
                if (!o.updateType().equals("Software")) {
                    (o.leaf() ? cachedOther : installedNonLeaf).add(o.id());
                }
            }
            Map<String, String> before = software(pc, installedNonLeaf, cachedOther);
            assertEquals("PreDeploymentCheck", before.get(SyntheticUpdates.KB5000101), before.toString());
            assertEquals("PreDeploymentCheck", before.get(SyntheticUpdates.KB5000102), before.toString());
            assertEquals("PreDeploymentCheck", before.get(SyntheticUpdates.KB5000103_BUNDLE), before.toString());
            Deployments replicaBefore = deployments(server);
            assertEquals(new Deployments(Set.of(), Set.of()), replicaBefore);

            List<Map<String, String>> seen = new ArrayList<>();
            List<Deployments> seenByReplica = new ArrayList<>();
            AtomicBoolean imported = new AtomicBoolean();
            CompletableFuture<Void> polling = CompletableFuture.runAsync(() -> {
                try {
                    // at least one ask after the import returned
                    for (boolean last = false; !last; ) {
                        last = imported.get();
                        seen.add(software(pc, installedNonLeaf, cachedOther));
                        seenByReplica.add(deployments(server));
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Result r = ferry("import", dir.resolve("b2").toString(), "--store", store.toString(), "--trust-store",
                    trust.toString());
            imported.set(true);
            polling.get();
            assertEquals(0, r.code, r.out + r.err);
            assertTrue(r.out.contains("approvals from the bundle applied: 2 approval(s), 1 decline(s), 0 rule(s),"
                    + " 1 group(s) created"), r.out);

            Map<String, String> after = software(pc, installedNonLeaf, cachedOther);
            assertEquals("Install", after.get(SyntheticUpdates.KB5000101), "approved for All Computers: " + after);
            assertEquals("Install", after.get(SyntheticUpdates.KB5000103_BUNDLE),
                    "approved for Ring 1, the group the client names: " + after);
            assertFalse(after.containsKey(SyntheticUpdates.KB5000102), "declined: never offered: " + after);
            Deployments replicaAfter = deployments(server);
            assertEquals(new Deployments(Set.of(SyntheticUpdates.KB5000101, SyntheticUpdates.KB5000103_BUNDLE),
                    Set.of(SyntheticUpdates.KB5000102)), replicaAfter);

            assertFalse(seen.isEmpty());
            for (Map<String, String> s : seen) {
                assertTrue(s.equals(before) || s.equals(after), "a SyncUpdates answer mixing the states before and"
                        + " after the import: " + s + "\nbefore: " + before + "\nafter: " + after);
            }
            assertEquals(after, seen.get(seen.size() - 1), "the ask after the import sees the set");
            for (Deployments d : seenByReplica) {
                assertTrue(d.equals(replicaBefore) || d.equals(replicaAfter), "a GetDeployments answer mixing the"
                        + " states: " + d);
            }
            assertEquals(replicaAfter, seenByReplica.get(seenByReplica.size() - 1));
        }
    }

    /** The approved and the hidden (declined) update ids of one GetDeployments answer. */
    record Deployments(Set<String> approved, Set<String> hidden) {
    }

    private static Deployments deployments(StoreServer server) throws Exception {
        String answer = ApprovalCommandsTest.getDeployments(server.uri());
        Set<String> approved = new TreeSet<>();
        Matcher d = DEPLOYMENT.matcher(answer);
        while (d.find()) {
            approved.add(d.group(1));
        }
        Set<String> hidden = new TreeSet<>();
        Matcher h = HIDDEN.matcher(answer);
        while (h.find()) {
            Matcher g = Pattern.compile("<guid>([^<]+)</guid>").matcher(h.group(1));
            while (g.find()) {
                hidden.add(g.group(1));
            }
        }
        return new Deployments(approved, hidden);
    }

    /** One SyncUpdates: every software update's deployment action by update id (all in one page here). */
    private static Map<String, String> software(ScriptedClient pc, List<Integer> installedNonLeaf,
                                                List<Integer> cachedOther) throws Exception {
        String answer = pc.call("ClientWebService/client.asmx", "SyncUpdates", pc.cookie + "<parameters>"
                + "<ExpressQuery>false</ExpressQuery>" + ScriptedClient.ints("InstalledNonLeafUpdateIDs", installedNonLeaf)
                + ScriptedClient.ints("OtherCachedUpdateIDs", cachedOther) + "<SkipSoftwareSync>false</SkipSoftwareSync>"
                + "<NeedTwoGroupOutOfScopeUpdates>true</NeedTwoGroupOutOfScopeUpdates></parameters>");
        assertTrue(answer.contains("<Truncated>false</Truncated>"), "one page holds them all: " + answer);
        Map<String, String> out = new TreeMap<>();
        for (Offer o : pc.updates(answer)) {
            if (o.updateType().equals("Software")) {
                out.put(o.updateId(), o.action());
            }
        }
        return out;
    }

    private Result export(String bundle, Path approvals) {
        List<String> args = new ArrayList<>(List.of("export", "--upstream", side.upstream().uri().toString(), "--product",
                "Contoso Widget", "--channel", "central", "--state", dir.resolve("state").toString(), "--key",
                keys.resolve("signer.sec.asc").toString(), "--out", dir.resolve(bundle).toString(), "--quiet",
                "--retries", "1"));
        if (approvals != null) {
            args.addAll(List.of("--approvals", approvals.toString()));
        }
        return ferry(args.toArray(String[]::new));
    }
}
