package ferry.format.pgp;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real gpg / gpgv in a private GNUPGHOME for interoperability tests. */
public final class Gpg implements AutoCloseable {
    public final Path home;

    public record Result(int exit, String out, String err) { }

    public Gpg(Path home) throws IOException {
        this.home = home;
        Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }

    public static void assumeInstalled(String tool) {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/" + tool)) || onPath(tool),
                tool + " is not installed; skipping the interoperability test");
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    public Result run(byte[] stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile());
        pb.environment().put("GNUPGHOME", home.toString());
        pb.environment().put("LC_ALL", "C");
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin);
            }
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + cmd);
        }
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1),
                Files.readString(err, StandardCharsets.ISO_8859_1));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    public Result gpg(byte[] stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("gpg", "--batch", "--no-tty", "--homedir", home.toString()));
        cmd.addAll(List.of(args));
        return run(stdin, cmd.toArray(String[]::new));
    }

    @Override
    public void close() throws IOException {
        // gpg starts an agent for secret-key work; stop it so no process outlives the test
        try {
            run(null, "gpgconf", "--homedir", home.toString(), "--kill", "all");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping gpg-agent", e);
        }
    }
}
