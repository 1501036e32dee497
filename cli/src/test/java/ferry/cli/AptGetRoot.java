package ferry.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The real {@code apt-get} in a throwaway root ({@code -o Dir=...}): nothing of the machine's own apt configuration,
 * lists or caches is read or written, so tests can point apt at a repository ferry serves.
 */
final class AptGetRoot {
    private AptGetRoot() {
    }

    /** apt-get's exit status and its output (standard output and error together). */
    record Run(int exit, String out) {
    }

    /** Lays out a throwaway apt root in {@code dir} whose only source is {@code sourcesEntry} (deb822); returns dir. */
    static Path prepare(Path dir, String sourcesEntry) throws Exception {
        for (String d : List.of("etc/apt/trusted.gpg.d", "etc/apt/preferences.d", "etc/apt/apt.conf.d",
                "etc/apt/sources.list.d", "var/lib/apt/lists/partial", "var/cache/apt/archives/partial", "var/lib/dpkg")) {
            Files.createDirectories(dir.resolve(d));
        }
        Files.writeString(dir.resolve("var/lib/dpkg/status"), "");
        Files.writeString(dir.resolve("sources.list"), "");
        Files.writeString(dir.resolve("etc/apt/sources.list.d/ferry.sources"), sourcesEntry);
        return dir;
    }

    /** Runs the real {@code apt-get} with {@code args} against the root {@link #prepare} made, as root, amd64 only. */
    static Run aptGet(Path root, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/apt-get", "-q",
                "-o", "Dir=" + root, "-o", "Dir::State=" + root.resolve("var/lib/apt"),
                "-o", "Dir::State::status=" + root.resolve("var/lib/dpkg/status"),
                "-o", "Dir::Cache=" + root.resolve("var/cache/apt"), "-o", "Dir::Etc=" + root.resolve("etc/apt"),
                "-o", "Dir::Etc::SourceList=" + root.resolve("sources.list"),
                "-o", "Dir::Etc::SourceParts=" + root.resolve("etc/apt/sources.list.d"),
                "-o", "Dir::Etc::Trusted=" + root.resolve("etc/apt/trusted.gpg"),
                "-o", "Dir::Etc::TrustedParts=" + root.resolve("etc/apt/trusted.gpg.d"),
                "-o", "APT::Architecture=amd64", "-o", "APT::Architectures=amd64",
                "-o", "Acquire::Languages=none", "-o", "Debug::NoLocking=1", "-o", "Acquire::http::Proxy=DIRECT",
                "-o", "APT::Sandbox::User=root"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }
}
