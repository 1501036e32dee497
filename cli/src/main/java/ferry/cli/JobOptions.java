package ferry.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * {@code --job NAME} and {@code --config FILE} of {@code ferry export}. Read by {@link Main} before the command line is
 * parsed (the job supplies the other options' values, {@link FerryDefaults}); declared here so they parse and show
 * in the help.
 */
final class JobOptions {
    @Option(names = "--job", paramLabel = "NAME",
            description = "Run job NAME of the configuration file: its upstream, selection, keys, output, media and"
                    + " options; options given here win over it, FERRY_* environment variables too. See docs/jobs.md.")
    String job;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The configuration file for --job (default: FERRY_CONFIG, else ./ferry.yml, else /etc/ferry/ferry.yml).")
    Path config;
}
