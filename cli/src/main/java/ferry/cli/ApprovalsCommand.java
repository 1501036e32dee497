package ferry.cli;

import ferry.store.Store;
import ferry.wsus.catalog.Approval;
import ferry.wsus.catalog.ApprovalRule;
import ferry.wsus.catalog.TargetGroup;
import ferry.wsus.catalog.WsusAdministration;
import ferry.wsus.catalog.WsusCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ferry approvals}: the approvals in a store and the automatic-approval rules. */
@Command(name = "approvals", mixinStandardHelpOptions = true,
        description = {"List the approvals of a store; add, list and remove automatic-approval rules."},
        subcommands = {ApprovalsCommand.ListApprovals.class, ApprovalsCommand.Rules.class})
final class ApprovalsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** An approval in JSON: times ISO-8601 UTC; revisionNumber null while the store does not hold the update. */
    record ApprovalView(String updateId, Integer revisionNumber, String title, String kbArticle, String group,
                        String groupId, String action, String deadline, String approvedAt, String origin,
                        String originRef, long deploymentId, String deploymentGuid) {
        static ApprovalView of(Approval a) {
            return new ApprovalView(a.updateId(), a.revisionNumber(), a.title(), a.kbArticle(), a.groupName(),
                    a.groupId(), a.action(), a.deadline() == null ? null : a.deadline().toString(),
                    a.approvedAt().toString(), a.origin(), a.originRef(), a.deploymentId(), a.deploymentGuid());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"List the approvals (all groups, or one), with the declined updates."},
            footer = {"", "Exit codes: 0 listed, 2 usage error (no store, unknown group), 5 an import holds the store."})
    static final class ListApprovals implements Callable<Integer> {
        @Mixin
        AdministeredStore admin;

        @Option(names = "--group", paramLabel = "NAME", description = "Only this computer group's approvals.")
        String group;

        record Result(String store, List<ApprovalView> approvals, List<String> declined) {
        }

        @Override
        public Integer call() {
            List<Approval> approvals;
            List<String> declined;
            try (Store s = admin.open()) {
                WsusCatalog catalog = new WsusCatalog(s);
                approvals = catalog.approvals(group);
                declined = List.copyOf(catalog.declined());
            }
            List<String> lines = new ArrayList<>();
            lines.add(approvals.size() + " approval(s)" + (group == null ? "" : " for group \"" + group + "\"")
                    + ", " + declined.size() + " declined update(s)");
            for (Approval a : approvals) {
                lines.add(String.format("  %-20s %-9s %s r%s %s%s%s  [%s%s, %s]", a.groupName(), a.action(),
                        a.updateId(), a.revisionNumber() == null ? "?" : a.revisionNumber(),
                        a.kbArticle() == null ? "" : "KB" + a.kbArticle() + " ", a.title() == null ? "(not in the store yet)"
                                : a.title(), a.deadline() == null ? "" : " deadline " + a.deadline(), a.origin(),
                        a.originRef() == null ? "" : " " + a.originRef(), a.approvedAt()));
            }
            declined.forEach(d -> lines.add("  declined             " + d));
            admin.output().result(new Result(admin.directory().toAbsolutePath().toString(),
                    approvals.stream().map(ApprovalView::of).toList(), declined), String.join("\n", lines));
            return ExitCodes.OK;
        }
    }

    /** A rule in JSON. */
    record RuleView(String name, String group, String groupId, List<ApprovalRule.Category> products,
                    List<ApprovalRule.Category> classifications, String createdAt) {
        static RuleView of(ApprovalRule r) {
            return new RuleView(r.name(), r.groupName(), r.groupId(), r.products(), r.classifications(),
                    r.createdAt().toString());
        }

        String text() {
            return "  " + name + ": " + (classifications.isEmpty() ? "any classification"
                    : String.join(" or ", classifications.stream().map(RuleView::title).toList()))
                    + (products.isEmpty() ? "" : " of " + String.join(" or ", products.stream().map(RuleView::title)
                    .toList())) + " -> Install for \"" + group + "\"";
        }

        private static String title(ApprovalRule.Category c) {
            return c.title() == null ? c.id() : "\"" + c.title() + "\"";
        }
    }

    @Command(name = "rule", mixinStandardHelpOptions = true,
            description = {"Automatic-approval rules: a software or driver update new to the store whose classification",
                    "and product match a rule is approved for Install for the rule's group when it is imported",
                    "(unless declined), e.g. \"Definition Updates for All Computers\"."},
            subcommands = {Rules.Add.class, Rules.ListRules.class, Rules.Remove.class})
    static final class Rules implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }

        @Command(name = "add", mixinStandardHelpOptions = true,
                description = {"Add a rule. It matches an update of one of its classifications (if it names any) and",
                        "of one of its products (if it names any); at least one of either is named."},
                footer = {"", "Exit codes: 0 added, 2 usage error (name taken, unknown or ambiguous product,",
                        "            classification or group; nothing changed), 5 an import holds the store."})
        static final class Add implements Callable<Integer> {
            @Mixin
            AdministeredStore admin;

            @Parameters(index = "0", paramLabel = "NAME", description = "The rule's name, e.g. \"Definition updates\".")
            String name;

            @Option(names = "--product", paramLabel = "NAME", description = "A product by title or id. Repeatable.")
            List<String> products = new ArrayList<>();

            @Option(names = "--classification", paramLabel = "NAME",
                    description = "A classification by title or id, e.g. \"Definition Updates\". Repeatable.")
            List<String> classifications = new ArrayList<>();

            @Option(names = "--group", paramLabel = "NAME", defaultValue = TargetGroup.ALL_COMPUTERS_NAME,
                    description = "The computer group it approves for (default: ${DEFAULT-VALUE}).")
            String group;

            @Option(names = "--apply-now", description = "Also approve the stored updates it matches now.")
            boolean applyNow;

            record Result(RuleView rule, List<String> approvedNow) {
            }

            @Override
            public Integer call() {
                WsusAdministration.RuleAdded added;
                try (Store s = admin.open()) {
                    added = new WsusAdministration(s).addRule(name, products, classifications, group, applyNow);
                }
                RuleView view = RuleView.of(added.rule());
                String text = "Added rule" + view.text().substring(1) + (applyNow ? "\nApproved now: "
                        + added.approved().size() + " stored update(s)" : "");
                admin.output().result(new Result(view, added.approved().stream()
                        .map(WsusAdministration.SelectedUpdate::updateId).toList()), text);
                return ExitCodes.OK;
            }
        }

        @Command(name = "list", mixinStandardHelpOptions = true, description = {"List the rules."})
        static final class ListRules implements Callable<Integer> {
            @Mixin
            AdministeredStore admin;

            @Override
            public Integer call() {
                List<RuleView> rules;
                try (Store s = admin.open()) {
                    rules = new WsusCatalog(s).rules().stream().map(RuleView::of).toList();
                }
                List<String> lines = new ArrayList<>();
                lines.add(rules.size() + " automatic-approval rule(s)");
                rules.forEach(r -> lines.add(r.text()));
                admin.output().result(rules, String.join("\n", lines));
                return ExitCodes.OK;
            }
        }

        @Command(name = "remove", mixinStandardHelpOptions = true,
                description = {"Remove a rule (case ignored). The approvals it made stay."},
                footer = {"", "Exit codes: 0 removed, 2 no such rule, 5 an import holds the store."})
        static final class Remove implements Callable<Integer> {
            @Mixin
            AdministeredStore admin;

            @Parameters(index = "0", paramLabel = "NAME", description = "The rule's name.")
            String name;

            @Override
            public Integer call() {
                ApprovalRule removed;
                try (Store s = admin.open()) {
                    removed = new WsusAdministration(s).removeRule(name);
                }
                admin.output().result(RuleView.of(removed), "Removed rule \"" + removed.name() + "\"");
                return ExitCodes.OK;
            }
        }
    }
}
