package ferry.cli;

import ferry.store.Store;
import ferry.wsus.catalog.WsusAdministration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ferry decline}: declines updates, as a WSUS administrator does. */
@Command(name = "decline", mixinStandardHelpOptions = true,
        description = {"Decline updates of the store: every approval of them (for every group) is removed, Windows",
                "clients are no longer offered them, automatic-approval rules never approve them, and replica servers",
                "see them hidden. `ferry approve` undoes it.", "", UpdateSelectorOptions.RULES},
        footer = {"", "Exit codes: 0 declined, 2 usage error (unknown update, KB, product or classification, an",
                "            ambiguous name, nothing matches; nothing changed), 5 an import holds the store,",
                "            10 internal error."})
final class DeclineCommand implements Callable<Integer> {
    @Mixin
    AdministeredStore admin;

    @Mixin
    UpdateSelectorOptions select;

    @Mixin
    DryRunOption dryRun;

    /** The JSON result. */
    record Result(String store, boolean dryRun, List<Item> updates) {
    }

    /** One update in the JSON result. */
    record Item(String updateId, int revisionNumber, String title, String kbArticle, int approvalsRemoved,
                boolean alreadyDeclined) {
    }

    @Override
    public Integer call() {
        WsusAdministration.DeclineOutcome o;
        try (Store s = admin.open()) {
            o = new WsusAdministration(s).decline(select.selector(), dryRun.requested);
        }
        List<Item> items = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        int removed = 0;
        for (WsusAdministration.Declined d : o.updates()) {
            items.add(new Item(d.update().updateId(), d.update().revisionNumber(), d.update().title(),
                    d.update().kbArticle(), d.approvalsRemoved(), d.alreadyDeclined()));
            removed += d.approvalsRemoved();
            lines.add("  " + (d.alreadyDeclined() ? "already   " : "declined  ") + d.update().updateId() + " "
                    + (d.update().kbArticle() == null ? "" : "KB" + d.update().kbArticle() + " ")
                    + (d.update().title() == null ? "" : d.update().title())
                    + (d.approvalsRemoved() == 0 ? "" : " (" + d.approvalsRemoved() + " approval(s) removed)"));
        }
        lines.add(0, (o.dryRun() ? "Would decline " : "Declined ") + o.updates().size() + " update(s), removing "
                + removed + " approval(s)" + (o.dryRun() ? " (dry run: nothing changed)" : ""));
        admin.output().result(new Result(admin.directory().toAbsolutePath().toString(), o.dryRun(), items),
                String.join("\n", lines));
        return ExitCodes.OK;
    }
}
