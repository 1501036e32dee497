package ferry.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * The {@code ferry} command: one executable, one subcommand per step of the data flow.
 * Exit codes are those of {@link ExitCodes}.
 */
@Command(name = "ferry",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {
                "Carries software updates into air-gapped networks.",
                "",
                "Connected side:   ferry export  (synchronize from an upstream, write a signed bundle)",
                "Transfer station: ferry verify  (check a bundle offline)",
                "Isolated side:    ferry import  (verify, import atomically into a store), ferry serve,",
                "                  ferry approve / decline / unapprove / approvals / groups (what Windows clients get)",
                "",
                "Try it on one machine: ferry demo"},
        footer = {"",
                "Logging goes to standard error, one line per event (warnings and errors unless asked for more). "
                        + "--log-level LEVEL (trace, debug, info, warn, error, off) sets the level of every logger; "
                        + "--verbose means debug for ferry's own loggers plus stack traces of errors; --quiet means "
                        + "warnings only. An operator's own Logback file: --log-config FILE, the FERRY_LOG_CONFIG "
                        + "environment variable, or java -Dlogback.configurationFile=FILE.",
                "",
                "Exit codes: 0 ok, 1 invalid bundle, 2 usage/configuration, 3 upstream error,",
                "            4 import refused (replay, downgrade, missing base), 5 locked, 6 not enough disk space,",
                "            7 nothing new (export wrote no bundle), 8 bundle incomplete (insert the media named),",
                "            10 internal error.",
                "",
                "Every option can also be set by an environment variable: FERRY_ and its long name in upper case with _"
                        + " for -, e.g. FERRY_TRUST_STORE=DIR for --trust-store (repeatable options: values separated by"
                        + " commas). The command line wins. Scheduled exports: ferry export --job NAME (docs/jobs.md)."},
        subcommands = {
                KeysCommand.class,
                ExportCommand.class,
                VerifyCommand.class,
                ImportCommand.class,
                RepairCommand.class,
                ReceiptCommand.class,
                ServeCommand.class,
                StoreCommand.class,
                AptCommand.class,
                ApproveCommand.class,
                DeclineCommand.class,
                UnapproveCommand.class,
                ApprovalsCommand.class,
                GroupsCommand.class,
                ClientsCommand.class,
                SampleUpstreamCommand.class,
                DemoCommand.class,
                ConfigCommand.class,
                AuditCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Log at debug level and print stack traces of errors (for reporting bugs).")
    static boolean verbose;

    @Option(names = "--log-level", scope = CommandLine.ScopeType.INHERIT, paramLabel = "LEVEL",
            description = "Logging level of every logger: trace, debug, info, warn, error or off (beats --verbose and --quiet).")
    String logLevel;

    @Option(names = "--log-config", scope = CommandLine.ScopeType.INHERIT, paramLabel = "FILE",
            description = "A Logback configuration file replacing the shipped one (also: FERRY_LOG_CONFIG=FILE).")
    Path logConfig;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        // java.net.http reads a connection 16 KiB at a time and passes each piece through its publisher chain (a
        // dozen calls and a copy per piece): the downloads of a 200 MB APT export cost about 12 s of CPU that way,
        // half of it with 256 KiB pieces (docs/benchmarks.md, APT). Read once, when the first client is built; a
        // -Djdk.httpclient.bufsize given to the JVM wins.
        if (System.getProperty("jdk.httpclient.bufsize") == null) {
            System.setProperty("jdk.httpclient.bufsize", Integer.toString(256 * 1024));
        }
        System.exit(run(args));
    }

    /** Runs ferry in-process (used by tests and the demo); returns the exit code. */
    public static int run(String... args) {
        verbose = false; // one process may run several commands (tests): no option left from the last
        SummaryFile.reset();
        CommandLine cl = newCommandLine();
        try {
            // ferry export --job NAME: the job's values become the options' defaults before the command line is parsed
            String[] job = JobConfig.requested(args, System.getenv());
            if (job != null) {
                Path config = JobConfig.locate(job[1] == null ? null : Path.of(job[1]), System.getenv());
                cl.setDefaultValueProvider(new FerryDefaults(System.getenv(), JobConfig.job(config, job[0], java.time.Instant.now())));
            }
        } catch (CliException e) {
            cl.getErr().println("ferry export: " + Errors.oneLine(e));
            cl.getErr().flush();
            return e.exitCode();
        }
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError | StackOverflowError e) {
            // picocli passes errors through; running out of memory is the machine's limit, not a bug: one line.
            cl.getErr().println("ferry: " + Errors.oneLine(e));
            cl.getErr().flush();
            return ExitCodes.INTERNAL;
        }
    }

    static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            int code = Errors.exitCode(ex);
            err.println("ferry " + commandLine.getCommandName() + ": " + Errors.oneLine(ex));
            if (verbose || (code == ExitCodes.INTERNAL && !Errors.isResourceExhaustion(ex))) {
                ex.printStackTrace(err);
            }
            err.flush();
            return code;
        });
        cl.setExitCodeExceptionMapper(Errors::exitCode);
        cl.setExecutionStrategy(Main::executeWithLogging);
        cl.setDefaultValueProvider(new FerryDefaults(System.getenv(), null));
        return cl;
    }

    /**
     * Runs the chosen subcommand with the logging its options ask for. The options are read from every level of
     * the parse (they are inherited, and {@code --quiet} belongs to the subcommands' output options).
     */
    private static int executeWithLogging(CommandLine.ParseResult parseResult) {
        if (parseResult.commandSpec().commandLine().getDefaultValueProvider() instanceof FerryDefaults defaults) {
            defaults.applyLists(parseResult);
        }
        String level = null;
        Path config = null;
        boolean quiet = false;
        boolean verboseSeen = false;
        for (CommandLine.ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
            verboseSeen |= pr.hasMatchedOption("--verbose");
            level = pr.matchedOptionValue("--log-level", level);
            config = pr.matchedOptionValue("--log-config", config);
            quiet |= pr.hasMatchedOption("--quiet");
        }
        verbose |= verboseSeen; // a nested run (the demo's steps) keeps the outer run's --verbose
        Logging logging;
        try {
            logging = Logging.apply(config, System.getenv(Logging.CONFIG_ENV), level, verbose, quiet);
        } catch (CliException e) {
            CommandLine cmd = parseResult.commandSpec().commandLine();
            cmd.getErr().println("ferry: " + Errors.oneLine(e));
            cmd.getErr().flush();
            return e.exitCode();
        }
        try {
            if (LOG.isDebugEnabled()) {
                StringBuilder chain = new StringBuilder();
                for (CommandLine.ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
                    chain.append(chain.length() == 0 ? "" : " ").append(pr.commandSpec().name());
                }
                LOG.debug("running {} (version {}, Java {})", chain, Main.class.getPackage().getImplementationVersion(),
                        Runtime.version());
            }
            return audited(parseResult);
        } finally {
            logging.restore();
        }
    }

    /** Runs the command, then appends its audit record and, when it failed, its failure summary. */
    private static int audited(CommandLine.ParseResult parseResult) {
        PrintWriter err = parseResult.commandSpec().commandLine().getErr();
        int code;
        try {
            code = new CommandLine.RunLast().execute(parseResult);
        } catch (CommandLine.ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            int failed = Errors.exitCode(cause);
            String line = Errors.oneLine(cause);
            Audit.record(parseResult, failed, line, err);
            SummaryFile.failure(parseResult, failed, line);
            throw e;
        }
        Audit.record(parseResult, code, null, err);
        if (code != ExitCodes.OK && code != ExitCodes.NOTHING_NEW && !SummaryFile.written()) {
            SummaryFile.failure(parseResult, code, "exit code " + code);
        }
        return code;
    }
}
