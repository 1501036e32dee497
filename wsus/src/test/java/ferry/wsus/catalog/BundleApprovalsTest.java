package ferry.wsus.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ferry.store.ImportRecord;
import ferry.store.Store;
import ferry.wsus.UpdateIdentity;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Approval sets carried in bundles, applied by the import to a real store: a channel's set replaces what its earlier
 * bundles carried (unchanged approvals keep their deployment, dropped ones become dead deployments for replicas),
 * the operator's own decisions are kept and win, another channel's set is left alone, and the carried JSON is read
 * strictly.
 */
class BundleApprovalsTest {
    static final String WIN11 = "72e7624a-5b00-45d2-b92f-e561c0a6a160";
    static final String SERVER = "0e7e3a0f-7c45-4e7b-9b5e-8c8a0d4c5b10";
    static final String SECURITY = "0fa1201d-4330-4fa8-8ae9-b877473b6441";
    static final String CRITICAL = "e6cf1350-c01b-414d-a61f-263d14d133b4";
    static final String DEFINITIONS = "e0789628-ce08-4437-be74-2495b842f43b";
    static final String CU = "11111111-1111-1111-1111-111111111111";          // Windows 11, Security, KB5050001
    static final String SERVER_CU = "22222222-2222-2222-2222-222222222222";   // Server 2025, Critical, KB5050002
    static final String DEF_BUNDLE = "33333333-3333-3333-3333-333333333333";  // Windows 11, Definitions, bundles DEF_MEMBER
    static final String DEF_MEMBER = "44444444-4444-4444-4444-444444444444";
    static final String NOT_YET = "77777777-7777-7777-7777-777777777777";     // not in the store

    @TempDir
    Path dir;
    Store store;
    WsusCatalog catalog;
    WsusAdministration admin;

