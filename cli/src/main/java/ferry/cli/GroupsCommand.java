package ferry.cli;

import ferry.store.Store;
import ferry.wsus.catalog.TargetGroup;
import ferry.wsus.catalog.WsusAdministration;
import ferry.wsus.catalog.WsusCatalog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ferry groups}: computer groups (WSUS target groups). */
@Command(name = "groups", mixinStandardHelpOptions = true,
        description = {"Computer groups, as on WSUS: the built-in \"All Computers\" and \"Unassigned Computers\", and",
                "groups of your own below \"All Computers\" (or another group). A Windows client joins a group by",
                "naming it (client-side targeting, the TargetGroup policy); an approval for a group applies to the",
                "groups below it."},
        subcommands = {GroupsCommand.ListGroups.class, GroupsCommand.Add.class, GroupsCommand.Remove.class})
final class GroupsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A group in JSON; parent null for "All Computers". */
    record GroupView(String id, String name, String parentId, String parent, boolean builtIn) {
    }

    static List<GroupView> views(List<TargetGroup> groups) {
        Map<String, String> names = new HashMap<>();
        groups.forEach(g -> names.put(g.id(), g.name()));
        return groups.stream().map(g -> new GroupView(g.id(), g.name(), g.parentId(), names.get(g.parentId()),
                g.builtIn())).toList();
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = {"List the computer groups."})
    static final class ListGroups implements Callable<Integer> {
        @Mixin
        AdministeredStore admin;

        @Override
        public Integer call() {
            List<GroupView> groups;
            try (Store s = admin.open()) {
                groups = views(new WsusCatalog(s).groups());
            }
            List<String> lines = new ArrayList<>();
            for (GroupView g : groups) {
                lines.add(String.format("%-36s  %s%s%s", g.id(), g.name(), g.parent() == null ? "" : "  (in \""
                        + g.parent() + "\")", g.builtIn() ? "  built in" : ""));
            }
            admin.output().result(groups, String.join("\n", lines));
            return ExitCodes.OK;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = {"Add a computer group."},
            footer = {"", "Exit codes: 0 added, 2 usage error (name taken, unknown parent), 5 an import holds the store."})
    static final class Add implements Callable<Integer> {
        @Mixin
        AdministeredStore admin;

        @Parameters(index = "0", paramLabel = "NAME", description = "The group's name (unique whatever its case).")
        String name;

        @Option(names = "--parent", paramLabel = "NAME", defaultValue = TargetGroup.ALL_COMPUTERS_NAME,
                description = "The group above it (default: ${DEFAULT-VALUE}).")
        String parent;

        @Override
        public Integer call() {
            TargetGroup g;
            List<TargetGroup> all;
            try (Store s = admin.open()) {
                g = new WsusAdministration(s).addGroup(name, parent);
                all = new WsusCatalog(s).groups();
            }
            GroupView view = views(all).stream().filter(v -> v.id().equals(g.id())).findFirst().orElseThrow();
            admin.output().result(view, "Added computer group \"" + g.name() + "\" (" + g.id() + ") in \""
                    + view.parent() + "\"");
            return ExitCodes.OK;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = {"Remove a computer group of your own and its approvals (not a built-in group, not one with",
                    "groups below it or a rule approving for it)."},
            footer = {"", "Exit codes: 0 removed, 2 usage error (unknown or built-in group, groups below it, a rule",
                    "            uses it; nothing changed), 5 an import holds the store."})
    static final class Remove implements Callable<Integer> {
        @Mixin
        AdministeredStore admin;

        @Parameters(index = "0", paramLabel = "NAME", description = "The group's name (case ignored) or id.")
        String name;

        record Result(String id, String name, int approvalsRemoved) {
        }

        @Override
        public Integer call() {
            WsusAdministration.GroupRemoval r;
            try (Store s = admin.open()) {
                r = new WsusAdministration(s).removeGroup(name);
            }
            admin.output().result(new Result(r.group().id(), r.group().name(), r.approvalsRemoved()),
                    "Removed computer group \"" + r.group().name() + "\" and " + r.approvalsRemoved() + " approval(s)");
            return ExitCodes.OK;
        }
    }
}
