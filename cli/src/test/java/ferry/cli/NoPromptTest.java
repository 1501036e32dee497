package ferry.cli;

import ferry.cli.InProcess.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static ferry.cli.InProcess.ferry;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 9, "no prompt ever when standard input is not a terminal", in a real process: standard input is a pipe that
 * holds the right passphrase and stays open. A ferry that read it would unlock the key and go on to the (unreachable)
 * upstream, exit 3; a ferry that waited for a terminal would hang. ferry does neither: exit 2 at once, saying where
 * a passphrase can come from.
 */
class NoPromptTest {
    @TempDir
    Path dir;

    @Test
    void aProtectedKeyNeverReadsStandardInputEvenWhenItHoldsThePassphrase() throws Exception {
        Path keys = dir.resolve("keys");
        Path pass = Files.writeString(dir.resolve("pass"), "correct horse\n");
        assertEquals(0, ferry("keys", "generate", "--out", keys.toString(), "--user-id", "p <p@ferry.invalid>",
                "--passphrase-file", pass.toString()).code);
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "export", "--upstream", "http://127.0.0.1:9/", "--product", "Contoso Widget",
                "--key", keys.resolve("signer.sec.asc").toString(), "--out", dir.resolve("out").toString(), "--state",
                dir.resolve("state").toString(), "--retries", "0", "--quiet");
        pb.environment().keySet().removeIf(k -> k.startsWith("FERRY_"));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write("correct horse\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            // kept open until the process ends: a prompt would get the passphrase, or wait for more
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("ferry waited on standard input: "
                        + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(ExitCodes.USAGE, p.exitValue(), out);
            assertTrue(out.contains("is protected by a passphrase, and none was given") && out.contains("ferry never prompts"),
                    out);
        }
        assertFalse(Files.exists(dir.resolve("out")));
    }
}
