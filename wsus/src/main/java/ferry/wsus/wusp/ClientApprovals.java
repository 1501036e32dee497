package ferry.wsus.wusp;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the Windows client service learns what the administrator decided (approvals and declines, stored in the
 * catalog by {@code ferry approve}/{@code ferry decline}). Read at every SyncUpdates, so a decision takes effect at
 * the client's next scan, without a restart.
 */
public interface ClientApprovals {

    /**
     * The decisions that apply to a computer in {@code groups} (computer group names, e.g. {@code All Computers} and
     * the groups its policy names).
     *
     * @param approvals approved updates by lower-case update id (action Install or Uninstall)
     * @param declined  lower-case ids of declined updates: never offered to anyone
     */
    record Decisions(Map<String, SyncPlanner.Approval> approvals, Set<String> declined) {
        public Decisions {
            approvals = Map.copyOf(approvals);
            declined = Set.copyOf(declined);
        }
    }

    Decisions decisions(List<String> groups);

    /** Lower-case ids of the updates approved for install for any group: whose files the store must hold. */
    Set<String> approvedForAnyGroup();

    /** No approvals, nothing declined: every update is offered for evaluation only. */
    ClientApprovals NONE = new ClientApprovals() {
        @Override
        public Decisions decisions(List<String> groups) {
            return new Decisions(Map.of(), Set.of());
        }

        @Override
        public Set<String> approvedForAnyGroup() {
            return Set.of();
        }
    };
}
