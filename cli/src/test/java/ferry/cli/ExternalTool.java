package ferry.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs a real tool of the ecosystem (par2, ...) as a judge of what ferry wrote, in a given directory. */
final class ExternalTool {

    /** The tool's exit status and its output (standard output and error together); fields, as tests read them. */
    static final class Proc {
        final int exit;
        final String out;

        Proc(int exit, String out) {
            this.exit = exit;
            this.out = out;
        }

        @Override
        public String toString() {
            return "exit " + exit + ": " + out;
        }
    }

    private ExternalTool() {
    }

    /** Runs {@code cmd} in {@code cwd} with an empty standard input; fails the test if it runs over 120 s. */
    static Proc run(Path cwd, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", cmd) + " did not finish");
        return new Proc(p.exitValue(), text);
    }
}
