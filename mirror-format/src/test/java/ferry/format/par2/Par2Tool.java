package ferry.format.par2;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real par2cmdline ({@code par2}, Debian package par2) for interoperability tests. */
final class Par2Tool {
    private Par2Tool() { }

    record Result(int exit, String output) { }

    static void assumeInstalled() {
        boolean found = Files.isExecutable(Path.of("/usr/bin/par2"));
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            found |= !dir.isEmpty() && Files.isExecutable(Path.of(dir, "par2"));
        }
        assumeTrue(found, "par2 is not installed (apt-get install par2); skipping the interoperability test");
    }

    static Result run(Path dir, String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of(args)).directory(dir.toFile()).redirectErrorStream(true);
        Path out = Files.createTempFile("par2", ".txt");
        pb.redirectOutput(out.toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + List.of(args));
        }
        String text = Files.readString(out, StandardCharsets.ISO_8859_1);
        Files.delete(out);
        return new Result(p.exitValue(), text);
    }
}
