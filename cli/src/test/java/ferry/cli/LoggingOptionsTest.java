package ferry.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --log-level}, {@code --verbose}, {@code --quiet} and {@code --log-config} change what the real Logback
 * configuration (the cli jar's DefaultLogging) writes to standard error, and logging never reaches standard output.
 * Runs {@link Main#run} in-process with captured standard streams.
 */
class LoggingOptionsTest {
    private static final String DEBUG_LINE = "DEBUG ferry.cli.Main - running ferry keys show";

    @TempDir
    Path dir;

    private Path key;
    private PrintStream savedOut;
    private PrintStream savedErr;

    record Run(int code, String out, String err) {
    }

    @BeforeEach
    void makeKey() {
        savedOut = System.out;
        savedErr = System.err;
        Path keys = dir.resolve("keys");
        assertEquals(0, ferry("keys", "generate", "--out", keys.toString(), "--user-id", "log <log@ferry.invalid>").code);
        key = keys.resolve("signer.pub.asc");
    }

    @AfterEach
    void restoreStreams() {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    private Run ferry(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = System.out;
        PrintStream e = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(o);
            System.setErr(e);
        }
    }

    @Test
    void shippedConfigurationLogsNoDebug() {
        Run r = ferry("keys", "show", key.toString());
        assertEquals(0, r.code, r.err);
        assertFalse(r.err.contains("DEBUG"), r.err);
    }

    @Test
    void logLevelDebugReachesStandardErrorOnly() {
        Run r = ferry("--log-level", "debug", "keys", "show", "--json", key.toString());
        assertEquals(0, r.code, r.err);
        assertTrue(r.err.contains(DEBUG_LINE), r.err);
        assertFalse(r.out.contains("DEBUG"), "log lines on standard output: " + r.out);
        assertTrue(r.out.startsWith("{"), "standard output is the JSON result: " + r.out);
    }

    @Test
    void logLevelIsInheritedBySubcommands() {
        Run r = ferry("keys", "show", "--log-level", "DEBUG", key.toString());
        assertEquals(0, r.code, r.err);
        assertTrue(r.err.contains(DEBUG_LINE), r.err);
    }

    @Test
    void verboseLogsFerryAtDebug() {
        Run r = ferry("--verbose", "keys", "show", key.toString());
        assertTrue(r.err.contains(DEBUG_LINE), r.err);
    }

    @Test
    void levelsAreUndoneAfterTheRun() {
        ferry("--log-level", "debug", "keys", "show", key.toString());
        Run r = ferry("keys", "show", key.toString());
        assertFalse(r.err.contains("DEBUG"), r.err);
    }

    @Test
    void operatorConfigurationFileIsUsedAndQuietOverridesIt() throws Exception {
        Path config = dir.resolve("operator-logback.xml");
        Files.writeString(config, """
                <configuration>
                  <appender name="E" class="ch.qos.logback.core.ConsoleAppender">
                    <target>System.err</target>
                    <encoder><pattern>OPERATOR %level %logger - %msg%n</pattern></encoder>
                  </appender>
                  <root level="DEBUG"><appender-ref ref="E"/></root>
                </configuration>
                """);
        Path bundle = dir.resolve("no-such-bundle");
        Path trust = dir.resolve("trust");

        Run loud = ferry("verify", bundle.toString(), "--trust-store", trust.toString(), "--log-config", config.toString());
        assertTrue(loud.err.contains("OPERATOR DEBUG ferry.cli.Main - running ferry verify"), loud.err);

        Run quiet = ferry("verify", bundle.toString(), "--trust-store", trust.toString(), "--log-config", config.toString(),
                "--quiet");
        assertFalse(quiet.err.contains("DEBUG"), quiet.err);
        assertEquals(loud.code, quiet.code);

        Run after = ferry("keys", "show", key.toString());
        assertFalse(after.err.contains("OPERATOR"), "the operator's file stays with the run that named it: " + after.err);
    }

    @Test
    void badLevelIsAUsageErrorOnOneLine() {
        Run r = ferry("--log-level", "chatty", "keys", "show", key.toString());
        assertEquals(ExitCodes.USAGE, r.code);
        assertEquals(1, r.err.strip().lines().count(), r.err);
        assertTrue(r.err.contains("--log-level"), r.err);
    }

    @Test
    void unreadableConfigurationIsAUsageError() {
        Run r = ferry("--log-config", dir.resolve("missing.xml").toString(), "keys", "show", key.toString());
        assertEquals(ExitCodes.USAGE, r.code);
        assertTrue(r.err.contains("missing.xml"), r.err);
    }

    @Test
    void helpDocumentsTheLoggingOptions() {
        Run r = ferry("--help");
        assertTrue(r.out.contains("--log-level=LEVEL"), r.out);
        assertTrue(r.out.contains("--log-config=FILE"), r.out);
        assertTrue(r.out.contains("FERRY_LOG_CONFIG"), r.out);
    }
}
