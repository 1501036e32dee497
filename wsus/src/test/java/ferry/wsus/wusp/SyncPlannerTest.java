package ferry.wsus.wusp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ferry.wsus.XmlShape;
import ferry.wsus.metadata.PrerequisiteGroup;
import ferry.wsus.metadata.UpdateDocument;
import ferry.wsus.soap.Messages.Cookie;
import ferry.wsus.soap.SoapVersion;
import ferry.wsus.wusp.ClientRequest.SyncParameters;
import ferry.wsus.wusp.ClientResponses.SyncInfo;
import ferry.wsus.wusp.ClientResponses.UpdateInfo;
import ferry.wsus.wusp.SyncPlanner.Approval;
import ferry.wsus.wusp.SyncPlanner.Page;
import ferry.wsus.wusp.SyncPlanner.Revision;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyncPlannerTest {
    private static final SyncParameters FIRST = params(null, null);

    /**
     * The recorded category scan (scan 000006 to 000008): the real server delivered the Defender category chain one
     * level per round, and nothing else, although it held the Defender updates. Each answer ferry plans for the
     * recorded request has the recorded answer's shape (revision ids, deployment ids and the cookie taken from the
     * recording, as the test cannot know the real server's numbering).
     */
    @Test
    void theRecordedCategoryScanIsReproduced() throws Exception {
        List<Revision> scope = List.of(
                revision(108226, "56309036-4c77-4dd9-951a-99ee9c246a94-r101", 8059),
                revision(108231, "6964aab4-c5b5-43bd-a17d-ffb4346a8e1d-r100", 8069),
                revision(72571, "dd78b8a1-0b20-45c1-add6-4da72e9364cf-r202", 4650),
                // Defender updates the server also held: never part of a category scan
                revision(197762, "266f6222-c89d-43f2-9f8a-69340271e677-r200", 1),
                revision(200724, "1f9bd9bb-7390-4aa3-bbdb-ded99fac2583-r200", 2));
        for (String exchange : List.of("scan-000006", "scan-000007", "scan-000008")) {
            ClientRequest.SyncUpdates request = (ClientRequest.SyncUpdates) ClientRequestReader.read(
                    stream(resource("requests/" + exchange + ".request.xml")), SoapVersion.SOAP_11);
            Page page = SyncPlanner.plan(scope, Map.of(), request.parameters(), SyncPlanner.PAGE_SIZE);
            String recorded = resource("responses/" + exchange + ".response.xml");
            String cookie = recorded.substring(recorded.indexOf("<NewCookie>"));
            byte[] answer = ClientResponses.syncUpdates(SoapVersion.SOAP_11, new SyncInfo(page.updates(),
                    page.outOfScopeRevisionIds(), page.truncated(), new Cookie(between(cookie, "Expiration"),
                    between(cookie, "EncryptedData")), page.driverSyncNotNeeded()));
            assertEquals(XmlShape.of(recorded), XmlShape.of(new String(answer, StandardCharsets.UTF_8)), exchange);
        }
    }

    @Test
    void aRevisionWaitsUntilOneUpdateOfEachClauseIsInstalled() throws Exception {
        Revision a = synthetic(1, "a", "Detectoid", List.of());
        Revision b = synthetic(2, "b", "Detectoid", List.of());
        Revision c = synthetic(3, "c", "Detectoid", List.of());
        Revision x = synthetic(10, "x", "Software", List.of(List.of("a"), List.of("b", "c")));
        List<Revision> scope = List.of(a, b, c, x);

        Page first = SyncPlanner.plan(scope, Map.of(), FIRST, 30);
        assertEquals(List.of(1, 2, 3), ids(first), "non-leaf first, by id; x waits");
        assertFalse(first.updates().get(0).isLeaf());

        assertEquals(List.of(), ids(SyncPlanner.plan(scope, Map.of(), params(List.of(1), List.of(2, 3)), 30)),
                "a alone does not meet the clause (b or c)");
        Page ready = SyncPlanner.plan(scope, Map.of(), params(List.of(1, 3), List.of(2)), 30);
        assertEquals(List.of(10), ids(ready));
        assertTrue(ready.updates().get(0).isLeaf());
        assertEquals("PreDeploymentCheck", ready.updates().get(0).deployment().action(), "unapproved software");
    }

    @Test
    void aClauseNothingInScopeCanMeetDoesNotHideTheRevision() {
        Revision x = synthetic(10, "x", "Software", List.of(List.of("not-served")));
        assertEquals(List.of(10), ids(SyncPlanner.plan(List.of(x), Map.of(), FIRST, 30)));
    }

    @Test
    void deploymentsFollowTheRecordedMapping() {
        Revision parent = new Revision(20, "parent", "Software", List.of(), List.of("member"), "<x/>", 720, "2026-10-04");
        Revision member = synthetic(21, "member", "Software", List.of());
        Revision standalone = synthetic(22, "standalone", "Software", List.of());
        Revision detectoid = synthetic(23, "detectoid", "Detectoid", List.of());
        Map<String, Approval> approvals = Map.of("standalone", new Approval(9001, "Install", "2026-12-01T00:00:00Z",
                "2026-11-29"));
        Page page = SyncPlanner.plan(List.of(parent, member, standalone, detectoid), approvals, FIRST, 30);
        assertEquals(List.of("PreDeploymentCheck", "Bundle", "Install", "Evaluate"),
                page.updates().stream().map(u -> u.deployment().action()).toList());
        UpdateInfo approved = page.updates().get(2);
        assertEquals(9001, approved.deployment().id());
        assertEquals("2026-12-01T00:00:00Z", approved.deployment().deadline());
        assertEquals(720, page.updates().get(0).deployment().id());
        assertTrue(page.updates().stream().allMatch(u -> u.deployment().isAssigned()));
    }

    @Test
    void pagesOfThirtyAndTruncated() {
        List<Revision> scope = new ArrayList<>();
        for (int i = 1; i <= 70; i++) {
            scope.add(synthetic(i, "u" + i, "Detectoid", List.of()));
        }
        Page first = SyncPlanner.plan(scope, Map.of(), FIRST, SyncPlanner.PAGE_SIZE);
        assertEquals(30, first.updates().size());
        assertTrue(first.truncated());
        List<Integer> cached = new ArrayList<>(ids(first));
        Page second = SyncPlanner.plan(scope, Map.of(), params(List.of(), cached), SyncPlanner.PAGE_SIZE);
        assertEquals(31, second.updates().get(0).id(), "cached ids are not sent again");
        cached.addAll(ids(second));
        Page third = SyncPlanner.plan(scope, Map.of(), params(List.of(), cached), SyncPlanner.PAGE_SIZE);
        assertEquals(10, third.updates().size());
        assertFalse(third.truncated());
        assertFalse(third.driverSyncNotNeeded(), "a software pass without a category filter, as recorded");
    }

    @Test
    void cachedRevisionsNoLongerInScopeAreNamedOutOfScope() {
        Revision a = synthetic(5, "a", "Detectoid", List.of());
        Page page = SyncPlanner.plan(List.of(a), Map.of(), params(List.of(5, 99), List.of(77)), 30);
        assertEquals(List.of(77, 99), page.outOfScopeRevisionIds());
        assertTrue(page.updates().isEmpty());
        assertFalse(page.truncated());
    }

    @Test
    void theDriverPassOffersNothing() {
        SyncParameters drivers = new SyncParameters(false, List.of(), List.of(), 70, List.of(), true, List.of(), false,
                null, null);
        Page page = SyncPlanner.plan(List.of(synthetic(1, "a", "Detectoid", List.of())), Map.of(), drivers, 30);
        assertTrue(page.updates().isEmpty());
        assertTrue(page.driverSyncNotNeeded());
    }

    private static Revision revision(int id, String document, int deploymentId) throws Exception {
        byte[] xml = resourceBytes("/wsus-real/docs/" + document + ".xml");
        UpdateDocument doc = UpdateDocument.parse(new String(xml, StandardCharsets.UTF_8));
        List<List<String>> clauses = new ArrayList<>();
        doc.requiredPrerequisites().forEach(p -> clauses.add(List.of(p)));
        for (PrerequisiteGroup g : doc.prerequisiteGroups()) {
            clauses.add(g.updateIds());
        }
        return new Revision(id, doc.identity().updateId(), doc.updateType().xmlName(), clauses,
                doc.bundledUpdates().stream().map(u -> u.updateId()).toList(),
                FragmentDeriver.derive(xml).core(), deploymentId, "2026-10-04");
    }

    private static Revision synthetic(int id, String updateId, String type, List<List<String>> clauses) {
        return new Revision(id, updateId, type, clauses, List.of(), "<UpdateIdentity UpdateID=\"" + updateId + "\" />",
                1000 + id, "2026-11-29");
    }

    private static SyncParameters params(List<Integer> installed, List<Integer> other) {
        return new SyncParameters(false, installed, other, -1, List.of(), false, List.of(), false, null, null);
    }

    private static List<Integer> ids(Page p) {
        return p.updates().stream().map(UpdateInfo::id).toList();
    }

    private static String between(String xml, String element) {
        int from = xml.indexOf("<" + element + ">");
        return xml.substring(from + element.length() + 2, xml.indexOf("</" + element + ">", from));
    }

    private static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String resource(String path) throws IOException {
        return new String(resourceBytes("/wusp-real/" + path), StandardCharsets.UTF_8);
    }

    private static byte[] resourceBytes(String path) throws IOException {
        try (InputStream in = SyncPlannerTest.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("missing test resource " + path);
            }
            return in.readAllBytes();
        }
    }
}
