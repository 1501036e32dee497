package ferry.wsus.catalog;

import ferry.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Applies an approval set carried in a bundle, inside the bundle's import transaction (so it commits with the bundle
 * or not at all). The rule (docs/windows-clients.md, "Approvals from the connected side"): the set replaces the rules,
 * approvals and declines that earlier bundles of the same channel carried; what the isolated side's operator decided
 * ({@code ferry approve}, {@code decline}, {@code approvals rule add}: origin {@code local}) is kept and wins where
 * both speak of the same thing. Groups are created where missing and never removed.
 *
 * <p>Two steps around the import's own approval work: {@link #groupsAndRules} before the automatic-approval rules
 * run on the bundle's new updates (so the set's rules approve them at this import), {@link #decisions} after them
 * (so the set's approvals and declines have the last word over what a rule did).
 */
final class BundleApprovals {
    private static final String ORIGIN = "bundle";

    private final String bundleId;
    private final ApprovalSet set;
    private final Instant now;
    private String channel;
    private int groupsCreated;
    private int rules;
    private int leftToLocal;
    private int withdrawn;

    BundleApprovals(String bundleId, ApprovalSet set, Instant now) {
        this.bundleId = Objects.requireNonNull(bundleId);
        this.set = Objects.requireNonNull(set);
        this.now = Objects.requireNonNull(now);
    }

    /** Creates the set's missing groups and replaces the channel's bundle-carried rules with the set's. */
    void groupsAndRules(Connection c) throws SQLException {
        channel = channel(c);
        Map<String, TargetGroup> byName = new HashMap<>();
        ApprovalQueries.groups(c).forEach(g -> byName.put(key(g.name()), g));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO wsus_target_group (group_id, name, name_key,"
                + " parent_id, built_in, created_at) VALUES (?, ?, ?, ?, FALSE, ?)")) {
            for (ApprovalSet.Group g : set.groups()) {
                if (byName.containsKey(key(g.name()))) {
                    continue;
                }
                TargetGroup parent = byName.get(key(g.parent() == null ? TargetGroup.ALL_COMPUTERS_NAME : g.parent()));
                if (parent == null) { // the set's check lists parents before their children
                    throw new StoreException("bundle " + bundleId + ": approval set group " + g.name()
                            + " names parent " + g.parent() + ", which does not exist");
                }
                TargetGroup created = new TargetGroup(UUID.randomUUID().toString(), g.name(), parent.id(), false);
                ps.setString(1, created.id());
                ps.setString(2, g.name());
                ps.setString(3, key(g.name()));
                ps.setString(4, parent.id());
                ps.setObject(5, ApprovalQueries.utc(now));
                ps.executeUpdate();
                byName.put(key(g.name()), created);
                groupsCreated++;
            }
        }
        Set<String> earlierRules = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name_key FROM wsus_approval_rule WHERE " + earlier())) {
            bindEarlier(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    earlierRules.add(rs.getString(1));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM wsus_approval_rule WHERE " + earlier())) {
            bindEarlier(ps, 1);
            ps.executeUpdate();
        }
        set.rules().forEach(r -> earlierRules.remove(key(r.name())));
        withdrawn += earlierRules.size();
        Set<String> taken = new HashSet<>();
        ApprovalQueries.rules(c).forEach(r -> taken.add(key(r.name())));
        for (ApprovalSet.Rule r : set.rules()) {
            if (!taken.add(key(r.name()))) {
                leftToLocal++; // a rule of that name exists: the operator's (or another channel's) stays
                continue;
            }
            TargetGroup g = byName.get(key(r.group()));
            long id;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO wsus_approval_rule (name, name_key, group_id,"
                    + " created_at, origin, origin_ref) VALUES (?, ?, ?, ?, ?, ?)", new String[] {"RULE_ID"})) {
                ps.setString(1, r.name());
                ps.setString(2, key(r.name()));
                ps.setString(3, g.id());
                ps.setObject(4, ApprovalQueries.utc(now));
                ps.setString(5, ORIGIN);
                ps.setString(6, bundleId);
                ps.executeUpdate();
                try (ResultSet rs = ps.getGeneratedKeys()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO wsus_approval_rule_category (rule_id, category_id, role) VALUES (?, ?, ?)")) {
                for (String p : new LinkedHashSet<>(r.product())) {
                    ps.setLong(1, id);
                    ps.setString(2, p);
                    ps.setString(3, "product");
                    ps.addBatch();
                }
                for (String k : new LinkedHashSet<>(r.classification())) {
                    ps.setLong(1, id);
                    ps.setString(2, k);
                    ps.setString(3, "classification");
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            rules++;
        }
    }

    /**
     * Replaces the channel's bundle-carried approvals and declines with the set's, resolved against the store as it
     * is now (this bundle's updates included). Runs after {@link #groupsAndRules}.
     */
    AppliedApprovals decisions(Connection c) throws SQLException {
        Map<String, TargetGroup> byName = new HashMap<>();
        ApprovalQueries.groups(c).forEach(g -> byName.put(key(g.name()), g));
        int unmatched = 0;
        // what the set wants, later entries overriding earlier ones for the same update and group
        Set<String> declines = new LinkedHashSet<>();
        for (ApprovalSet.Decline d : set.declines()) {
            Set<String> ids = UpdateSelection.resolveCarried(c, d.selector());
            unmatched += ids.isEmpty() ? 1 : 0;
            declines.addAll(ids);
        }
        Map<String, Wanted> wanted = new LinkedHashMap<>();
        for (ApprovalSet.Approve a : set.approvals()) {
            Set<String> ids = UpdateSelection.resolveCarried(c, a.selector());
            unmatched += ids.isEmpty() ? 1 : 0;
            String group = byName.get(key(a.group())).id();
            Instant deadline = a.deadline() == null ? null : Instant.parse(a.deadline());
            for (String id : ids) {
                if (!declines.contains(id)) { // declining an update the set also approves: the decline wins
                    wanted.put(id + " " + group, new Wanted(id, group, ApprovalSet.action(a.action()), deadline));
                }
            }
        }
        // the operator's own decisions win
        Set<String> localPairs = new HashSet<>();
        Set<String> locallyApproved = new HashSet<>();
        for (Approval a : ApprovalQueries.approvals(c, null)) {
            if (a.origin().equals("local")) {
                localPairs.add(a.updateId() + " " + a.groupId());
                locallyApproved.add(a.updateId());
            }
        }
        Set<String> locallyDeclined = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT update_id FROM wsus_declined WHERE origin = 'local'");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                locallyDeclined.add(rs.getString(1));
            }
        }
        int before = wanted.size() + declines.size();
        wanted.values().removeIf(w -> localPairs.contains(w.updateId() + " " + w.groupId())
                || locallyDeclined.contains(w.updateId()));
        declines.removeIf(id -> locallyApproved.contains(id) || locallyDeclined.contains(id));
        leftToLocal += before - wanted.size() - declines.size();

        // earlier bundles' approvals of the channel: kept where the set still wants them as they are
        List<Approval> earlier = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT update_id, group_id, action, deadline, deployment_guid"
                + " FROM wsus_approval WHERE " + earlier())) {
            bindEarlier(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    earlier.add(new Approval(rs.getString(1), null, null, null, rs.getString(2), null,
                            rs.getString(3), ApprovalQueries.instant(rs, 4), null, ORIGIN, null, 0, rs.getString(5)));
                }
            }
        }
        Set<String> unchanged = new HashSet<>();
        for (Approval a : earlier) {
            String pair = a.updateId() + " " + a.groupId();
            Wanted w = wanted.get(pair);
            if (w != null && w.action().equals(a.action()) && Objects.equals(w.deadline(), a.deadline())) {
                unchanged.add(pair);
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE wsus_approval SET origin_ref = ? WHERE deployment_guid = ?")) {
                    ps.setString(1, bundleId);
                    ps.setString(2, a.deploymentGuid());
                    ps.executeUpdate();
                }
            } else if (w == null) {
                withdrawn += ApprovalQueries.removeApprovals(c, "deployment_guid = ?", List.of(a.deploymentGuid()),
                        now);
            }
        }
        // earlier bundles' declines of the channel that the set no longer holds are lifted
        try (PreparedStatement ps = c.prepareStatement("SELECT update_id FROM wsus_declined WHERE " + earlier())) {
            bindEarlier(ps, 1);
            List<String> lift = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!declines.contains(rs.getString(1))) {
                        lift.add(rs.getString(1));
                    }
                }
            }
            for (String id : lift) {
                ApprovalQueries.undecline(c, id);
                withdrawn++;
            }
        }
        for (Wanted w : wanted.values()) {
            if (!unchanged.contains(w.updateId() + " " + w.groupId())) {
                ApprovalQueries.undecline(c, w.updateId()); // approving undoes another channel's decline, as WSUS does
                ApprovalQueries.approve(c, w.updateId(), w.groupId(), w.action(), w.deadline(), now, ORIGIN, bundleId);
            }
        }
        for (String id : declines) {
            ApprovalQueries.decline(c, id, now, ORIGIN, bundleId);
        }
        return new AppliedApprovals(groupsCreated, wanted.size(), declines.size(), rules, withdrawn, leftToLocal, unmatched);
    }

    private record Wanted(String updateId, String groupId, String action, Instant deadline) {
    }

    /** Rows of the channel's earlier bundles: a condition with two parameters ({@link #bindEarlier}). */
    private static String earlier() {
        return "origin = 'bundle' AND origin_ref IN (SELECT bundle_id FROM bundle WHERE channel = ? AND bundle_id <> ?)";
    }

    private void bindEarlier(PreparedStatement ps, int from) throws SQLException {
        ps.setString(from, channel);
        ps.setString(from + 1, bundleId);
    }

    private String channel(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT channel FROM bundle WHERE bundle_id = ?")) {
            ps.setString(1, bundleId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new StoreException("bundle " + bundleId + " has no row in this import's transaction");
                }
                return rs.getString(1);
            }
        }
    }

    private static String key(String name) {
        return name.trim().toLowerCase(Locale.ROOT);
    }
}
