package ferry.wsus.wusp;

import ferry.wsus.catalog.Approval;
import ferry.wsus.catalog.WsusCatalog;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The administrator's decisions as the catalog holds them ({@code ferry approve}, {@code ferry decline}; read through
 * {@link WsusCatalog#deployments} and {@link WsusCatalog#declined}), for the Windows client service. A computer's
 * groups are the groups its policy names (client-side targeting), matched by name without regard to case; names no
 * group of the store has are ignored, and a computer left with none is in "Unassigned Computers", as WSUS places it.
 * Approvals for "All Computers" apply to everyone.
 */
public final class StoreApprovals implements ClientApprovals {
    private final WsusCatalog catalog;

    public StoreApprovals(WsusCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * @param groups group names as the client sent them (empty: none); groups, approvals and declines are read in
     *               one committed state, so an answer never mixes the decisions before and after an import's commit
     */
    @Override
    public Decisions decisions(List<String> groups) {
        WsusCatalog.ComputerDecisions d = catalog.decisions(groups);
        Map<String, SyncPlanner.Approval> out = new HashMap<>();
        for (Approval a : d.deployments().values()) {
            out.put(a.updateId(), new SyncPlanner.Approval((int) a.deploymentId(), a.action(),
                    a.deadline() == null ? null : a.deadline().toString(),
                    a.approvedAt().atOffset(ZoneOffset.UTC).toLocalDate().toString()));
        }
        return new Decisions(out, d.declined());
    }

    @Override
    public Set<String> approvedForAnyGroup() {
        Set<String> out = new HashSet<>();
        Set<String> declined = catalog.declined();
        for (Approval a : catalog.approvals(null)) {
            if (a.action().equals(Approval.INSTALL) && a.revisionNumber() != null && !declined.contains(a.updateId())) {
                out.add(a.updateId());
            }
        }
        return out;
    }
}
