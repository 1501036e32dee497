package ferry.wsus.catalog;

import ferry.store.Ids;
import ferry.store.Store;
import ferry.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * What the isolated side's administrator decides about WSUS updates, as on a WSUS server: approvals for computer
 * groups, declined updates, computer groups and automatic-approval rules (tables of migration V3). Each command is one
 * transaction through {@link Store#change}, under the store's single-writer lock, so it never overlaps an import and
 * a running {@code ferry serve} sees it entirely or not at all; a dry run does the same work and keeps nothing.
 *
 * <p>The store must be open as its writer ({@link Store#openForImport} or {@link Store#open}) with
 * {@link WsusTables#INSTANCE}. An operator's mistake (unknown update, KB number, group, rule, product or
 * classification; an ambiguous name; a selection matching nothing) is an {@link ApprovalException} with one line naming
 * it, and nothing is changed. Database failures are {@link StoreException}s as {@link Store#change} documents.
 */
public final class WsusAdministration {
    private static final int MAX_NAME = 256;

    private final Store store;
    private final Clock clock;

    public WsusAdministration(Store store) {
        this(store, Clock.systemUTC());
    }

    public WsusAdministration(Store store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * An update a command selected: its latest stored revision.
     *
     * @param updateId   lower-case GUID
     * @param updateType {@code Software} or {@code Driver} (others are never selected)
     * @param kbArticle  KB article number (digits), or null
     */
    public record SelectedUpdate(String updateId, int revisionNumber, String updateType, String title,
                                 String kbArticle) {
    }

    /**
     * What {@link #approve} did (or, in a dry run, would do) to one update.
     *
     * @param change     {@code approved} (new for the group), {@code changed} (a different action or deadline
     *                   replaced the group's approval) or {@code unchanged}
     * @param undeclined whether the update was declined before (approving it again undoes the decline, as in WSUS)
     */
    public record Approved(SelectedUpdate update, String change, boolean undeclined) {
    }

    /**
     * The outcome of {@link #approve}.
     *
     * @param deadline UTC, or null
     * @param dryRun   true when nothing was kept
     */
    public record ApprovalOutcome(TargetGroup group, String action, Instant deadline, List<Approved> updates,
                                  boolean dryRun) {
        public ApprovalOutcome {
            updates = List.copyOf(updates);
        }
    }

    /**
     * What {@link #decline} did (or would do) to one update.
     *
     * @param approvalsRemoved how many groups' approvals of it were removed
     * @param alreadyDeclined  whether it was declined before
     */
    public record Declined(SelectedUpdate update, int approvalsRemoved, boolean alreadyDeclined) {
    }

    /** The outcome of {@link #decline}. */
    public record DeclineOutcome(List<Declined> updates, boolean dryRun) {
        public DeclineOutcome {
            updates = List.copyOf(updates);
        }
    }

    /** The outcome of {@link #removeGroup}: the group, and how many approvals for it were removed with it. */
    public record GroupRemoval(TargetGroup group, int approvalsRemoved) {
    }

    /** The updates {@code selector} names, read without changing anything. */
    public List<SelectedUpdate> select(UpdateSelector selector) {
        return store.read(c -> UpdateSelection.select(c, selector));
    }

    /**
     * Approves the selected updates for a group: each gets a new deployment for the group unless it already has one
     * with this action and deadline; an approval of the update for another group stays. A declined update is no
     * longer declined.
     *
     * @param group    the group's name (case ignored) or id
     * @param action   {@link Approval#INSTALL} or {@link Approval#UNINSTALL}
     * @param deadline UTC, or null for none
     * @throws ApprovalException as the class says; nothing changed
     */
    public ApprovalOutcome approve(UpdateSelector selector, String group, String action, Instant deadline,
                                   boolean dryRun) {
        if (!Approval.INSTALL.equals(action) && !Approval.UNINSTALL.equals(action)) {
            throw new ApprovalException("action " + Ids.quote(action) + " is neither Install nor Uninstall");
        }
        Instant now = clock.instant();
        return store.change("approve", dryRun, c -> {
            TargetGroup g = ApprovalQueries.group(c, group);
            List<SelectedUpdate> selected = UpdateSelection.select(c, selector);
            java.util.Map<String, Approval> forGroup = new java.util.HashMap<>();
            for (Approval a : ApprovalQueries.approvalsOfUpdates(c,
                    selected.stream().map(SelectedUpdate::updateId).toList())) {
                if (a.groupId().equals(g.id())) {
                    forGroup.put(a.updateId(), a);
                }
            }
            List<Approved> out = new ArrayList<>();
            for (SelectedUpdate u : selected) {
                boolean undeclined = ApprovalQueries.undecline(c, u.updateId());
                Approval prior = forGroup.get(u.updateId());
                String change;
                if (prior != null && prior.action().equals(action) && Objects.equals(prior.deadline(), deadline)) {
                    change = "unchanged";
                } else {
                    ApprovalQueries.approve(c, u.updateId(), g.id(), action, deadline, now, "local", null);
                    change = prior == null ? "approved" : "changed";
                }
                out.add(new Approved(u, change, undeclined));
            }
            return new ApprovalOutcome(g, action, deadline, out, dryRun);
        });
    }

    /** An update {@link #unapprove} looked at: how many approvals it lost, whether it was declined before. */
    public record Unapproved(SelectedUpdate update, int approvalsRemoved, boolean undeclined) {
    }

    /** What {@link #unapprove} did (or, in a dry run, would do) for the group. */
    public record UnapprovalOutcome(TargetGroup group, List<Unapproved> updates, boolean dryRun) {
        public UnapprovalOutcome {
            updates = List.copyOf(updates);
        }
    }

    /**
     * Sets the selected updates to "Not approved" for a group, as WSUS does: their approvals for that group are
     * removed (replicas are told: dead deployments), approvals for other groups stay, and a declined update is no
     * longer declined. Whatever made the approval (the operator, a rule, a bundle's approval set) it is gone; a later
     * bundle whose set approves the update again approves it again, as a later rule run would.
     *
     * @param group the group's name (case ignored) or id
     * @throws ApprovalException if the group is unknown or the selector names nothing; nothing changed
     */
    public UnapprovalOutcome unapprove(UpdateSelector selector, String group, boolean dryRun) {
        Instant now = clock.instant();
        return store.change("unapprove", dryRun, c -> {
            TargetGroup g = ApprovalQueries.group(c, group);
            List<Unapproved> out = new ArrayList<>();
            for (SelectedUpdate u : UpdateSelection.select(c, selector)) {
                int removed = ApprovalQueries.removeApprovals(c, "update_id = ? AND group_id = ?",
                        List.of(u.updateId(), g.id()), now);
                out.add(new Unapproved(u, removed, ApprovalQueries.undecline(c, u.updateId())));
            }
            return new UnapprovalOutcome(g, out, dryRun);
        });
    }

    /**
     * Declines the selected updates: every approval of them, for every group, is removed, and no rule approves them
     * again; clients are no longer offered them.
     *
     * @throws ApprovalException as the class says; nothing changed
     */
    public DeclineOutcome decline(UpdateSelector selector, boolean dryRun) {
        Instant now = clock.instant();
        return store.change("decline", dryRun, c -> {
            List<Declined> out = new ArrayList<>();
            for (SelectedUpdate u : UpdateSelection.select(c, selector)) {
                boolean already = ApprovalQueries.isDeclined(c, u.updateId());
                int removed = ApprovalQueries.removeApprovals(c, "update_id = ?", List.of(u.updateId()), now);
                ApprovalQueries.decline(c, u.updateId(), now, "local", null);
                out.add(new Declined(u, removed, already));
            }
            return new DeclineOutcome(out, dryRun);
        });
    }

    /**
     * Adds a computer group below {@code parent} ("All Computers" when null).
     *
     * @param name 1 to 256 characters, no control characters; not the name of another group, whatever its case
     * @throws ApprovalException if the name is taken or malformed, or the parent is unknown; nothing changed
     */
    public TargetGroup addGroup(String name, String parent) {
        String n = name(name, "group name");
        return store.change("add group", false, c -> {
            TargetGroup p = ApprovalQueries.group(c, parent == null ? TargetGroup.ALL_COMPUTERS : parent);
            for (TargetGroup g : ApprovalQueries.groups(c)) {
                if (g.name().toLowerCase(Locale.ROOT).equals(n.toLowerCase(Locale.ROOT))) {
                    throw new ApprovalException("computer group " + Ids.quote(g.name()) + " exists already");
                }
            }
            TargetGroup g = new TargetGroup(UUID.randomUUID().toString(), n, p.id(), false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO wsus_target_group (group_id, name, name_key,"
                    + " parent_id, built_in, created_at) VALUES (?, ?, ?, ?, FALSE, ?)")) {
                ps.setString(1, g.id());
                ps.setString(2, n);
                ps.setString(3, n.toLowerCase(Locale.ROOT));
                ps.setString(4, p.id());
                ps.setObject(5, ApprovalQueries.utc(clock.instant()));
                ps.executeUpdate();
            }
            return g;
        });
    }

    /**
     * Removes an operator's computer group and its approvals (replicas are told: dead deployments).
     *
     * @throws ApprovalException if the group is unknown or built in, has groups below it, or a rule approves for it;
     *                           nothing changed
     */
    public GroupRemoval removeGroup(String name) {
        Instant now = clock.instant();
        return store.change("remove group", false, c -> {
            TargetGroup g = ApprovalQueries.group(c, name);
            if (g.builtIn()) {
                throw new ApprovalException("computer group " + Ids.quote(g.name()) + " is built in and stays");
            }
            for (TargetGroup child : ApprovalQueries.groups(c)) {
                if (g.id().equals(child.parentId())) {
                    throw new ApprovalException("computer group " + Ids.quote(g.name()) + " has group "
                            + Ids.quote(child.name()) + " below it: remove that first");
                }
            }
            for (ApprovalRule r : ApprovalQueries.rules(c)) {
                if (r.groupId().equals(g.id())) {
                    throw new ApprovalException("computer group " + Ids.quote(g.name()) + " is the group of rule "
                            + Ids.quote(r.name()) + ": remove the rule first");
                }
            }
            int removed = ApprovalQueries.removeApprovals(c, "group_id = ?", List.of(g.id()), now);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM wsus_target_group WHERE group_id = ?")) {
                ps.setString(1, g.id());
                ps.executeUpdate();
            }
            return new GroupRemoval(g, removed);
        });
    }

    /**
     * Adds an automatic-approval rule: from the next import on, each new software or driver update (or new revision
     * of one not approved for the group) of one of {@code classifications} (if any) and of one of {@code products}
     * (if any), not declined and not contained in a bundle, is approved for Install for the group. With
     * {@code applyNow} this rule also approves the stored updates it matches, as WSUS's "Run Rule".
     *
     * @param products        product titles (case ignored) of products the store holds, or ids (also of products
     *                        a later import brings)
     * @param classifications classification titles (case ignored) of classifications the store holds, or ids (also
     *                        of classifications a later import brings)
     * @return the rule, and in {@link ApprovalOutcome} what {@code applyNow} approved (empty without it)
     * @throws ApprovalException if the name is taken or malformed, neither products nor classifications are named, a
     *                           name is unknown or ambiguous, or the group is unknown; nothing changed
     */
    public RuleAdded addRule(String name, List<String> products, List<String> classifications, String group,
                             boolean applyNow) {
        String n = name(name, "rule name");
        if (products.isEmpty() && classifications.isEmpty()) {
            throw new ApprovalException("rule " + Ids.quote(n) + ": name at least one --product or --classification");
        }
        Instant now = clock.instant();
        return store.change("add rule", false, c -> {
            for (ApprovalRule r : ApprovalQueries.rules(c)) {
                if (r.name().toLowerCase(Locale.ROOT).equals(n.toLowerCase(Locale.ROOT))) {
                    throw new ApprovalException("rule " + Ids.quote(r.name()) + " exists already");
                }
            }
            TargetGroup g = ApprovalQueries.group(c, group == null ? TargetGroup.ALL_COMPUTERS : group);
            Set<String> p = products.isEmpty() ? Set.of()
                    : UpdateSelection.categories(c, products, "Product", "product", true);
            Set<String> k = classifications.isEmpty() ? Set.of()
                    : UpdateSelection.categories(c, classifications, "UpdateClassification", "classification", true);
            long id;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO wsus_approval_rule (name, name_key, group_id,"
                    + " created_at) VALUES (?, ?, ?, ?)", new String[] {"RULE_ID"})) {
                ps.setString(1, n);
                ps.setString(2, n.toLowerCase(Locale.ROOT));
                ps.setString(3, g.id());
                ps.setObject(4, ApprovalQueries.utc(now));
                ps.executeUpdate();
                try (ResultSet rs = ps.getGeneratedKeys()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO wsus_approval_rule_category (rule_id, category_id, role) VALUES (?, ?, ?)")) {
                for (String cat : p) {
                    ps.setLong(1, id);
                    ps.setString(2, cat);
                    ps.setString(3, "product");
                    ps.addBatch();
                }
                for (String cat : k) {
                    ps.setLong(1, id);
                    ps.setString(2, cat);
                    ps.setString(3, "classification");
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            List<SelectedUpdate> approved = List.of();
            if (applyNow) {
                approved = RuleApplication.apply(c, allSoftware(c), n, now);
            }
            ApprovalRule rule = ApprovalQueries.rules(c).stream()
                    .filter(r -> r.name().equals(n)).findFirst().orElseThrow();
            return new RuleAdded(rule, approved);
        });
    }

    /** The outcome of {@link #addRule}: the rule, and the stored updates it approved when applied at once. */
    public record RuleAdded(ApprovalRule rule, List<SelectedUpdate> approved) {
        public RuleAdded {
            approved = List.copyOf(approved);
        }
    }

    /**
     * Removes a rule (case ignored). Approvals it made stay.
     *
     * @throws ApprovalException if there is no such rule; nothing changed
     */
    public ApprovalRule removeRule(String name) {
        return store.change("remove rule", false, c -> {
            String key = name.trim().toLowerCase(Locale.ROOT);
            ApprovalRule rule = ApprovalQueries.rules(c).stream()
                    .filter(r -> r.name().toLowerCase(Locale.ROOT).equals(key)).findFirst()
                    .orElseThrow(() -> new ApprovalException("no approval rule " + Ids.quote(name)
                            + " (ferry approvals rule list names them)"));
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM wsus_approval_rule WHERE name_key = ?")) {
                ps.setString(1, key);
                ps.executeUpdate();
            }
            return rule;
        });
    }

    private static Collection<String> allSoftware(Connection c) throws SQLException {
        Set<String> out = new LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT update_id FROM wsus_update_revision"
                + " WHERE update_type IN ('Software', 'Driver')"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static String name(String name, String what) {
        if (name == null || name.isBlank()) {
            throw new ApprovalException(what + " is empty");
        }
        String n = name.trim();
        if (n.length() > MAX_NAME || n.chars().anyMatch(Character::isISOControl)) {
            throw new ApprovalException(what + " " + Ids.quote(n) + " is longer than " + MAX_NAME
                    + " characters or holds control characters");
        }
        return n;
    }
}
