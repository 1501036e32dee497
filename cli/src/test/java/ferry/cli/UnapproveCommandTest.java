package ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ferry.cli.InProcess.Result;
import ferry.cli.WindowsClientEndToEndTest.Offer;
import ferry.cli.WindowsClientEndToEndTest.ScriptedClient;
import ferry.samples.SyntheticUpdates;
import ferry.server.StoreServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static ferry.cli.InProcess.ferry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ferry unapprove}: WSUS's "Not approved" for a group, while {@code ferry serve} runs. The group's approval
 * of the update goes (a client in the group is offered it for evaluation only at its next scan; a replica's
 * GetDeployments no longer lists the deployment), approvals of the same update for other groups stay, a declined
 * update is no longer declined, a dry run and a refused command change nothing.
 */
class UnapproveCommandTest {
    @TempDir
    Path dir;
    ConnectedSide side;
    Path store;

    @BeforeEach
    void start() throws Exception {
        side = ConnectedSide.start(dir, "u <u@ferry.invalid>");
        Path keys = side.keys();
        Path trust = side.trust();
        store = dir.resolve("store");
        Result export = ferry("export", "--upstream", side.upstream().uri().toString(), "--channel", "contoso", "--state",
                dir.resolve("state").toString(), "--key", keys.resolve("signer.sec.asc").toString(), "--out",
                dir.resolve("bundle").toString(), "--quiet", "--product", "Contoso Widget");
        assertEquals(0, export.code, export.err);
        Result imported = ferry("import", dir.resolve("bundle").toString(), "--store", store.toString(),
                "--trust-store", trust.toString(), "--quiet");
        assertEquals(0, imported.code, imported.err);
    }

    @AfterEach
    void stop() throws Exception {
        side.close();
    }

    @Test
    void notApprovedForAGroupWhileServing() throws Exception {
        String s = store.toString();
        assertEquals(0, ferry("groups", "add", "--store", s, "Ring 1").code);
        assertEquals(0, ferry("approve", "--store", s, "--kb", "5000102", "--group", "Ring 1").code);
        assertEquals(0, ferry("approve", "--store", s, "--kb", "5000102", "--group", "All Computers").code);
        assertEquals(0, ferry("decline", "--store", s, "--kb", "5000101").code);

        try (StoreServer server = StoreServer.start(store, "127.0.0.1", 0)) {
            ScriptedClient pc = new ScriptedClient(server.uri(), "PC-RING1", "Ring 1");
            pc.handshake();
            assertEquals("Install", actions(pc).get(SyntheticUpdates.KB5000102));
            assertEquals(2, count(ApprovalCommandsTest.getDeployments(server.uri()), "<ServerSyncDeployment>"));

            String before = ferry("approvals", "list", "--store", s, "--json").out;
            Result dry = ferry("unapprove", "--store", s, "--kb", "5000102", "--group", "ring 1", "--dry-run");
            assertEquals(0, dry.code, dry.err);
            assertTrue(dry.out.startsWith("Would remove 1 approval(s) of 1 update(s) for group \"Ring 1\" (dry run:"
                    + " nothing changed)"), dry.out);
            Result unknown = ferry("unapprove", "--store", s, "--kb", "5000102", "--group", "Ring 9");
            assertEquals(ExitCodes.USAGE, unknown.code, unknown.out + unknown.err);
            assertTrue(unknown.err.contains("no computer group \"Ring 9\""), unknown.err);
            assertEquals(before, ferry("approvals", "list", "--store", s, "--json").out, "nothing changed");

            Result ring1 = ferry("unapprove", "--store", s, "--kb", "5000102", "--group", "Ring 1", "--json");
            assertEquals(0, ring1.code, ring1.err);
            JsonNode r = new ObjectMapper().readTree(ring1.out);
            assertEquals("Ring 1", r.at("/group").asText());
            assertEquals(1, r.at("/updates/0/approvalsRemoved").asInt());
            assertEquals("Install", actions(pc).get(SyntheticUpdates.KB5000102),
                    "still approved for All Computers, which the computer is in");
            assertEquals(1, count(ApprovalCommandsTest.getDeployments(server.uri()), "<ServerSyncDeployment>"));

            Result all = ferry("unapprove", "--store", s, "--kb", "5000102");
            assertEquals(0, all.code, all.err);
            assertTrue(all.out.startsWith("Removed 1 approval(s) of 1 update(s) for group \"All Computers\""), all.out);
            assertEquals("PreDeploymentCheck", actions(pc).get(SyntheticUpdates.KB5000102),
                    "not approved: offered for evaluation only, at the next scan, without a restart");
            String deployments = ApprovalCommandsTest.getDeployments(server.uri());
            assertEquals(0, count(deployments, "<ServerSyncDeployment>"), deployments);

            assertFalse(actions(pc).containsKey(SyntheticUpdates.KB5000101), "declined: not offered");
            Result undeclined = ferry("unapprove", "--store", s, "--kb", "5000101");
            assertEquals(0, undeclined.code, undeclined.err);
            assertTrue(undeclined.out.contains("undeclined"), undeclined.out);
            assertEquals("PreDeploymentCheck", actions(pc).get(SyntheticUpdates.KB5000101),
                    "Not approved is no longer declined");
            JsonNode list = new ObjectMapper().readTree(ferry("approvals", "list", "--store", s, "--json").out);
            assertEquals(0, list.at("/approvals").size(), list.toString());
            assertEquals(0, list.at("/declined").size(), list.toString());
        }
    }

    /** A whole scan (new cookie state each time): each update's deployment action by update id. */
    private static Map<String, String> actions(ScriptedClient pc) throws Exception {
        Map<String, String> out = new HashMap<>();
        for (Offer o : pc.scan().values()) {
            out.put(o.updateId(), o.action());
        }
        return out;
    }

    private static int count(String text, String what) {
        return text.split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }
}
