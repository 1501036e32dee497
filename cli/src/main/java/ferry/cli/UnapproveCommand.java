package ferry.cli;

import ferry.store.Store;
import ferry.wsus.catalog.WsusAdministration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ferry unapprove}: sets updates to "Not approved" for a computer group, as a WSUS administrator does. */
@Command(name = "unapprove", mixinStandardHelpOptions = true,
        description = {"Set updates of the store to \"Not approved\" for a computer group, as WSUS does: their",
                "approvals for that group are removed (Windows clients of the group are offered them for evaluation",
                "only, replica servers see the deployments removed), approvals for other groups stay, and a declined",
                "update is no longer declined. A running `ferry serve` picks it up at once. A later bundle whose",
                "approval set approves the update approves it again.", "", UpdateSelectorOptions.RULES},
        footer = {"", "Exit codes: 0 done (also when there was no approval to remove), 2 usage error (unknown update,",
                "            KB, group, product or classification, an ambiguous name, nothing matches; nothing",
                "            changed), 5 an import holds the store, 10 internal error."})
final class UnapproveCommand implements Callable<Integer> {
    @Mixin
    AdministeredStore admin;

    @Mixin
    UpdateSelectorOptions select;

    @Mixin
    GroupOption group;

    @Mixin
    DryRunOption dryRun;

    /** The JSON result. */
    record Result(String store, boolean dryRun, String group, String groupId, List<Item> updates) {
    }

    /** One update in the JSON result. */
    record Item(String updateId, int revisionNumber, String title, String kbArticle, int approvalsRemoved,
                boolean undeclined) {
    }

    @Override
    public Integer call() {
        WsusAdministration.UnapprovalOutcome o;
        try (Store s = admin.open()) {
            o = new WsusAdministration(s).unapprove(select.selector(), group.name, dryRun.requested);
        }
        List<Item> items = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        int removed = 0;
        for (WsusAdministration.Unapproved u : o.updates()) {
            items.add(new Item(u.update().updateId(), u.update().revisionNumber(), u.update().title(),
                    u.update().kbArticle(), u.approvalsRemoved(), u.undeclined()));
            removed += u.approvalsRemoved();
            lines.add("  " + (u.approvalsRemoved() > 0 ? "unapproved " : u.undeclined() ? "undeclined "
                    : "unchanged  ") + u.update().updateId() + " "
                    + (u.update().kbArticle() == null ? "" : "KB" + u.update().kbArticle() + " ")
                    + (u.update().title() == null ? "" : u.update().title())
                    + (u.undeclined() && u.approvalsRemoved() > 0 ? " (was declined)" : ""));
        }
        lines.add(0, (o.dryRun() ? "Would remove " : "Removed ") + removed + " approval(s) of " + o.updates().size()
                + " update(s) for group \"" + o.group().name() + "\"" + (o.dryRun() ? " (dry run: nothing changed)" : ""));
        admin.output().result(new Result(admin.directory().toAbsolutePath().toString(), o.dryRun(), o.group().name(),
                o.group().id(), items), String.join("\n", lines));
        return ExitCodes.OK;
    }
}
