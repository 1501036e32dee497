package ferry.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ferry.format.trust.TrustPolicy;
import ferry.verifier.ChannelPolicy;
import ferry.wsus.catalog.ApprovalSet;
import ferry.wsus.catalog.ApprovalSetJson;
import ferry.wsus.catalog.RevisionRecord;
import ferry.wsus.catalog.WsusCatalog;
import ferry.wsus.catalog.WsusCatalogWrite;
import ferry.wsus.catalog.WsusTables;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An import whose commit fails after its approval set was applied (the store's hook just before the commit throws,
 * as a failure at that point would) leaves no approval, group or rule of the set: they are rows of the import's one
 * transaction. In package {@code ferry.store} for that hook; the same import then succeeds and applies the set.
 */
class BundleApprovalsRollbackTest {
    private static final String CU = "11111111-1111-1111-1111-111111111111";
    private static final ChannelPolicy POLICY = new ChannelPolicy(TrustPolicy.DEFAULT_MAX_SEQUENCE_JUMP);

    @TempDir
    Path dir;

    @Test
    void aCommitFailingAfterTheApprovalStepLeavesNoApproval() throws Exception {
        try (Store store = Store.open(dir, List.of(WsusTables.INSTANCE))) {
            WsusCatalog catalog = new WsusCatalog(store);
            byte[] md = "<update/>".getBytes(StandardCharsets.UTF_8);
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(md));
            store.putObject(new ByteArrayInputStream(md), sha, md.length);
            RevisionRecord cu = new RevisionRecord(CU, 1, "Software", null, "Update", "5050001", sha, List.of(),
                    List.of(), List.of(), List.of(), List.of());
            ApprovalSet set = ApprovalSetJson.read(ApprovalSetJson.write(new ApprovalSet(1,
                    List.of(new ApprovalSet.Group("Ring 1", null)),
                    List.of(new ApprovalSet.Approve(null, List.of("5050001"), null, null, "Ring 1", "Install", null)),
                    List.of(), List.of(new ApprovalSet.Rule("Everything Windows", List.of(CU), null, "Ring 1")))));

            store.beforeCommit = () -> {
                throw new IllegalStateException("the disk went away just before the commit");
            };
            assertThrows(IllegalStateException.class, () -> store.commitImport(record("b1", cu, set), POLICY));
            assertEquals(List.of(), catalog.approvals(null));
            assertEquals(List.of(), catalog.rules());
            assertEquals(2, catalog.groups().size(), "only the built-in groups");
            assertFalse(store.isImported("b1"));

            store.beforeCommit = () -> { };
            WsusCatalogWrite.Result r = store.commitImport(record("b1", cu, set), POLICY);
            assertEquals(1, r.approvals().approvals());
            assertEquals(1, catalog.approvals(null).size());
            assertEquals("Ring 1", catalog.approvals(null).get(0).groupName());
            assertEquals(1, catalog.rules().size());
            assertTrue(store.isImported("b1"));
        }
    }

    private static ImportRecord<WsusCatalogWrite.Result> record(String id, RevisionRecord r, ApprovalSet set) {
        return new ImportRecord<>(id, "central", 1, null, Instant.parse("2026-11-29T10:00:00Z"), "a".repeat(64),
                List.of("AB12CD34EF56AB12CD34EF56AB12CD34EF56AB12"), "ferry test",
                WsusCatalogWrite.of(id, List.of(r), List.of(), 0, set), null);
    }
}
