package ferry.wsus.cab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs the real {@code cabextract} (libmspack; Debian package cabextract, installed by .ci/run) as a second,
 * independent decoder of the cabinets we write.
 */
final class Cabextract {

    private Cabextract() {
    }

    /** Skips the calling test when cabextract is not installed on this machine (CI installs it). */
    static void assumeInstalled() {
        assumeTrue(onPath("cabextract"), "cabextract is not installed; skipping the interoperability test");
    }

    /**
     * Writes the cabinet to {@code dir}, extracts it with cabextract into a fresh directory and returns the single
     * member's bytes; fails the test if cabextract reports an error or the cabinet holds anything but one
     * member named {@code blob}.
     */
    static byte[] extract(byte[] cab, Path dir) throws IOException, InterruptedException {
        Path file = Files.createTempFile(dir, "blob", ".cab");
        Path out = Files.createTempDirectory(dir, "out");
        Files.write(file, cab);
        Process p = new ProcessBuilder("cabextract", "-q", "-d", out.toString(), file.toString())
                .redirectErrorStream(true).start();
        byte[] messages = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("cabextract timed out on " + file);
        }
        String said = new String(messages, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "cabextract refused " + file + ": " + said);
        List<Path> members;
        try (Stream<Path> s = Files.list(out)) {
            members = s.toList();
        }
        assertEquals(List.of(out.resolve("blob")), members, "cabextract output: " + said);
        byte[] member = Files.readAllBytes(members.get(0));
        Files.delete(members.get(0));
        Files.delete(out);
        Files.delete(file);
        return member;
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/bin", tool));
    }
}
