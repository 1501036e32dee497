package ferry.cli;

import ferry.format.audit.AuditLog;
import ferry.format.audit.AuditLogException;
import ferry.format.audit.AuditRecord;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** Appends the audit record of a finished run of an {@link Audited} command. */
final class Audit {
    /**
     * Options that weaken or bypass a check: recorded in the audit record whenever they are set, whether on the
     * command line, through the environment or by a job. A command with a new such option adds it here.
     */
    static final List<String> OVERRIDES = List.of("--allow-expired", "--force", "--no-expiry", "--channel-reset",
            "--assume-delivered");

    private Audit() {
    }

    /** The audit result for an exit code. */
    static String result(int exitCode) {
        return switch (exitCode) {
            case ExitCodes.OK -> AuditRecord.OK;
            case ExitCodes.NOTHING_NEW -> AuditRecord.NOTHING_NEW;
            case ExitCodes.REFUSED -> AuditRecord.REFUSED;
            case ExitCodes.INVALID_BUNDLE -> AuditRecord.INVALID;
            default -> AuditRecord.FAILED;
        };
    }

    /** The command's name below {@code ferry}, e.g. {@code "store check"}. */
    static String commandName(CommandLine.ParseResult parseResult) {
        StringBuilder name = new StringBuilder();
        for (CommandLine.ParseResult pr = parseResult.subcommand(); pr != null; pr = pr.subcommand()) {
            name.append(name.length() == 0 ? "" : " ").append(pr.commandSpec().name());
        }
        return name.toString();
    }

    /**
     * Appends the record of the run {@code parseResult} describes, if its command is {@link Audited} and keeps a log.
     * A log that cannot be appended to is reported on {@code err}; the run's exit code stands (what the run did
     * is done), and the message says the record is missing.
     *
     * @param reason the one-line error of a failed run, or null
     */
    static void record(CommandLine.ParseResult parseResult, int exitCode, String reason, PrintWriter err) {
        CommandLine.ParseResult leaf = parseResult;
        while (leaf.subcommand() != null) {
            if (leaf.isUsageHelpRequested() || leaf.isVersionHelpRequested()) {
                return; // --help ran nothing
            }
            leaf = leaf.subcommand();
        }
        if (leaf.isUsageHelpRequested() || leaf.isVersionHelpRequested()
                || !(leaf.commandSpec().userObject() instanceof Audited audited)) {
            return;
        }
        Path log;
        AuditRecord r;
        try {
            log = audited.auditLog();
            if (log == null) {
                return;
            }
            r = AuditRecord.start(commandName(parseResult), parseResult.originalArgs());
            for (String name : OVERRIDES) {
                OptionSpec o = leaf.commandSpec().findOption(name);
                Object v = o == null ? null : o.getValue();
                if (v != null && !Boolean.FALSE.equals(v)) {
                    r = r.withOverride(name);
                }
            }
            AuditRecord described = audited.describe(r);
            r = described.withResult(result(exitCode), exitCode, reason != null ? reason : described.reason())
                    .at(Instant.now());
        } catch (RuntimeException e) {
            err.println("ferry: cannot make the audit record of this run (a bug in ferry, please report it): " + e);
            err.flush();
            return;
        }
        try {
            AuditLog.append(log, r);
        } catch (AuditLogException e) {
            err.println("ferry: " + e.getMessage() + "; this run is missing from the audit log");
            err.flush();
        }
    }
}
