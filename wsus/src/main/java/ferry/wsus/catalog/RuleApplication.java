package ferry.wsus.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies the automatic-approval rules to some updates, on the caller's connection and transaction: at import to the
 * updates whose latest revision the bundle brought (WsusCatalogWrite), or to every stored update when a rule is added
 * with "apply now". A declined update, an update contained in a bundle and an update the rule's group already
 * approves are left alone.
 */
final class RuleApplication {
    private RuleApplication() {
    }

    /**
     * @param onlyRule the name of the one rule to apply, or null for every rule
     * @return the updates a rule approved (each once), by title
     */
    static List<WsusAdministration.SelectedUpdate> apply(Connection c, Collection<String> updateIds, String onlyRule,
                                                         Instant now) throws SQLException {
        List<ApprovalRule> rules = ApprovalQueries.rules(c).stream()
                .filter(r -> onlyRule == null || r.name().equals(onlyRule)).toList();
        if (rules.isEmpty() || updateIds.isEmpty()) {
            return List.of();
        }
        List<WsusAdministration.SelectedUpdate> candidates = new ArrayList<>();
        Set<String> declined = ApprovalQueries.declined(c);
        Map<String, String> bundled = UpdateSelection.bundledBy(c, updateIds);
        for (WsusAdministration.SelectedUpdate u : UpdateSelection.details(c, updateIds)) {
            boolean software = u.updateType().equals("Software") || u.updateType().equals("Driver");
            if (software && !declined.contains(u.updateId()) && !bundled.containsKey(u.updateId())) {
                candidates.add(u);
            }
        }
        if (candidates.isEmpty()) {
            return List.of();
        }
        List<String> ids = candidates.stream().map(WsusAdministration.SelectedUpdate::updateId).toList();
        Map<String, Set<String>> categories = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT update_id, category_id FROM wsus_latest_category WHERE update_id = ANY(?)")) {
            ps.setArray(1, WsusQueries.varchars(c, ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    categories.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(rs.getString(2));
                }
            }
        }
        Set<String> approvedPairs = new HashSet<>();
        for (Approval a : ApprovalQueries.approvalsOfUpdates(c, ids)) {
            approvedPairs.add(a.updateId() + " " + a.groupId());
        }
        List<WsusAdministration.SelectedUpdate> out = new ArrayList<>();
        for (WsusAdministration.SelectedUpdate u : candidates) {
            Set<String> cats = categories.getOrDefault(u.updateId(), Set.of());
            boolean any = false;
            for (ApprovalRule r : rules) {
                if (matches(r.products(), cats) && matches(r.classifications(), cats)
                        && approvedPairs.add(u.updateId() + " " + r.groupId())) {
                    ApprovalQueries.approve(c, u.updateId(), r.groupId(), Approval.INSTALL, null, now, "rule", r.name());
                    any = true;
                }
            }
            if (any) {
                out.add(u);
            }
        }
        return out;
    }

    private static boolean matches(List<ApprovalRule.Category> wanted, Set<String> categories) {
        return wanted.isEmpty() || wanted.stream().anyMatch(w -> categories.contains(w.id()));
    }
}
