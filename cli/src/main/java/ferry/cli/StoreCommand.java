package ferry.cli;

import ferry.store.CheckProgress;
import ferry.store.CheckReport;
import ferry.importer.Importer;
import ferry.store.Store;
import ferry.store.StoreDamagedException;
import ferry.store.StoreException;
import ferry.store.StoreLockedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ferry store}: looking after the isolated side's store. */
@Command(name = "store", mixinStandardHelpOptions = true,
        description = {"Look after a store. See docs/store.md for its layout and for recovery."},
        subcommands = {StoreCommand.Check.class})
public final class StoreCommand implements Runnable {
    /** {@code ferry store check} found problems (or could not open the store). */
    static final int PROBLEMS_FOUND = 1;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The JSON result of {@code ferry store check --json}; {@code report} is null when the store could not be opened. */
    record CheckResult(String store, boolean consistent, String error, CheckReport report) {
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Check that the store's catalog and objects agree: every object the catalog references is",
                    "present, every object is referenced, update files have their catalog size; with --rehash every",
                    "object is read and its SHA-256 checked. A damaged object is moved to quarantine/ and no longer",
                    "served. Nothing is deleted. Stop `ferry serve` on the store first."},
            footer = {"", "Exit codes: 0 consistent, 1 problems found (or the store's catalog is unusable),",
                    "            2 usage error or no store there, 5 store in use, 10 internal error."})
    static final class Check implements Callable<Integer> {
        @Option(names = "--store", required = true, paramLabel = "DIR", description = "The store directory.")
        Path store;

        @Option(names = "--rehash", description = "Read every object and check its SHA-256 (reads the whole store).")
        boolean rehash;

        @Mixin
        OutputOptions output;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Output out = new Output(spec, output.json);
            ConsoleProgress progress = output.progress();
            String where = store.toAbsolutePath().toString();
            CheckReport report;
            try (Store s = Store.openExisting(store, Importer.catalogs())) {
                report = s.check(rehash, new CheckProgress() {
                    @Override
                    public void begin(long totalBytes) {
                        if (totalBytes > 0) {
                            progress.begin("rehash " + where, totalBytes);
                        }
                    }

                    @Override
                    public void advance(long bytes) {
                        progress.advance(bytes);
                    }

                    @Override
                    public void end() {
                        progress.end();
                    }
                });
            } catch (StoreDamagedException e) {
                progress.end();
                out.result(new CheckResult(where, false, e.getMessage(), null), "Store " + where + ": " + e.getMessage());
                spec.commandLine().getErr().println("ferry store check: " + e.getMessage());
                return PROBLEMS_FOUND;
            } catch (StoreLockedException e) {
                throw e;
            } catch (StoreException e) {
                if (e.getMessage().startsWith("no store at ")) {
                    throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
                }
                throw e;
            }
            out.result(new CheckResult(where, report.consistent(), null, report), text(where, report));
            return report.consistent() ? ExitCodes.OK : PROBLEMS_FOUND;
        }

        private static String text(String where, CheckReport r) {
            List<String> lines = new ArrayList<>();
            int problems = r.missing().size() + r.damaged().size() + r.unreferenced().size() + r.strays().size();
            lines.add("Store " + where + ": " + (problems == 0 ? "consistent" : problems + " problem(s)") + "; "
                    + r.objects() + " object(s), " + Sizes.human(r.objectBytes()) + ", " + r.referenced()
                    + " referenced by the catalog" + (r.rehashed() ? "; every object rehashed" : ""));
            r.damaged().forEach(p -> lines.add("  damaged       " + p.sha256() + "  " + p.detail()));
            r.missing().forEach(p -> lines.add("  missing       " + p.sha256() + "  " + p.detail()));
            r.unreferenced().forEach(s -> lines.add("  unreferenced  " + s + "  (kept)"));
            r.strays().forEach(s -> lines.add("  not an object " + s + "  (kept)"));
            if (problems > 0) {
                lines.add("See docs/store.md (Recovery) for what to do.");
            }
            return String.join("\n", lines);
        }
    }
}
