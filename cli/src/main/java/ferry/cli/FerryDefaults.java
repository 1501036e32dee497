package ferry.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where an option not given on the command line gets its value, in this order: the {@code FERRY_*} environment
 * variable named after it, then (for {@code ferry export --job NAME}) the job in {@code ferry.yml}, then the
 * option's built-in default. The command line always wins.
 *
 * <p>The naming rule: {@code FERRY_} and the long option name without its dashes, upper case, {@code -} as
 * {@code _}: {@code --trust-store} is {@code FERRY_TRUST_STORE}, {@code --download-threads} is
 * {@code FERRY_DOWNLOAD_THREADS}. A repeatable option takes several values separated by commas
 * ({@code FERRY_PRODUCT="Windows 11,Windows Server 2025"}); a flag takes {@code true} or {@code false}.
 * {@code --log-config} keeps its own {@code FERRY_LOG_CONFIG} handling; {@code --help} and {@code --version} have none.
 */
final class FerryDefaults implements CommandLine.IDefaultValueProvider {
    private final Map<String, String> env;
    private final Map<String, List<String>> job;
    /** Repeatable options this provider gave values to: picocli takes one default, {@link #applyLists} the rest. */
    private final Map<OptionSpec, List<String>> lists = new IdentityHashMap<>();

    /**
     * @param env the environment ({@code System.getenv()})
     * @param job {@code ferry export}'s option values from a job ({@link ferry.cli.config.JobResolver}), or null
     */
    FerryDefaults(Map<String, String> env, Map<String, List<String>> job) {
        this.env = env;
        this.job = job;
    }

    /** The environment variable that sets {@code option}: {@code --trust-store} gives {@code FERRY_TRUST_STORE}. */
    static String variable(String longName) {
        return "FERRY_" + longName.replaceFirst("^-+", "").toUpperCase(Locale.ROOT).replace('-', '_');
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec o) || o.usageHelp() || o.versionHelp() || o.longestName().equals("--log-config")) {
            return null;
        }
        String fromEnv = env.get(variable(o.longestName()));
        List<String> values = null;
        if (fromEnv != null) {
            values = o.isMultiValue() ? Arrays.stream(fromEnv.split(",")).map(String::strip).toList() : List.of(fromEnv);
        } else if (job != null && "export".equals(o.command().name())) {
            values = job.get(o.longestName());
        }
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (o.isMultiValue()) {
            lists.put(o, values);
        }
        return values.get(0);
    }

    /**
     * Gives the repeatable options that took their first value from here all their values (picocli takes one default
     * value per option); options given on the command line are left as they are.
     */
    void applyLists(CommandLine.ParseResult parseResult) {
        for (CommandLine.ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
            for (OptionSpec o : pr.commandSpec().options()) {
                List<String> values = lists.get(o);
                if (values == null || pr.hasMatchedOption(o)) {
                    continue;
                }
                Class<?> type = o.auxiliaryTypes().length > 0 ? o.auxiliaryTypes()[0] : String.class;
                List<Object> typed = new ArrayList<>();
                for (String v : values) {
                    if (type == Path.class) {
                        try {
                            typed.add(Path.of(v));
                        } catch (java.nio.file.InvalidPathException e) {
                            throw new CommandLine.ParameterException(pr.commandSpec().commandLine(),
                                    o.longestName() + ": not a path: " + v + " (" + e.getReason() + ")");
                        }
                    } else if (type == String.class) {
                        typed.add(v);
                    } else {
                        throw new IllegalStateException("option " + o.longestName() + " of type " + type.getName()
                                + " cannot take several values from the environment or a job");
                    }
                }
                o.setValue(typed);
            }
        }
    }
}
