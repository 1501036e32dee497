package ferry.cli;

import ferry.cli.config.ConfigProblem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ferry config}: the configuration file of scheduled jobs. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"The configuration file ferry.yml: upstreams, selections, signing keys, outputs, media and jobs",
                "(ferry export --job NAME). See docs/jobs.md."},
        subcommands = {ConfigCommand.Check.class})
public final class ConfigCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Check a configuration file: YAML syntax, unknown or mistyped fields, required fields,",
                    "references between sections (a job's upstream, selection, keys, output, media), sizes, durations",
                    "and URLs, and each job's approval set file (approvals:) as ferry export --approvals checks it, but",
                    "for products and classifications, which need the upstream. Prints one line per error,",
                    "FILE:LINE:COLUMN: FIELD: MESSAGE, on standard error. Other files named by the configuration",
                    "(keys, CA certificates) are not opened: the export does that."},
            footer = {"", "Exit codes: 0 valid, 2 errors found (or the file cannot be read)."})
    static final class Check implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE",
                description = "The configuration file (default: FERRY_CONFIG, else ./ferry.yml, else /etc/ferry/ferry.yml).")
        Path config;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Path file = JobConfig.locate(config, System.getenv());
            List<ConfigProblem> problems = JobConfig.problems(file);
            if (problems.isEmpty()) {
                spec.commandLine().getOut().println(file + ": ok");
                spec.commandLine().getOut().flush();
                return ExitCodes.OK;
            }
            for (ConfigProblem p : problems) {
                spec.commandLine().getErr().println(p);
            }
            spec.commandLine().getErr().println(problems.size() + " error(s) in " + file);
            spec.commandLine().getErr().flush();
            return ExitCodes.USAGE;
        }
    }
}
