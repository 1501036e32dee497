package ferry.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

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
                "Isolated side:    ferry import  (verify, import atomically into a store), ferry serve",
                "",
                "Try it on one machine: ferry demo"},
        footer = {"",
                "Exit codes: 0 ok, 1 invalid bundle, 2 usage/configuration, 3 upstream error,",
                "            4 import refused (replay, downgrade, missing base), 5 locked, 6 not enough disk space,",
                "            10 internal error."},
        subcommands = {
                KeysCommand.class,
                ExportCommand.class,
                VerifyCommand.class,
                ImportCommand.class,
                ServeCommand.class,
                StoreCommand.class,
                SampleUpstreamCommand.class,
                DemoCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces of errors (for reporting bugs).")
    static boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs ferry in-process (used by tests and the demo); returns the exit code. */
    public static int run(String... args) {
        CommandLine cl = newCommandLine();
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
        return cl;
    }
}
