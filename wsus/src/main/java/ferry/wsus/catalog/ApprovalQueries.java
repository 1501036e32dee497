package ferry.wsus.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Queries and row writes of the approval tables (migration V3): groups, approvals, dead deployments, declined
 * updates, rules. Each takes the connection to run on, so callers choose the transaction.
 */
final class ApprovalQueries {
    // The latest stored revision of the approval's update, or nulls when the store does not hold it.
    private static final String APPROVALS = "SELECT a.update_id, r.revision_number, r.title, r.kb_article, a.group_id,"
            + " g.name, a.action, a.deadline, a.approved_at, a.origin, a.origin_ref, a.deployment_id, a.deployment_guid"
            + " FROM wsus_approval a JOIN wsus_target_group g ON g.group_id = a.group_id"
            + " LEFT JOIN wsus_update_revision r ON r.update_id = a.update_id AND r.revision_number ="
            + " (SELECT MAX(m.revision_number) FROM wsus_update_revision m WHERE m.update_id = a.update_id)";

    private ApprovalQueries() {
    }

    static List<TargetGroup> groups(Connection c) throws SQLException {
        List<TargetGroup> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT group_id, name, parent_id, built_in FROM wsus_target_group")) {
            while (rs.next()) {
                out.add(new TargetGroup(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4)));
            }
        }
        // All Computers first, then the built-in Unassigned Computers, then by name.
        out.sort(Comparator.comparing((TargetGroup g) -> g.parentId() != null)
                .thenComparing(g -> !g.builtIn())
                .thenComparing(g -> g.name().toLowerCase(java.util.Locale.ROOT)));
        return out;
    }

    /** The group named {@code nameOrId} (name whatever its case, or id). @throws ApprovalException if none */
    static TargetGroup group(Connection c, String nameOrId) throws SQLException {
        String key = nameOrId.trim().toLowerCase(java.util.Locale.ROOT);
        for (TargetGroup g : groups(c)) {
            if (g.name().toLowerCase(java.util.Locale.ROOT).equals(key) || g.id().equals(key)) {
                return g;
            }
        }
        throw new ApprovalException("no computer group " + ferry.store.Ids.quote(nameOrId)
                + " (ferry groups list names them)");
    }

    /** The groups given and every group above them. */
    static Set<String> withAncestors(List<TargetGroup> groups, Collection<String> ids) {
        Map<String, String> parent = new HashMap<>();
        groups.forEach(g -> parent.put(g.id(), g.parentId()));
        Set<String> out = new HashSet<>();
        for (String id : ids) {
            for (String g = id; g != null && parent.containsKey(g) && out.add(g); g = parent.get(g)) {
                // walks up to All Computers
            }
        }
        return out;
    }

    static List<Approval> approvals(Connection c, String groupId) throws SQLException {
        String sql = APPROVALS + (groupId == null ? "" : " WHERE a.group_id = ?")
                + " ORDER BY g.name, a.update_id";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (groupId != null) {
                ps.setString(1, groupId);
            }
            return approvals(ps);
        }
    }

    static List<Approval> approvalsOfUpdates(Connection c, Collection<String> updateIds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(APPROVALS + " WHERE a.update_id = ANY(?)")) {
            ps.setArray(1, WsusQueries.varchars(c, updateIds));
            return approvals(ps);
        }
    }

    /**
     * For a computer in {@code groupIds} (and so in the groups above them): one approval per update the store holds
     * and no one declined. Where several groups approve an update, Install wins over Uninstall, then the earliest
     * deadline (none is latest), then the older deployment.
     */
    static Map<String, Approval> effective(Connection c, Collection<String> groupIds) throws SQLException {
        Set<String> groups = withAncestors(groups(c), groupIds);
        Map<String, Approval> out = new LinkedHashMap<>();
        if (groups.isEmpty()) {
            return out;
        }
        List<Approval> all;
        try (PreparedStatement ps = c.prepareStatement(APPROVALS + " WHERE a.group_id = ANY(?)"
                + " AND r.revision_number IS NOT NULL"
                + " AND NOT EXISTS (SELECT 1 FROM wsus_declined d WHERE d.update_id = a.update_id)"
                + " ORDER BY a.deployment_id")) {
            ps.setArray(1, WsusQueries.varchars(c, groups));
            all = approvals(ps);
        }
        Comparator<Approval> precedence = Comparator
                .comparing((Approval a) -> !a.action().equals(Approval.INSTALL))
                .thenComparing(Approval::deadline, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparingLong(Approval::deploymentId);
        for (Approval a : all) {
            out.merge(a.updateId(), a, (x, y) -> precedence.compare(x, y) <= 0 ? x : y);
        }
        return out;
    }

    private static List<Approval> approvals(PreparedStatement ps) throws SQLException {
        List<Approval> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                int rev = rs.getInt(2);
                Integer revision = rs.wasNull() ? null : rev;
                out.add(new Approval(rs.getString(1), revision, rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), instant(rs, 8), instant(rs, 9), rs.getString(10),
                        rs.getString(11), rs.getLong(12), rs.getString(13)));
            }
        }
        return out;
    }

    static TreeSet<String> declined(Connection c) throws SQLException {
        TreeSet<String> out = new TreeSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT update_id FROM wsus_declined")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    static boolean isDeclined(Connection c, String updateId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM wsus_declined WHERE update_id = ?")) {
            ps.setString(1, updateId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The highest deployment number recorded: of a deployment made or of one removed. */
    static long counter(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT GREATEST((SELECT COALESCE(MAX(deployment_id), 0) FROM wsus_approval),"
                        + " (SELECT COALESCE(MAX(removed_number), 0) FROM wsus_dead_deployment))")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static DeploymentChanges changesSince(Connection c, long since) throws SQLException {
        long counter = counter(c);
        List<Approval> deployments;
        try (PreparedStatement ps = c.prepareStatement(APPROVALS + " WHERE a.deployment_id > ?"
                + " AND r.revision_number IS NOT NULL ORDER BY a.deployment_id")) {
            ps.setLong(1, since);
            deployments = approvals(ps);
        }
        List<String> dead = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT deployment_guid FROM wsus_dead_deployment"
                + " WHERE removed_number > ? ORDER BY removed_number")) {
            ps.setLong(1, since);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    dead.add(rs.getString(1));
                }
            }
        }
        return new DeploymentChanges(counter, groups(c), deployments, dead, List.copyOf(declined(c)));
    }

    static List<ApprovalRule> rules(Connection c) throws SQLException {
        Map<Long, List<ApprovalRule.Category>> products = new HashMap<>();
        Map<Long, List<ApprovalRule.Category>> classifications = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT rc.rule_id, rc.category_id,"
                + " rc.role, (SELECT r.title FROM wsus_update_revision r WHERE r.update_id = rc.category_id"
                + " ORDER BY r.revision_number DESC LIMIT 1)"
                + " FROM wsus_approval_rule_category rc ORDER BY rc.rule_id, rc.category_id")) {
            while (rs.next()) {
                (rs.getString(3).equals("product") ? products : classifications)
                        .computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                        .add(new ApprovalRule.Category(rs.getString(2), rs.getString(4)));
            }
        }
        List<ApprovalRule> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT r.rule_id, r.name, r.group_id,"
                + " g.name, r.created_at FROM wsus_approval_rule r JOIN wsus_target_group g ON g.group_id = r.group_id"
                + " ORDER BY r.name_key")) {
            while (rs.next()) {
                long id = rs.getLong(1);
                out.add(new ApprovalRule(rs.getString(2), rs.getString(3), rs.getString(4),
                        products.getOrDefault(id, List.of()), classifications.getOrDefault(id, List.of()),
                        instant(rs, 5)));
            }
        }
        return out;
    }

    // ---- writes ----

    static long nextNumber(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT NEXT VALUE FOR wsus_deployment_seq")) {
            rs.next();
            long n = rs.getLong(1);
            if (n >= Integer.MAX_VALUE) {
                // MS-WUSP carries deployment ids as int.
                throw new ApprovalException("deployment numbers are exhausted (2^31 - 1 reached)");
            }
            return n;
        }
    }

    /**
     * Approves {@code updateId} for {@code groupId}: a new deployment (id and GUID), replacing an approval of the same
     * update for the same group, which becomes a dead deployment.
     */
    static void approve(Connection c, String updateId, String groupId, String action, Instant deadline,
                        Instant now, String origin, String originRef) throws SQLException {
        removeApprovals(c, "update_id = ? AND group_id = ?", List.of(updateId, groupId), now);
        long id = nextNumber(c);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO wsus_approval (update_id, group_id, action,"
                + " deadline, approved_at, origin, origin_ref, deployment_id, deployment_guid)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, updateId);
            ps.setString(2, groupId);
            ps.setString(3, action);
            ps.setObject(4, deadline == null ? null : utc(deadline));
            ps.setObject(5, utc(now));
            ps.setString(6, origin);
            ps.setString(7, originRef);
            ps.setLong(8, id);
            ps.setString(9, UUID.randomUUID().toString());
            ps.executeUpdate();
        }
    }

    /**
     * Gives every approval of these updates a new deployment (same action, group, deadline and origin): their
     * latest revision changed, and a client or replica must see a deployment it has not seen.
     */
    static int renew(Connection c, Collection<String> updateIds, Instant now) throws SQLException {
        if (updateIds.isEmpty()) {
            return 0;
        }
        List<Approval> current = approvalsOfUpdates(c, updateIds);
        for (Approval a : current) {
            approve(c, a.updateId(), a.groupId(), a.action(), a.deadline(), now, a.origin(), a.originRef());
        }
        return current.size();
    }

    /** Removes the approvals {@code where} selects, recording each as a dead deployment. Returns how many. */
    static int removeApprovals(Connection c, String where, List<String> args, Instant now) throws SQLException {
        List<long[]> ids = new ArrayList<>();
        List<String> guids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT deployment_id, deployment_guid FROM wsus_approval WHERE " + where)) {
            for (int i = 0; i < args.size(); i++) {
                ps.setString(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(new long[] {rs.getLong(1)});
                    guids.add(rs.getString(2));
                }
            }
        }
        if (guids.isEmpty()) {
            return 0;
        }
        try (PreparedStatement dead = c.prepareStatement("INSERT INTO wsus_dead_deployment (deployment_guid,"
                + " deployment_id, removed_number, removed_at) VALUES (?, ?, ?, ?)");
             PreparedStatement del = c.prepareStatement("DELETE FROM wsus_approval WHERE deployment_guid = ?")) {
            for (int i = 0; i < guids.size(); i++) {
                dead.setString(1, guids.get(i));
                dead.setLong(2, ids.get(i)[0]);
                dead.setLong(3, nextNumber(c));
                dead.setObject(4, utc(now));
                dead.addBatch();
                del.setString(1, guids.get(i));
                del.addBatch();
            }
            dead.executeBatch();
            del.executeBatch();
        }
        return guids.size();
    }

    static void decline(Connection c, String updateId, Instant now, String origin, String originRef)
            throws SQLException {
        removeApprovals(c, "update_id = ?", List.of(updateId), now);
        try (PreparedStatement ps = c.prepareStatement("MERGE INTO wsus_declined (update_id, declined_at, origin,"
                + " origin_ref) KEY (update_id) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, updateId);
            ps.setObject(2, utc(now));
            ps.setString(3, origin);
            ps.setString(4, originRef);
            ps.executeUpdate();
        }
    }

    static boolean undecline(Connection c, String updateId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM wsus_declined WHERE update_id = ?")) {
            ps.setString(1, updateId);
            return ps.executeUpdate() > 0;
        }
    }

    static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
