package ferry.exporter;

import ferry.format.CrashPoints;
import ferry.format.Progress;
import ferry.format.pgp.SigningKey;
import ferry.wsus.client.WsusClientOptions;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One export in its own JVM, so that a crash test can stop it dead ({@link CrashPoints}) and look at what it
 * left. Arguments: upstream URL, state directory, output directory, armored secret key file, then the
 * classifications. Exit status 0 when the export finished, 1 when it failed, 137 when a crash point halted it.
 */
public final class ExportChild {

    private ExportChild() {
    }

    /** The export every crash test runs, in the child and in the test JVM alike. */
    static ExportOptions.Builder options(URI upstream, Path stateDir, Path out, SigningKey key, List<String> classifications) {
        return ExportOptions.builder()
                .upstream(upstream)
                .products("Contoso Widget")
                .classifications(classifications)
                .mode(ExportMode.METADATA_AND_FILES)
                .outputDir(out)
                .volumeSize(256 * 1024)
                .stateDir(stateDir)
                .signingKey(key)
                .producerVersion("test")
                .clientOptions(WsusClientOptions.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30)))
                .downloadAttempts(1)
                .retryBackoff(Duration.ZERO);
    }

    public static void main(String[] args) throws Exception {
        SigningKey key = SigningKey.load(Path.of(args[3]), null);
        List<String> classifications = List.of(args).subList(4, args.length);
        try {
            ExportJob.run(options(URI.create(args[0]), Path.of(args[1]), Path.of(args[2]), key, classifications).build(),
                    Progress.NONE);
        } catch (ExportException e) {
            System.out.println("export failed: " + e.getMessage());
            System.exit(1);
        }
        System.exit(0);
    }

    /** The child's exit status and output. */
    record Outcome(int status, String output) {
    }

    /**
     * Runs the child to its end.
     *
     * @param crashAt {@code <step>#<n>} to halt there, or null
     * @param trace   a file to list the steps reached in, or null
     */
    static Outcome run(String crashAt, Path trace, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                "-Djava.net.preferIPv4Stack=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        if (crashAt != null) {
            cmd.add("-D" + CrashPoints.HALT_PROPERTY + "=" + crashAt);
        }
        if (trace != null) {
            cmd.add("-D" + CrashPoints.TRACE_PROPERTY + "=" + trace);
        }
        cmd.add(ExportChild.class.getName());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("export child did not finish: " + cmd);
        }
        return new Outcome(p.exitValue(), new String(out));
    }
}
