package ferry.cli;

import ferry.cli.config.ConfigChecks;
import ferry.cli.config.ConfigException;
import ferry.cli.config.ConfigLoader;
import ferry.cli.config.ConfigProblem;
import ferry.cli.config.JobResolver;
import ferry.exporter.ExportConfigException;
import ferry.exporter.wsus.ApprovalFile;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Finds, reads and checks {@code ferry.yml}, and gives {@code ferry export --job NAME} its option values. */
final class JobConfig {
    /** Where the configuration is looked for when neither --config nor FERRY_CONFIG names it, in this order. */
    static final List<Path> DEFAULT_LOCATIONS = List.of(Path.of("ferry.yml"), Path.of("/etc/ferry/ferry.yml"));

    private JobConfig() {
    }

    /**
     * The configuration file: {@code explicit} (from --config), else the FERRY_CONFIG variable, else the first of
     * {@link #DEFAULT_LOCATIONS} that exists.
     *
     * @throws CliException (exit 2) when none is given and none exists
     */
    static Path locate(Path explicit, Map<String, String> env) {
        if (explicit != null) {
            return explicit;
        }
        String fromEnv = env.get("FERRY_CONFIG");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        for (Path p : DEFAULT_LOCATIONS) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new CliException(ExitCodes.USAGE, "no configuration file: give --config FILE or set FERRY_CONFIG (looked for "
                + String.join(", ", DEFAULT_LOCATIONS.stream().map(Path::toString).toList()) + ")");
    }

    /** Every problem of {@code file}, one per error; empty when it is good. */
    static List<ConfigProblem> problems(Path file) {
        try {
            return ConfigChecks.check(ConfigLoader.load(file), syntax());
        } catch (ConfigException e) {
            return e.problems();
        }
    }

    /**
     * The option values of job {@code name} in {@code file}, for a run starting {@code now}.
     *
     * @throws CliException (exit 2) naming the first problem of the file, or a job that is not there
     */
    static Map<String, List<String>> job(Path file, String name, Instant now) {
        try {
            ConfigLoader.Loaded loaded = ConfigLoader.load(file);
            List<ConfigProblem> problems = ConfigChecks.check(loaded, syntax());
            if (!problems.isEmpty()) {
                throw new ConfigException(problems);
            }
            return JobResolver.resolve(loaded, name, now);
        } catch (ConfigException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
        }
    }

    /** What ferry export's options accept. */
    static ConfigChecks.Syntax syntax() {
        Set<String> options = new LinkedHashSet<>();
        for (OptionSpec o : new CommandLine(new ExportCommand()).getCommandSpec().options()) {
            if (!o.usageHelp() && !o.versionHelp()) {
                options.add(o.longestName().replaceFirst("^-+", ""));
            }
        }
        return new ConfigChecks.Syntax(text -> {
            try {
                Sizes.parse(text);
                return null;
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        }, text -> {
            try {
                Durations.parse(text);
                return null;
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        }, options, approvals -> {
            try {
                ApprovalFile.read(approvals);
                return null;
            } catch (ExportConfigException e) {
                return e.getMessage();
            }
        });
    }

    /**
     * The job a command line asks for: {@code ferry [options] export ... --job NAME [--config FILE] ...} (or FERRY_JOB
     * and FERRY_CONFIG for an export), as {@code {name, config file or null}}; null when it is not an export of a job.
     */
    static String[] requested(String[] args, Map<String, String> env) {
        int i = 0;
        while (i < args.length && args[i].startsWith("-")) {
            i += args[i].equals("--log-level") || args[i].equals("--log-config") ? 2 : 1;
        }
        if (i >= args.length || !args[i].equals("export")) {
            return null;
        }
        String job = env.get("FERRY_JOB");
        String config = null;
        for (int k = i + 1; k < args.length; k++) {
            if (args[k].equals("--")) {
                break;
            }
            if (args[k].equals("--job") && k + 1 < args.length) {
                job = args[++k];
            } else if (args[k].startsWith("--job=")) {
                job = args[k].substring("--job=".length());
            } else if (args[k].equals("--config") && k + 1 < args.length) {
                config = args[++k];
            } else if (args[k].startsWith("--config=")) {
                config = args[k].substring("--config=".length());
            }
        }
        return job == null || job.isBlank() ? null : new String[]{job, config};
    }
}
