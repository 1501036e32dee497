package ferry.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --audit-log FILE}: where a command's audit record goes instead of its default place. */
final class AuditOptions {
    @Option(names = "--audit-log", paramLabel = "FILE",
            description = "Append this run's audit record (one JSON line) to FILE instead of the default"
                    + " (export: <state>/audit.jsonl; import: <store>/audit.jsonl; verify: none). See docs/jobs.md.")
    Path file;
}
