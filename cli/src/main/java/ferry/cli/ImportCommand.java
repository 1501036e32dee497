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
                "            4 refused (replay, missing base), 5 store in use (another import or a check), 10 internal error."})
public final class ImportCommand implements Callable<Integer>, Audited {

    private static java.time.Duration duration(String option, String text) {
        if (text.strip().equals("0") || text.strip().equals("0s")) {
            return java.time.Duration.ZERO;
        }
        try {
            return ExportCommand.parseDuration(text);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, option + ": " + e.getMessage());
        }
    }

    @Parameters(paramLabel = "BUNDLE", arity = "0..1", description = "The bundle directory (holding manifest.json);"
            + " not with --watch.")
    Path bundle;

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
            return Audited.claimedBy(bundle, record);
        }
        return record.withBundle(imported.bundleId(), imported.channel(), imported.sequence())
                .withSigners(imported.signers().stream().map(ImportResult.Signer::fingerprint).toList())
                .withResult(record.result(), record.exitCode(), imported.message());
    }

    @Override
    public Integer call() {
        if (watch != null) {
            if (bundle != null) {
                throw new CliException(ExitCodes.USAGE, "give a BUNDLE or --watch DIR, not both");
            }
            return new WatchMode(spec, output, watch, store, trustStore.load(), duration("--settle", settle),
                    duration("--poll", poll), once).run();
        }
        if (once) {
            throw new CliException(ExitCodes.USAGE, "--once goes with --watch");
        }
        if (bundle == null) {
            throw new CliException(ExitCodes.USAGE, "give the BUNDLE directory to import, or --watch DIR");
        }
        ConsoleProgress progress = output.progress();
        Output out = new Output(spec, output.json);
        try {
            ImportResult result = Importer.importBundle(bundle, store, trustStore.load(), Instant.now(), progress);
            progress.end();
            imported = result;
            var o = result.outcome();
            out.result(result, (result.alreadyImported() ? "Already imported: " : "Imported: ") + "bundle " + result.bundleId()
                    + ", channel " + result.channel() + ", sequence " + result.sequence()
                    + (result.baseSequence() == null ? " (full)" : " (delta on " + result.baseSequence() + ")") + "\n"
                    + "  " + result.message() + "\n"
                    + "  new revisions " + o.newRevisions() + ", new files " + o.newFiles() + ", objects copied "
                    + o.objectsCopied() + " (" + Sizes.human(o.bytesCopied()) + "), reused " + o.objectsReused() + "\n"
                    + "  store: " + store.toAbsolutePath());
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
}
