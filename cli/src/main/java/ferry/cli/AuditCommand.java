package ferry.cli;

import ferry.format.audit.AuditLog;
import ferry.format.audit.AuditLogException;
import ferry.format.audit.AuditRecord;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ferry audit}: prints and filters an audit log. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Print an audit log: one line per command run (time UTC, user, command, result and exit code,",
                "channel, sequence, bundle id, signers, overrides, reason). The export side's log is <state>/audit.jsonl,",
                "the import side's <store>/audit.jsonl. Damaged lines (a write torn by a crash) are reported on",
                "standard error, never skipped silently. See docs/jobs.md for the record format."},
        footer = {"", "Exit codes: 0 printed (also when nothing matched), 2 usage error or unreadable log."})
public final class AuditCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Where where;

    static final class Where {
        @Option(names = "--store", paramLabel = "DIR", description = "The import side: the store's audit log.")
        Path store;

        @Option(names = "--state", paramLabel = "DIR", description = "The export side: a channel's state directory's audit log.")
        Path state;

        @Option(names = "--file", paramLabel = "FILE", description = "An audit log file (e.g. one named with --audit-log).")
        Path file;
    }

    @Option(names = "--since", paramLabel = "TIME",
            description = "Only runs at or after TIME: an ISO-8601 UTC time (2026-11-01T00:00:00Z), a date (2026-11-01,"
                    + " midnight UTC), or a duration back from now (7d, 12h).")
    String since;

    @Option(names = "--command", paramLabel = "NAME", description = "Only runs of this command, e.g. export, import.")
    String command;

    @Option(names = "--result", paramLabel = "RESULT",
            description = "Only runs with this result: ok, nothing-new, refused, invalid, failed.")
    String result;

    @Option(names = "--json", description = "Print the matching records as JSON lines, exactly as the log holds them.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Path file = where.file != null ? where.file
                : (where.store != null ? where.store : where.state).resolve(AuditLog.FILE_NAME);
        Instant from = since == null ? null : since(since, Instant.now());
        if (result != null && !List.of(AuditRecord.OK, AuditRecord.NOTHING_NEW, AuditRecord.REFUSED,
                AuditRecord.INVALID, AuditRecord.FAILED).contains(result)) {
            throw new CliException(ExitCodes.USAGE, "--result must be ok, nothing-new, refused, invalid or failed: " + result);
        }
        AuditLog.Contents contents;
        try {
            contents = AuditLog.read(file);
        } catch (AuditLogException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        List<AuditRecord> shown = new ArrayList<>();
        for (AuditRecord r : contents.records()) {
            if ((from == null || !r.time().isBefore(from)) && (command == null || command.equals(r.command()))
                    && (result == null || result.equals(r.result()))) {
                shown.add(r);
                out.println(json ? AuditLog.toJson(r) : text(r));
            }
        }
        out.flush();
        PrintWriter err = spec.commandLine().getErr();
        for (String d : contents.damaged()) {
            err.println("ferry audit: damaged line " + d);
        }
        err.flush();
        return ExitCodes.OK;
    }

    static String text(AuditRecord r) {
        StringBuilder t = new StringBuilder();
        t.append(r.time()).append("  ").append(r.user().isEmpty() ? "?" : r.user()).append("  ").append(r.command())
                .append("  ").append(r.result()).append(" (").append(r.exitCode()).append(')');
        if (r.channel() != null) {
            t.append("  channel ").append(r.channel());
        }
        if (r.sequence() != null) {
            t.append(" sequence ").append(r.sequence());
        }
        if (r.bundleId() != null) {
            t.append("  bundle ").append(r.bundleId());
        }
        if (!r.signers().isEmpty()) {
            t.append("  signers ").append(String.join(",", r.signers()));
        }
        if (!r.overrides().isEmpty()) {
            t.append("  overrides ").append(String.join(" ", r.overrides()));
        }
        if (r.reason() != null) {
            t.append("  : ").append(r.reason());
        }
        return t.toString().replace('\n', ' ');
    }

    /** --since: an instant, a date (midnight UTC) or a duration back from {@code now}. */
    static Instant since(String text, Instant now) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            // not an instant: a date or a duration
        }
        try {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            // not a date: a duration
        }
        try {
            return now.minus(Durations.parse(text.toLowerCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "--since: not a time, date or duration: \"" + text
                    + "\" (e.g. 2026-11-01T00:00:00Z, 2026-11-01, 7d)");
        }
    }
}
