package ferry.wsus.wusp;

import ferry.wsus.wusp.ClientRequest.SyncParameters;
import ferry.wsus.wusp.ClientResponses.Deployment;
import ferry.wsus.wusp.ClientResponses.UpdateInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides one SyncUpdates answer (MS-WUSP 3.1.5.7) for one client: which revisions of its scope it gets next, with
 * which deployment, which of its cached revisions are out of scope, and whether more follow. Pure: the caller reads
 * the scope from the catalog and the approvals, and writes the answer with {@link ClientResponses#syncUpdates}.
 *
 * <p>The rules, each as the recorded Windows Server 2025 WSUS behaved (inventory notes 5.3, 9.6, 12.19):
 * <ul>
 *   <li><b>Staged delivery.</b> A revision is delivered when the client does not hold it yet
 *       ({@code InstalledNonLeafUpdateIDs} and {@code OtherCachedUpdateIDs}) and each of its prerequisite clauses (an
 *       {@code AtLeastOne} group, or a bare prerequisite as a clause of one) names an update whose revision the
 *       client listed as installed. A clause none of whose updates is in the scope counts as satisfied (no client
 *       could ever satisfy it, and it would hide the revision forever).</li>
 *   <li><b>Leaf.</b> A revision is non-leaf when an update of the scope names it in a prerequisite clause
 *       (including {@code IsCategory} groups); non-leaf revisions go first, then by revision id.</li>
 *   <li><b>Pages</b> of at most {@code pageSize} (30 on the real server); {@code Truncated} when more are
 *       deliverable, never with an empty page.</li>
 *   <li><b>Deployment.</b> An approved update: its approval. Otherwise software that is a member of a bundle of
 *       the scope: {@code Bundle}; other software: {@code PreDeploymentCheck}; detectoids and categories:
 *       {@code Evaluate}. {@code IsAssigned} true, AutoSelect, AutoDownload and SupersedenceBehavior 0.</li>
 *   <li><b>Out of scope:</b> cached revision ids that are not in the scope (any longer).</li>
 *   <li><b>Category scan</b> ({@code FilterCategoryIds}): the scope shrinks to the named categories and the
 *       categories they need, delivered one level per round as the real server did; {@code DriverSyncNotNeeded}
 *       is then true, as recorded.</li>
 *   <li><b>Driver pass</b> ({@code SkipSoftwareSync}): ferry serves no drivers, so no updates and
 *       {@code DriverSyncNotNeeded} true.</li>
 * </ul>
 */
public final class SyncPlanner {
    /** Updates per SyncUpdates answer on the real server. */
    public static final int PAGE_SIZE = 30;

    /**
     * One revision a client may get: the newest revision of an update in the client's scope.
     *
     * @param id            the server's revision id (MS-WUSP 3.1.1, Revision Table), stable across restarts
     * @param updateId      lower-case GUID
     * @param updateType    {@code Software}, {@code Detectoid}, {@code Category} or {@code Driver}
     * @param clauses       prerequisite clauses: each a list of lower-case update ids, at least one of which must be
     *                      installed
     * @param bundledUpdateIds lower-case ids of the updates this one bundles (empty unless a bundle)
     * @param coreXml       the Core fragment ({@link FragmentDeriver})
     * @param deploymentId  the deployment id the revision gets when it is not approved
     * @param lastChange    the {@code LastChangeTime} text of that deployment (a UTC date, as the real server wrote)
     */
    public record Revision(int id, String updateId, String updateType, List<List<String>> clauses,
                           List<String> bundledUpdateIds, String coreXml, int deploymentId, String lastChange) {
        public Revision {
            clauses = clauses.stream().map(List::copyOf).toList();
            bundledUpdateIds = List.copyOf(bundledUpdateIds);
        }
    }

    /**
     * An approval of an update for the client's computer groups.
     *
     * @param action   {@code Install} or {@code Uninstall}
     * @param deadline UTC xs:dateTime text, or null
     */
    public record Approval(int deploymentId, String action, String deadline, String lastChange) {
    }

    /** The answer: updates of this page, out-of-scope cached ids (ascending), whether more follow, the driver flag. */
    public record Page(List<UpdateInfo> updates, List<Integer> outOfScopeRevisionIds, boolean truncated,
                       boolean driverSyncNotNeeded) {
    }

    private SyncPlanner() {
    }

    /**
     * @param scope     the revisions the client may get (at most one per update)
     * @param approvals approvals that apply to the client, by lower-case update id
     * @param request   the client's parameters as read
     * @param pageSize  at most this many updates, at least 1
     */
    public static Page plan(Collection<Revision> scope, Map<String, Approval> approvals, SyncParameters request,
                            int pageSize) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize " + pageSize);
        }
        if (request.skipSoftwareSync()) {
            return new Page(List.of(), List.of(), false, true);
        }
        boolean categoryScan = !request.filterCategoryIds().isEmpty();
        Map<String, Revision> byUpdate = new HashMap<>();
        for (Revision r : scope) {
            byUpdate.put(r.updateId(), r);
        }
        if (categoryScan) {
            byUpdate = categoryClosure(byUpdate, request.filterCategoryIds());
        }
        Map<Integer, Revision> byId = new HashMap<>();
        Set<String> needed = new HashSet<>();
        Set<String> bundled = new HashSet<>();
        for (Revision r : byUpdate.values()) {
            byId.put(r.id(), r);
            r.clauses().forEach(needed::addAll);
            bundled.addAll(r.bundledUpdateIds());
        }

        List<Integer> installed = request.installedNonLeafUpdateIds() == null ? List.of()
                : request.installedNonLeafUpdateIds();
        List<Integer> other = request.otherCachedUpdateIds() == null ? List.of() : request.otherCachedUpdateIds();
        Set<String> installedUpdates = new HashSet<>();
        for (int id : installed) {
            Revision r = byId.get(id);
            if (r != null) {
                installedUpdates.add(r.updateId());
            }
        }
        Set<Integer> cached = new HashSet<>(installed);
        cached.addAll(other);
        TreeSet<Integer> outOfScope = new TreeSet<>();
        for (int id : cached) {
            if (!byId.containsKey(id)) {
                outOfScope.add(id);
            }
        }

        List<Revision> deliverable = new ArrayList<>();
        for (Revision r : byUpdate.values()) {
            if (!cached.contains(r.id()) && satisfied(r, installedUpdates, byUpdate.keySet())) {
                deliverable.add(r);
            }
        }
        deliverable.sort(Comparator.comparing((Revision r) -> !needed.contains(r.updateId()))
                .thenComparingInt(Revision::id));
        List<UpdateInfo> page = new ArrayList<>(Math.min(pageSize, deliverable.size()));
        for (Revision r : deliverable.subList(0, Math.min(pageSize, deliverable.size()))) {
            page.add(new UpdateInfo(r.id(), deployment(r, approvals.get(r.updateId()), bundled),
                    !needed.contains(r.updateId()), r.coreXml()));
        }
        return new Page(page, List.copyOf(outOfScope), deliverable.size() > pageSize, categoryScan);
    }

    private static boolean satisfied(Revision r, Set<String> installedUpdates, Set<String> inScope) {
        for (List<String> clause : r.clauses()) {
            boolean anyInScope = false;
            boolean met = false;
            for (String u : clause) {
                anyInScope |= inScope.contains(u);
                met |= installedUpdates.contains(u);
            }
            if (anyInScope && !met) {
                return false;
            }
        }
        return true;
    }

    private static Deployment deployment(Revision r, Approval approval, Set<String> bundled) {
        if (approval != null) {
            return new Deployment(approval.deploymentId(), approval.action(), approval.deadline(), true,
                    approval.lastChange(), 0, 0, 0);
        }
        String action;
        if (!r.updateType().equals("Software")) {
            action = "Evaluate";
        } else if (bundled.contains(r.updateId())) {
            action = "Bundle";
        } else {
            action = "PreDeploymentCheck";
        }
        return new Deployment(r.deploymentId(), action, null, true, r.lastChange(), 0, 0, 0);
    }

    /** The named categories and, transitively, the categories their clauses name. */
    private static Map<String, Revision> categoryClosure(Map<String, Revision> byUpdate, List<String> roots) {
        Map<String, Revision> closure = new HashMap<>();
        List<String> todo = new ArrayList<>(roots);
        while (!todo.isEmpty()) {
            String u = todo.remove(todo.size() - 1);
            Revision r = byUpdate.get(u);
            if (r == null || !r.updateType().equals("Category") || closure.containsKey(u)) {
                continue;
            }
            closure.put(u, r);
            r.clauses().forEach(todo::addAll);
        }
        return closure;
    }
}
