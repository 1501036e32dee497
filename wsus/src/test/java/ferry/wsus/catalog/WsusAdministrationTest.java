package ferry.wsus.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ferry.store.Store;
import ferry.wsus.UpdateIdentity;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Approvals, declines, computer groups and automatic-approval rules in a real store: what each command changes, what
 * the read API ({@link WsusCatalog#deployments}, {@link WsusCatalog#deploymentChanges}) then answers, and that every
 * refusal changes nothing.
 */
class WsusAdministrationTest {
    static final String WIN11 = "72e7624a-5b00-45d2-b92f-e561c0a6a160";
    static final String SERVER = "0e7e3a0f-7c45-4e7b-9b5e-8c8a0d4c5b10";
    static final String OFFICE_A = "aaaaaaaa-0000-0000-0000-00000000000a";
    static final String OFFICE_B = "bbbbbbbb-0000-0000-0000-00000000000b";
    static final String SECURITY = "0fa1201d-4330-4fa8-8ae9-b877473b6441";
    static final String CRITICAL = "e6cf1350-c01b-414d-a61f-263d14d133b4";
    static final String DEFINITIONS = "e0789628-ce08-4437-be74-2495b842f43b";
    static final String CU = "11111111-1111-1111-1111-111111111111";          // Windows 11, Security, KB5050001
    static final String SERVER_CU = "22222222-2222-2222-2222-222222222222";   // Server 2025, Critical, KB5050002
    static final String DEF_BUNDLE = "33333333-3333-3333-3333-333333333333";  // Windows 11, Definitions, bundles DEF_MEMBER
    static final String DEF_MEMBER = "44444444-4444-4444-4444-444444444444";  // same categories and KB as its bundle
    static final String DETECTOID = "55555555-5555-5555-5555-555555555555";
    static final String DEF_NEXT = "66666666-6666-6666-6666-666666666666";    // a later definition update

    @TempDir
    Path dir;
    Store store;
    WsusCatalog catalog;
    WsusAdministration admin;
    Instant now = Instant.parse("2026-11-29T09:00:00Z");

    @BeforeEach
    void open() {
        store = CatalogFixtures.open(dir);
        catalog = new WsusCatalog(store);
        admin = new WsusAdministration(store, new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        });
        CatalogFixtures.commit(store, CatalogFixtures.bundle("b1", "wsus", 1, null, List.of(
                category(WIN11, "Product", "Windows 11"),
                category(SERVER, "Product", "Windows Server 2025"),
                category(OFFICE_A, "Product", "Office"),
                category(OFFICE_B, "Product", "Office"),
                category(SECURITY, "UpdateClassification", "Security Updates"),
                category(CRITICAL, "UpdateClassification", "Critical Updates"),
                category(DEFINITIONS, "UpdateClassification", "Definition Updates"),
                software(CU, 200, "2025-01 Cumulative Update", "5050001", List.of(WIN11, SECURITY), List.of()),
                software(SERVER_CU, 100, "Server update", "5050002", List.of(SERVER, CRITICAL), List.of()),
                software(DEF_MEMBER, 1, "Definitions (member)", "2267602", List.of(WIN11, DEFINITIONS), List.of()),
                software(DEF_BUNDLE, 1, "Definitions", "2267602", List.of(WIN11, DEFINITIONS),
                        List.of(new UpdateIdentity(DEF_MEMBER, 1))),
                CatalogFixtures.revision(store, DETECTOID, 7, "Detectoid", null, List.of(), List.of())), List.of()));
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

    private RevisionRecord software(String id, int rev, String title, String kb, List<String> categories,
                                    List<UpdateIdentity> bundled) {
        return new RevisionRecord(id, rev, "Software", null, title, kb,
                CatalogFixtures.put(store, CatalogFixtures.bytes("<update " + id + " " + rev + "/>")), categories,
                List.of(), bundled, List.of(), List.of());
    }

    private static UpdateSelector kb(String... kbs) {
        return new UpdateSelector(null, List.of(kbs), null, null);
    }

    private static UpdateSelector ids(String... ids) {
        return new UpdateSelector(List.of(ids), null, null, null);
    }

    @Test
    void anApprovalForAllComputersReachesEveryGroupAndFollowsTheLatestRevision() {
        WsusAdministration.ApprovalOutcome o = admin.approve(kb("KB5050001"), "all computers", Approval.INSTALL, null,
                false);
        assertEquals(TargetGroup.ALL_COMPUTERS, o.group().id());
        assertEquals(List.of("approved"), o.updates().stream().map(WsusAdministration.Approved::change).toList());

        Map<String, Approval> unassigned = catalog.deployments(Set.of());
        assertEquals(Set.of(CU), unassigned.keySet());
        Approval a = unassigned.get(CU);
        assertEquals(200, a.revisionNumber());
        assertEquals("Install", a.action());
        assertNull(a.deadline());
        assertEquals(now, a.approvedAt());
        assertEquals("local", a.origin());
        assertEquals(Set.of(CU), catalog.deployments(Set.of(TargetGroup.UNASSIGNED_COMPUTERS.toUpperCase())).keySet());

        DeploymentChanges first = catalog.deploymentChanges(0);
        assertEquals(List.of(a), first.deployments());
        assertEquals(List.of(TargetGroup.ALL_COMPUTERS, TargetGroup.UNASSIGNED_COMPUTERS),
                first.groups().stream().map(TargetGroup::id).toList());
        assertEquals(a.deploymentId(), first.counter());

        // A new revision brings a new deployment for it; the old one is dead for replicas that saw it.
        CatalogFixtures.commit(store, CatalogFixtures.bundle("b2", "wsus", 2, null, List.of(
                software(CU, 201, "2025-01 Cumulative Update (re-release)", "5050001", List.of(WIN11, SECURITY),
                        List.of())), List.of()));
        Approval renewed = catalog.deployments(Set.of()).get(CU);
        assertEquals(201, renewed.revisionNumber());
        assertTrue(renewed.deploymentId() > a.deploymentId());
        assertNotEquals(a.deploymentGuid(), renewed.deploymentGuid());
        DeploymentChanges since = catalog.deploymentChanges(first.counter());
        assertEquals(List.of(renewed), since.deployments());
        assertEquals(List.of(a.deploymentGuid()), since.deadDeployments());
        assertEquals(List.of(), catalog.deploymentChanges(since.counter()).deployments());
    }

    @Test
    void selectorsCombineAndBundleMembersFollowTheirBundle() {
        assertEquals(List.of(DEF_BUNDLE), selected(new UpdateSelector(null, null, List.of("windows 11"),
                List.of("Definition Updates"))));
        assertEquals(Set.of(CU, DEF_BUNDLE), Set.copyOf(selected(new UpdateSelector(null, null, List.of("Windows 11"),
                null))));
        assertEquals(Set.of(CU, SERVER_CU), Set.copyOf(selected(new UpdateSelector(null, null, null,
                List.of("Security Updates", CRITICAL.toUpperCase())))));
        assertEquals(List.of(DEF_BUNDLE), selected(kb("2267602")), "the member shares the KB but follows its bundle");
        assertEquals(List.of(CU), selected(new UpdateSelector(List.of(CU, SERVER_CU), List.of("5050001"), null, null)));
    }

    private List<String> selected(UpdateSelector s) {
        return admin.select(s).stream().map(WsusAdministration.SelectedUpdate::updateId).toList();
    }

    @Test
    void refusalsNameTheFaultAndChangeNothing() {
        admin.approve(kb("5050002"), "All Computers", Approval.INSTALL, null, false);
        TreeMap<String, List<String>> before = CatalogFixtures.snapshot(store);
        long changes = store.changes();
        refused("no stored software or driver update has KB999", () -> admin.approve(kb("999"), "All Computers",
                Approval.INSTALL, null, false));
        refused("no computer group \"Ring 9\"", () -> admin.approve(kb("5050001"), "Ring 9", Approval.INSTALL, null,
                false));
        refused("product name \"office\" is ambiguous", () -> admin.decline(new UpdateSelector(null, null,
                List.of("office"), null), false));
        refused("no product named \"Windows 95\"", () -> admin.decline(new UpdateSelector(null, null,
                List.of("Windows 95"), null), false));
        refused("is a Detectoid", () -> admin.decline(ids(DETECTOID), false));
        refused("is contained in bundle " + DEF_BUNDLE, () -> admin.approve(ids(DEF_MEMBER), "All Computers",
                Approval.INSTALL, null, false));
        refused("is not in the store", () -> admin.approve(ids("77777777-7777-7777-7777-777777777777"),
                "All Computers", Approval.INSTALL, null, false));
        refused("no stored software or driver update matches --product \"Windows Server 2025\" --classification"
                + " \"Security Updates\"", () -> admin.approve(new UpdateSelector(null, null,
                List.of("Windows Server 2025"), List.of("Security Updates")), "All Computers", Approval.INSTALL, null,
                false));
        refused("KB number \"KB12x\" is not a number", () -> admin.decline(kb("KB12x"), false));
        refused("name the updates", () -> admin.decline(new UpdateSelector(null, null, null, null), false));
        refused("is built in", () -> admin.removeGroup("Unassigned Computers"));
        refused("exists already", () -> admin.addGroup("all COMPUTERS", null));
        refused("no approval rule", () -> admin.removeRule("nothing"));
        refused("name at least one", () -> admin.addRule("r", List.of(), List.of(), null, false));
        assertEquals(before, CatalogFixtures.snapshot(store));
        assertEquals(changes, store.changes());
    }

    private static void refused(String message, Executable call) {
        ApprovalException e = assertThrows(ApprovalException.class, call::execute);
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    interface Executable {
        void execute();
    }

    @Test
    void aDryRunReportsAndKeepsNothing() {
        TreeMap<String, List<String>> before = CatalogFixtures.snapshot(store);
        long changes = store.changes();
        WsusAdministration.ApprovalOutcome o = admin.approve(new UpdateSelector(null, null, List.of("Windows 11"), null),
                "All Computers", Approval.INSTALL, null, true);
        assertTrue(o.dryRun());
        assertEquals(2, o.updates().size());
        assertEquals(2, admin.decline(kb("5050002", "5050001"), true).updates().size());
        assertEquals(before, CatalogFixtures.snapshot(store));
        assertEquals(changes, store.changes());
        admin.approve(kb("5050001"), "All Computers", Approval.INSTALL, null, false);
        assertEquals(changes + 1, store.changes(), "a kept change counts once");
    }

    @Test
    void groupsDeadlinesAndPrecedence() {
        TargetGroup ring = admin.addGroup("Ring 1", null);
        TargetGroup pilot = admin.addGroup("Pilot", "ring 1");
        assertEquals(TargetGroup.ALL_COMPUTERS, ring.parentId());
        assertEquals(ring.id(), pilot.parentId());
        Instant deadline = Instant.parse("2026-12-01T18:00:00Z");
        admin.approve(kb("5050001"), "Ring 1", Approval.INSTALL, deadline, false);
        admin.approve(kb("5050001"), "All Computers", Approval.UNINSTALL, null, false);

        assertEquals("Uninstall", catalog.deployments(Set.of()).get(CU).action(), "unassigned: All Computers only");
        Approval forPilot = catalog.deployments(Set.of(pilot.id())).get(CU);
        assertEquals("Install", forPilot.action(), "Install wins; Pilot inherits Ring 1's approval");
        assertEquals(deadline, forPilot.deadline());
        assertEquals("Ring 1", forPilot.groupName());

        WsusAdministration.ApprovalOutcome again = admin.approve(kb("5050001"), "Ring 1", Approval.INSTALL, deadline,
                false);
        assertEquals("unchanged", again.updates().get(0).change());
        assertEquals("changed", admin.approve(kb("5050001"), "Ring 1", Approval.INSTALL, null, false)
                .updates().get(0).change());

        refused("has group \"Pilot\" below it", () -> admin.removeGroup("Ring 1"));
        admin.removeGroup("pilot");
        long counter = catalog.deploymentChanges(0).counter();
        WsusAdministration.GroupRemoval removal = admin.removeGroup("Ring 1");
        assertEquals(1, removal.approvalsRemoved());
        assertEquals(1, catalog.deploymentChanges(counter).deadDeployments().size());
        assertEquals(List.of("All Computers", "Unassigned Computers"),
                catalog.groups().stream().map(TargetGroup::name).toList());
        assertEquals(List.of(CU), catalog.approvals(null).stream().map(Approval::updateId).toList());
    }

    @Test
    void declineRemovesApprovalsAndRulesNeverApproveADeclinedUpdate() {
        ApprovalRule rule = admin.addRule("Definition Updates for All Computers", List.of(),
                List.of("Definition Updates"), null, false).rule();
        assertEquals(List.of(new ApprovalRule.Category(DEFINITIONS, "Definition Updates")), rule.classifications());
        assertEquals(List.of(), catalog.approvals(null), "without --apply-now a rule waits for the next import");

        WsusCatalogWrite.Result r = CatalogFixtures.commit(store, CatalogFixtures.bundle("b2", "wsus", 2, null, List.of(
                software(DEF_NEXT, 1, "Definitions 2", "2267602", List.of(WIN11, DEFINITIONS), List.of()),
                software(SERVER_CU, 101, "Server update", "5050002", List.of(SERVER, CRITICAL), List.of())), List.of()));
        assertEquals(1, r.approvedByRules());
        Approval byRule = catalog.deployments(Set.of()).get(DEF_NEXT);
        assertEquals("rule", byRule.origin());
        assertEquals("Definition Updates for All Computers", byRule.originRef());
        assertEquals(Set.of(DEF_NEXT), catalog.deployments(Set.of()).keySet());

        WsusAdministration.DeclineOutcome d = admin.decline(ids(DEF_NEXT), false);
        assertEquals(1, d.updates().get(0).approvalsRemoved());
        assertEquals(Set.of(DEF_NEXT), catalog.declined());
        assertEquals(Map.of(), catalog.deployments(Set.of()));
        assertEquals(List.of(DEF_NEXT), catalog.deploymentChanges(0).hiddenUpdates());

        WsusCatalogWrite.Result r3 = CatalogFixtures.commit(store, CatalogFixtures.bundle("b3", "wsus", 3, null, List.of(
                software(DEF_NEXT, 2, "Definitions 2", "2267602", List.of(WIN11, DEFINITIONS), List.of())), List.of()));
        assertEquals(0, r3.approvedByRules(), "a declined update is never approved by a rule");
        assertEquals(Map.of(), catalog.deployments(Set.of()));

        WsusAdministration.ApprovalOutcome o = admin.approve(ids(DEF_NEXT), "All Computers", Approval.INSTALL, null,
                false);
        assertTrue(o.updates().get(0).undeclined(), "an operator's approval undoes the decline, as in WSUS");
        assertEquals(Set.of(), catalog.declined());
        assertEquals(2, catalog.deployments(Set.of()).get(DEF_NEXT).revisionNumber());

        WsusAdministration.RuleAdded applied = admin.addRule("Criticals", List.of("Windows Server 2025"),
                List.of("critical updates"), "Unassigned Computers", true);
        assertEquals(List.of(SERVER_CU), applied.approved().stream().map(WsusAdministration.SelectedUpdate::updateId)
                .toList());
        assertEquals(List.of("Criticals", "Definition Updates for All Computers"),
                catalog.rules().stream().map(ApprovalRule::name).toList());
        admin.removeRule("criticals");
        assertFalse(catalog.rules().stream().anyMatch(x -> x.name().equals("Criticals")));
        assertEquals(Set.of(DEF_NEXT, SERVER_CU), catalog.deployments(Set.of()).keySet(), "its approvals stay");
    }
}
