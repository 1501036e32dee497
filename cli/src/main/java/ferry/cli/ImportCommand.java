package ferry.cli;

import ferry.format.audit.AuditLog;
import ferry.format.audit.AuditRecord;
import ferry.importer.BundleInvalidException;
import ferry.importer.ImportResult;
import ferry.importer.Importer;
import ferry.importer.ImporterException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;

/** {@code ferry import}: the isolated side's import. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Verify a bundle, then import it atomically into a store (H2 catalog + content-addressed files).",
                "The store is created if it does not exist. The import either fully happens or leaves the store as it was.",
                "Refused: a bundle whose sequence number is not above the last one imported on its channel (replay),",
                "and a delta bundle whose base was never imported. Importing the same bundle again changes nothing.",
                "The store may be served meanwhile (`ferry serve`): downstream servers see the old state until the",
                "commit and the new one from then on. One import at a time per store."},
        footer = {"", "Exit codes: 0 imported (or already imported), 1 invalid bundle, 2 usage error,",
                "            4 refused (replay, missing base), 5 store in use (another import or a check), 6 no space,",
                "            8 incomplete: volumes on none of the --from directories (the message names the media to insert),",
                "            10 internal error."})
public final class ImportCommand implements Callable<Integer>, Audited {

    private static java.time.Duration duration(String option, String text) {
        if (text.strip().equals("0") || text.strip().equals("0s")) {
            return java.time.Duration.ZERO;
        }
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, option + ": " + e.getMessage());
        }
    }


    @Option(names = "--watch", paramLabel = "DIR",
            description = "Watch a drop directory a one-way link fills (one bundle per subdirectory, files arriving in"
                    + " any order): verify each volume as it arrives, import each bundle once it is complete or"
                    + " repairable from its recovery files, report partial bundles, move imported ones to"
                    + " DIR/.ferry-imported/ and refused ones to DIR/.ferry-refused/. Runs until SIGTERM or SIGINT"
                    + " (docs/one-way-transfer.md).")
    Path watch;

    @Option(names = "--once", description = "With --watch: look at the drop directory once, then exit.")
    boolean once;

    @Option(names = "--settle", defaultValue = "30s", paramLabel = "DURATION",
            description = "With --watch: how long a file must stay unchanged before a short or damaged one counts as"
                    + " arrived for good (default: ${DEFAULT-VALUE}).")
    String settle;

    @Option(names = "--poll", defaultValue = "10s", paramLabel = "DURATION",
            description = "With --watch: pause between looks at the drop directory (default: ${DEFAULT-VALUE}).")
    String poll;

    @Parameters(paramLabel = "BUNDLE", arity = "0..1", description = "The bundle directory (holding manifest.json);"
            + " not with --watch or --from.")
    Path bundle;

    @Option(names = "--from", paramLabel = "DIR",
            description = "A directory holding part of the bundle (repeatable): a medium (medium-NN) or its mount point,"
                    + " or the directory of medium-NN directories. Read in place (read-only media are fine); when"
                    + " volumes are on none of them, says which media to insert (exit code 8).")
    java.util.List<Path> from;

    @Option(names = "--dry-run", description = "Print what the import would change (updates and files added or"
            + " replaced, bytes; the channel rule's verdict) and change nothing: no store is created, an existing one is"
            + " only read. Volume contents are not read.")
    boolean dryRun;

    @Option(names = "--allow-expired", description = "Import a bundle although it has expired (recorded as an override"
            + " in the result and the audit log). For a bundle that was delayed in transit; never the default.")
    boolean allowExpired;

    @Option(names = "--store", required = true, paramLabel = "DIR", description = "The store directory.")
    Path store;

    @Mixin
    TrustStoreOption trustStore;

    @Mixin
    OutputOptions output;

    @Mixin
    AuditOptions audit;

    @Spec
    CommandSpec spec;

    /** What this run did, for the audit record (null unless it imported). */
    private ImportResult imported;

    /** The store's log, if the store directory exists: a failed run does not create a store just to log. */
    @Override
    public Path auditLog() {
        if (audit.file != null) {
            return audit.file;
        }
        return store != null && java.nio.file.Files.isDirectory(store) ? store.resolve(AuditLog.FILE_NAME) : null;
    }

    @Override
    public AuditRecord describe(AuditRecord record) {
        if (imported == null) {
            return Audited.claimedBy(bundle != null ? bundle : from == null || from.isEmpty() ? null : from.get(0), record);
        }
        AuditRecord r = record.withBundle(imported.bundleId(), imported.channel(), imported.sequence())
                .withSigners(imported.signers().stream().map(ImportResult.Signer::fingerprint).toList())
                .withResult(record.result(), record.exitCode(), imported.message()
                        + (imported.trustPolicyVersion() == null ? "" : "; trust policy change applied: trust store now at"
                        + " policy version " + imported.trustPolicyVersion()));
        // what the gate said about the override (e.g. when the bundle expired), beside the option itself
        for (String o : imported.overrides()) {
            r = r.withOverride(o);
        }
        return r;
    }

    @Override
    public Integer call() {
        if (watch != null) {
            if (bundle != null || (from != null && !from.isEmpty()) || dryRun) {
                throw new CliException(ExitCodes.USAGE, "--watch DIR imports what arrives in DIR: give no BUNDLE,"
                        + " --from or --dry-run with it");
            }
            return new WatchMode(spec, output, watch, store, trustStore.load(), duration("--settle", settle),
                    duration("--poll", poll), once).run();
        }
        if (once) {
            throw new CliException(ExitCodes.USAGE, "--once goes with --watch");
        }
        if (bundle == null && (from == null || from.isEmpty())) {
            throw new CliException(ExitCodes.USAGE, "give the BUNDLE directory to import, --from DIR (repeatable) or"
                    + " --watch DIR");
        }
        ConsoleProgress progress = output.progress();
        Output out = new Output(spec, output.json);
        try {
            if ((bundle == null) == (from == null || from.isEmpty())) {
                throw new CliException(ExitCodes.USAGE, "give either BUNDLE or --from DIR (repeatable), not both");
            }
            ferry.format.BundleSource source;
            try {
                source = bundle != null ? ferry.format.BundleSource.of(bundle) : ferry.format.BundleSource.of(from);
            } catch (java.io.IOException e) {
                throw new CliException(ExitCodes.INVALID_BUNDLE, "--from: " + e.getMessage() + "; the store is unchanged", e);
            }
            ferry.importer.ImportRequest request = new ferry.importer.ImportRequest(source, store,
                    trustStore.load(), trustStore.dir, allowExpired, Instant.now());
            if (dryRun) {
                ferry.importer.DryRun d = Importer.dryRun(request);
                progress.end();
                StringBuilder t = new StringBuilder("Dry run (nothing changed): bundle " + d.bundleId() + ", channel "
                        + d.channel() + ", sequence " + d.sequence() + "\n  " + d.verdict() + ": " + d.message()
                        + "\n  updates: " + d.updatesAdded() + " added, " + d.updatesReplaced() + " replaced, "
                        + d.updatesUnchanged() + " already held; files: " + d.filesAdded() + " added, "
                        + d.filesUnchanged() + " already held; " + d.bytesAdded() + " bytes to copy");
                d.changes().forEach(l -> t.append("\n  ").append(l));
                DryRunResult r = DryRunResult.of(d, store);
                t.append("\n  disk: ").append(r.neededBytes()).append(" bytes needed, ")
                        .append(r.freeBytes() < 0 ? "free space unknown" : r.freeBytes() + " bytes free")
                        .append(" on ").append(r.disk());
                out.result(r, t.toString());
                if (!r.fits()) {
                    // the import would stop at its own pre-flight: say so now, with the same figures and exit code
                    throw new CliException(ExitCodes.NO_SPACE, "no space left on " + r.disk() + ": needed "
                            + r.neededBytes() + " bytes, free " + r.freeBytes() + " bytes (dry run: nothing changed)");
                }
                return ExitCodes.OK;
            }
            ImportResult result = Importer.importBundle(request, progress);
            progress.end();
            imported = result;
            var o = result.outcome();
            out.result(result, (result.alreadyImported() ? "Already imported: " : "Imported: ") + "bundle " + result.bundleId()
                    + ", channel " + result.channel() + ", sequence " + result.sequence()
                    + (result.baseSequence() == null ? " (full)" : " (delta on " + result.baseSequence() + ")") + "\n"
                    + "  " + result.message() + "\n"
                    + "  new revisions " + o.newRevisions() + ", new files " + o.newFiles() + ", objects copied "
                    + o.objectsCopied() + " (" + Sizes.human(o.bytesCopied()) + "), reused " + o.objectsReused() + "\n"
                    + "  store: " + store.toAbsolutePath()
                    + (result.overrides().isEmpty() ? "" : "\n  overrides: " + String.join("; ", result.overrides()))
                    + (result.trustPolicyVersion() == null ? "" : "\n  trust store now at policy version "
                    + result.trustPolicyVersion()));
            return ExitCodes.OK;
        } catch (BundleInvalidException e) {
            progress.end();
            if (e.report().isPresent()) {
                out.resultRaw(e.report().get().toJson(), e.report().get().toText());
            }
            throw new CliException(ExitCodes.INVALID_BUNDLE, e.getMessage() + "; the store is unchanged", e);
        } catch (ImporterException e) {
            progress.end();
            throw new CliException(Errors.exitCode(e), e.getMessage(), e);
        }
    }

    /**
     * The {@code --dry-run} result: the dry run's figures, and whether the store's disk has room for what the import
     * would copy.
     *
     * @param disk        the store directory, or its nearest existing ancestor when the store does not exist yet
     * @param neededBytes bytes the import would copy ({@code bytesAdded})
     * @param freeBytes   usable bytes on that disk; -1 when it cannot be told
     * @param fits        false when the import would stop at its disk space pre-flight (exit 6)
     */
    record DryRunResult(@com.fasterxml.jackson.annotation.JsonUnwrapped ferry.importer.DryRun dryRun, String disk,
                        long neededBytes, long freeBytes, boolean fits) {
        static DryRunResult of(ferry.importer.DryRun d, Path store) {
            Path at = store.toAbsolutePath().normalize();
            while (at != null && !java.nio.file.Files.exists(at)) {
                at = at.getParent();
            }
            long free = -1;
            try {
                free = at == null ? -1 : java.nio.file.Files.getFileStore(at).getUsableSpace();
            } catch (java.io.IOException e) {
                // unknown: the import's own pre-flight decides
            }
            return new DryRunResult(d, String.valueOf(at), d.bytesAdded(), free, free < 0 || d.bytesAdded() <= free);
        }
    }
}