    @BeforeEach
    void open() {
        store = CatalogFixtures.open(dir);
        catalog = new WsusCatalog(store);
        admin = new WsusAdministration(store);
        CatalogFixtures.commit(store, CatalogFixtures.bundle("b1", "wsus", 1, null, List.of(
                category(WIN11, "Product", "Windows 11"),
                category(SERVER, "Product", "Windows Server 2025"),
                category(SECURITY, "UpdateClassification", "Security Updates"),
                category(CRITICAL, "UpdateClassification", "Critical Updates"),
                category(DEFINITIONS, "UpdateClassification", "Definition Updates"),
                software(CU, 200, "5050001", List.of(WIN11, SECURITY), List.of()),
                software(SERVER_CU, 100, "5050002", List.of(SERVER, CRITICAL), List.of()),
                software(DEF_MEMBER, 1, "2267602", List.of(WIN11, DEFINITIONS), List.of()),
                software(DEF_BUNDLE, 1, "2267602", List.of(WIN11, DEFINITIONS),
                        List.of(new UpdateIdentity(DEF_MEMBER, 1)))), List.of()));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private RevisionRecord category(String id, String type, String title) {
        return new RevisionRecord(id, 1, "Category", type, title, null,
                CatalogFixtures.put(store, CatalogFixtures.bytes("<category " + id + "/>")), List.of(), List.of(),
                List.of(), List.of(), List.of());
    }

    private RevisionRecord software(String id, int rev, String kb, List<String> categories,
                                    List<UpdateIdentity> bundled) {
        return new RevisionRecord(id, rev, "Software", null, "Update " + kb, kb,
                CatalogFixtures.put(store, CatalogFixtures.bytes("<update " + id + " " + rev + "/>")), categories,
                List.of(), bundled, List.of(), List.of());
    }

    private WsusCatalogWrite.Result carry(String bundleId, String channel, long sequence, ApprovalSet set,
                                          RevisionRecord... revisions) {
        // through the carried bytes, as an import reads them
        ApprovalSet carried = ApprovalSetJson.read(ApprovalSetJson.write(set));
        return CatalogFixtures.commit(store, new ImportRecord<>(bundleId, channel, sequence, null,
                Instant.parse("2026-11-29T10:00:00Z"), CatalogFixtures.sha256(CatalogFixtures.bytes(bundleId)),
                List.of("AB12CD34EF56AB12CD34EF56AB12CD34EF56AB12"), "ferry test",
                WsusCatalogWrite.of(bundleId, List.of(revisions), List.of(), 0, carried), null));
    }

    private static ApprovalSet.Approve approve(List<String> update, List<String> kb, List<String> product,
                                               List<String> classification, String group, String action,
                                               String deadline) {
        return new ApprovalSet.Approve(update, kb, product, classification, group, action, deadline);
    }

    /** update id + group name -> origin/action/deadline, for every approval. */
    private Map<String, String> approvals() {
        return catalog.approvals(null).stream().collect(Collectors.toMap(a -> a.updateId() + " " + a.groupName(),
                a -> a.origin() + " " + a.action() + " " + a.deadline(), (x, y) -> x, TreeMap::new));
    }

    @Test
    void aChannelsSetReplacesItsEarlierSetAndTheOperatorsDecisionsWin() {
        admin.approve(new UpdateSelector(List.of(SERVER_CU), null, null, null), "All Computers", Approval.INSTALL,
                null, false);
        ApprovalSet first = new ApprovalSet(1, List.of(new ApprovalSet.Group("Ring 1", null)), List.of(
                approve(null, List.of("5050001"), null, null, "Ring 1", "Install", "2026-12-01T18:00:00Z"),
                approve(List.of(SERVER_CU), null, null, null, "All Computers", "Uninstall", null),
                approve(null, null, List.of(WIN11), List.of(DEFINITIONS), "All Computers", "Install", null),
                approve(List.of(NOT_YET), null, null, null, "Ring 1", "Install", null),
                approve(null, List.of("999"), null, null, "Ring 1", "Install", null)),
                List.of(),
                List.of(new ApprovalSet.Rule("Definitions from the centre", null, List.of(DEFINITIONS),
                        "All Computers")));

        AppliedApprovals a = carry("b2", "central", 1, first).approvals();
        assertEquals(new AppliedApprovals(1, 3, 0, 1, 0, 1, 1), a, "the SERVER_CU approval is left to the operator's"
                + " own; KB999 matches nothing; the definitions bundle is selected, not its member");
        assertEquals(Map.of(
                CU + " Ring 1", "bundle Install 2026-12-01T18:00:00Z",
                DEF_BUNDLE + " All Computers", "bundle Install null",
                NOT_YET + " Ring 1", "bundle Install null",
                SERVER_CU + " All Computers", "local Install null"), approvals());
        assertEquals(Set.of(), catalog.declined());
        assertTrue(catalog.groups().stream().anyMatch(g -> g.name().equals("Ring 1")));
        assertEquals(List.of("Definitions from the centre"), catalog.rules().stream().map(ApprovalRule::name).toList());
        long cuDeployment = deployment(CU);
        long defDeployment = deployment(DEF_BUNDLE);

        // the next bundle's set: CU unchanged, the definitions approval, NOT_YET and the rule dropped, the
        // definitions and SERVER_CU declined (the latter left to the operator's approval)
        ApprovalSet second = new ApprovalSet(1, List.of(new ApprovalSet.Group("ring 1", null)), List.of(
                approve(null, List.of("5050001"), null, null, "Ring 1", "Install", "2026-12-01T18:00:00Z")),
                List.of(new ApprovalSet.Decline(List.of(DEF_BUNDLE), null, null, null),
                        new ApprovalSet.Decline(null, List.of("5050002"), null, null)), List.of());
        AppliedApprovals b = carry("b3", "central", 2, second).approvals();
        assertEquals(new AppliedApprovals(0, 1, 1, 0, 3, 1, 0), b, "withdrawn: the rule, NOT_YET's and the"
                + " definitions' approvals");
        assertEquals(Map.of(CU + " Ring 1", "bundle Install 2026-12-01T18:00:00Z",
                SERVER_CU + " All Computers", "local Install null"), approvals());
        assertEquals(cuDeployment, deployment(CU), "an unchanged approval keeps its deployment");
        assertEquals(Set.of(DEF_BUNDLE), catalog.declined());
        assertEquals(List.of(), catalog.rules());
        DeploymentChanges changes = catalog.deploymentChanges(cuDeployment);
        assertTrue(changes.deadDeployments().size() >= 1, "replicas are told the definitions approval died");
        assertTrue(changes.deployments().stream().noneMatch(d -> d.deploymentId() == defDeployment));

        // another channel's set leaves central's alone; an empty set of central's withdraws everything it carried
        assertEquals(new AppliedApprovals(0, 0, 0, 0, 0, 0, 0),
                carry("b4", "elsewhere", 1, new ApprovalSet(1, null, null, null, null)).approvals());
        assertEquals(2, approvals().size());
        assertEquals(new AppliedApprovals(0, 0, 0, 0, 2, 0, 0),
                carry("b5", "central", 3, new ApprovalSet(1, null, null, null, null)).approvals());
        assertEquals(Map.of(SERVER_CU + " All Computers", "local Install null"), approvals());
        assertEquals(Set.of(), catalog.declined());
        assertTrue(catalog.groups().stream().anyMatch(g -> g.name().equals("Ring 1")), "groups stay");
    }

    @Test
    void aCarriedRuleApprovesTheBundlesNewUpdates() {
        String newDef = "66666666-6666-6666-6666-666666666666";
        ApprovalSet set = new ApprovalSet(1, List.of(), List.of(), List.of(), List.of(
                new ApprovalSet.Rule("Definitions", null, List.of(DEFINITIONS), "All Computers")));
        WsusCatalogWrite.Result r = carry("b2", "central", 1, set,
                software(newDef, 1, "2267603", List.of(WIN11, DEFINITIONS), List.of()));
        assertEquals(1, r.approvedByRules());
        assertEquals("rule Install null", approvals().get(newDef + " All Computers"));
        assertNotNull(r.summary().get(0));
        assertTrue(r.summary().get(0).startsWith("approvals from the bundle applied: 0 approval(s), 0 decline(s),"
                + " 1 rule(s)"), r.summary().toString());
    }

    @Test
    void theCarriedFormIsReadStrictly() {
        ApprovalSet ok = new ApprovalSet(1, List.of(), List.of(approve(List.of(CU), null, null, null,
                "All Computers", "Install", null)), List.of(), List.of());
        String json = new String(ApprovalSetJson.write(ok), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals("{\"approvals\":[{\"action\":\"Install\",\"group\":\"All Computers\",\"update\":[\"" + CU
                + "\"]}],\"formatVersion\":1}", json);
        assertEquals(ok, ApprovalSetJson.read(CatalogFixtures.bytes(json)));
        for (String[] bad : new String[][] {
                {json.replace("\"formatVersion\":1", "\"formatVersion\":2"), "formatVersion: must be 1"},
                {json.replace("Install", "install"), "approvals[0].action: must be Install or Uninstall"},
                {json.replace("\"group\"", "\"colour\":1,\"group\""), "approvals[0]"},
                {json.replace("}]", "}],\"approvals\":[]"), "Duplicate field"},
                {json.replace(CU, "ABCDEF00-1111-1111-1111-111111111111"), "approvals[0].update[0]: must be lower case"},
                {json.replace("\"All Computers\"", "\"Ring 9\""), "approvals[0].group: group \"Ring 9\" is neither"},
                {json + " x", "approval set"},
        }) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ApprovalSetJson.read(CatalogFixtures.bytes(bad[0])), bad[0]);
            assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
        }
    }

    @Test
    void anImportWithoutASetKeepsTheBundleCarriedOne() {
        ApprovalSet set = new ApprovalSet(1, List.of(), List.of(approve(List.of(CU), null, null, null,
                "All Computers", null, null)), List.of(), List.of());
        carry("b2", "central", 1, set);
        WsusCatalogWrite.Result r = CatalogFixtures.commit(store, CatalogFixtures.bundle("b3", "central", 2, 1L,
                List.of(), List.of()));
        assertNull(r.approvals());
        assertEquals(Map.of(CU + " All Computers", "bundle Install null"), approvals());
    }

    private long deployment(String updateId) {
        return catalog.approvals(null).stream().filter(a -> a.updateId().equals(updateId)).findFirst().orElseThrow()
                .deploymentId();
    }
}
