package ferry.cli;

import picocli.CommandLine.Option;

/** {@code --json}, {@code --summary-json} and {@code --quiet}, shared by the commands that report a result and show progress. */
final class OutputOptions {
    @Option(names = "--json", description = "Print the result as JSON on standard output (progress and errors stay on standard error).")
    boolean json;

    @Option(names = SummaryFile.OPTION, paramLabel = "FILE",
            description = "Also write the JSON result to FILE (whole or not at all: written beside it, then renamed);"
                    + " a failed run writes {command, exitCode, result, error, report} there instead.")
    java.nio.file.Path summaryJson;

    @Option(names = {"-q", "--quiet"}, description = "No progress display; log warnings and errors only.")
    boolean quiet;

    /** A progress display, silent with --quiet or --json. */
    ConsoleProgress progress() {
        return new ConsoleProgress(quiet || json);
    }
}
