package ferry.cli;

import ferry.store.Store;
import ferry.wsus.catalog.Approval;
import ferry.wsus.catalog.WsusAdministration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code ferry approve}: approves updates for a computer group, as a WSUS administrator does. */
@Command(name = "approve", mixinStandardHelpOptions = true,
        description = {"Approve updates of the store for a computer group: Windows clients of `ferry serve` in that group",
                "(or a group below it) are offered them for install, replica servers get the approval from",
                "GetDeployments. An approval applies to the update's latest revision, also to one imported later.",
                "Approving a declined update undoes the decline. A running `ferry serve` picks it up at once.",
                "", UpdateSelectorOptions.RULES},
        footer = {"", "Exit codes: 0 approved (or nothing to change), 2 usage error (unknown update, KB, group,",
                "            product or classification, an ambiguous name, nothing matches; nothing changed),",
                "            5 an import holds the store, 10 internal error."})
final class ApproveCommand implements Callable<Integer> {
    @Mixin
    AdministeredStore admin;

    @Mixin
    UpdateSelectorOptions select;

    @Mixin
    GroupOption group;

    @Option(names = "--action", paramLabel = "ACTION", defaultValue = "Install",
            description = "Install or Uninstall (default: ${DEFAULT-VALUE}).")
    String action;

    @Option(names = "--deadline", paramLabel = "TIME",
            description = "Install by this time: ISO-8601, e.g. 2026-12-01T18:00:00Z, 2026-12-01T19:00+01:00, or a date"
                    + " (midnight UTC); a time without offset is UTC.")
    String deadline;

    @Mixin
    DryRunOption dryRun;

    /** The JSON result. */
    record Result(String store, boolean dryRun, String group, String groupId, String action, String deadline,
                  List<Item> updates) {
    }

    /** One update in the JSON result: {@code change} is approved, changed or unchanged. */
    record Item(String updateId, int revisionNumber, String title, String kbArticle, String change,
                boolean undeclined) {
    }

    @Override
    public Integer call() {
        String act = switch (action.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "install" -> Approval.INSTALL;
            case "uninstall" -> Approval.UNINSTALL;
            default -> throw new CliException(ExitCodes.USAGE, "--action " + action + ": Install or Uninstall");
        };
        Instant due = deadline == null ? null : parseDeadline(admin.spec(), deadline);
        WsusAdministration.ApprovalOutcome o;
        try (Store s = admin.open()) {
            o = new WsusAdministration(s).approve(select.selector(), group.name, act, due, dryRun.requested);
        }
        List<Item> items = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        int changed = 0;
        for (WsusAdministration.Approved a : o.updates()) {
            items.add(new Item(a.update().updateId(), a.update().revisionNumber(), a.update().title(),
                    a.update().kbArticle(), a.change(), a.undeclined()));
            changed += a.change().equals("unchanged") ? 0 : 1;
            lines.add(String.format("  %-9s %s %s%s%s", a.change(), a.update().updateId(),
                    a.update().kbArticle() == null ? "" : "KB" + a.update().kbArticle() + " ",
                    a.update().title() == null ? "" : a.update().title(), a.undeclined() ? " (was declined)" : ""));
        }
        String head = (o.dryRun() ? "Would approve " : "Approved ") + changed + " of " + o.updates().size()
                + " update(s) for " + o.action() + " on group \"" + o.group().name() + "\""
                + (due == null ? "" : ", deadline " + due) + (o.dryRun() ? " (dry run: nothing changed)" : "");
        lines.add(0, head);
        admin.output().result(new Result(admin.directory().toAbsolutePath().toString(), o.dryRun(), o.group().name(),
                o.group().id(), o.action(), due == null ? null : due.toString(), items), String.join("\n", lines));
        return ExitCodes.OK;
    }

    /** ISO-8601 instant, offset date-time, local date-time (UTC) or date (midnight UTC). */
    static Instant parseDeadline(CommandSpec spec, String text) {
        String t = text.trim();
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            // try the next form
        }
        try {
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // try the next form
        }
        try {
            return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new CliException(ExitCodes.USAGE, "--deadline " + text
                    + ": not an ISO-8601 time (e.g. 2026-12-01T18:00:00Z) or date (2026-12-01)");
        }
    }
}
