package ferry.cli;

import ferry.samples.SampleUpstream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code ferry sample-upstream}: the sample catalog served over MS-WSUSSS, for trying ferry out. */
@Command(name = "sample-upstream", mixinStandardHelpOptions = true,
        description = {"Serve the sample catalog as an upstream server (MS-WSUSSS and /Content/) until interrupted.",
                "It holds nine real update documents recorded from a Windows Server 2025 WSUS plus synthetic updates",
                "(product \"Contoso Widget\") whose files it generates. Export from it with:",
                "  ferry export --upstream http://127.0.0.1:8531/ --product \"Contoso Widget\" ..."})
public final class SampleUpstreamCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "8531", description = "TCP port (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--dir", defaultValue = "sample-upstream", paramLabel = "DIR",
            description = "Where the synthetic updates' files are generated (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--feature-update-size", paramLabel = "SIZE", defaultValue = "0",
            description = "Also serve a Contoso Widget 2.0 feature update with one generated file of SIZE (e.g. 5GiB) - for benchmarks.")
    String featureUpdateSize;

    @Option(names = "--small-files", paramLabel = "COUNT", defaultValue = "0",
            description = "Also serve a Contoso Widget 2.0 language packs update with COUNT generated files, all different (e.g. 400) - for benchmarks.")
    int smallFiles;

    @Option(names = "--small-file-size", paramLabel = "SIZE", defaultValue = "256KiB",
            description = "Size of each of the --small-files (default: ${DEFAULT-VALUE}).")
    String smallFileSize;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        long feature;
        try {
            feature = "0".equals(featureUpdateSize) ? 0 : Sizes.parse(featureUpdateSize);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "--feature-update-size: " + e.getMessage(), e);
        }
        long small;
        try {
            small = Sizes.parse(smallFileSize);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "--small-file-size: " + e.getMessage(), e);
        }
        if (smallFiles < 0 || smallFiles > 10_000 || small < 1) {
            throw new CliException(ExitCodes.USAGE, "--small-files must be 0..10000 and --small-file-size positive");
        }
        try (SampleUpstream upstream = SampleUpstream.start(dir.resolve("files"), bind, port, feature, smallFiles, small)) {
            spec.commandLine().getOut().println("Sample upstream serving " + upstream.catalog().documents().size()
                    + " update revisions at " + upstream.uri() + " (files in " + dir.resolve("files") + "). Ctrl-C stops it.");
            spec.commandLine().getOut().flush();
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            stop.await();
        }
        return ExitCodes.OK;
    }
}
