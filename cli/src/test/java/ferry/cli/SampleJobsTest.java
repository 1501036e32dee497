package ferry.cli;

import ferry.cli.config.ConfigProblem;
import org.junit.jupiter.api.Test;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scheduling samples in samples/jobs/ are valid: each ferry.yml checks, and each scheduler runs a job it defines. */
class SampleJobsTest {
    /** samples/jobs/ of this checkout (the test runs in cli/). */
    static final Path SAMPLES = Path.of("..", "samples", "jobs").toAbsolutePath().normalize();
    private static final Pattern JOB = Pattern.compile("--job\\s+(\\S+)");

    @Test
    void everySampleConfigurationPassesConfigCheck() throws IOException {
        List<Path> configs;
        try (Stream<Path> s = Files.walk(SAMPLES)) {
            configs = s.filter(p -> p.getFileName().toString().equals("ferry.yml")).sorted().toList();
        }
        assertEquals(3, configs.size(), "samples: " + configs);
        for (Path c : configs) {
            List<ConfigProblem> problems = JobConfig.problems(c);
            assertEquals(List.of(), problems, c.toString());
        }
    }

    @Test
    void everySchedulerEntryRunsAJobItsConfigurationDefines() throws Exception {
        int entries = 0;
        try (Stream<Path> dirs = Files.list(SAMPLES)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                String config = Files.readString(d.resolve("ferry.yml"));
                try (Stream<Path> files = Files.list(d)) {
                    for (Path f : files.filter(p -> !p.getFileName().toString().equals("ferry.yml")).toList()) {
                        String text = Files.readString(f);
                        if (f.toString().endsWith(".xml")) {
                            DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(f.toFile()); // well-formed
                        }
                        Matcher m = JOB.matcher(text);
                        if (f.toString().endsWith(".timer")) {
                            assertTrue(text.contains("OnCalendar="), f.toString());
                            assertTrue(Files.exists(d.resolve(f.getFileName().toString().replace(".timer", ".service"))));
                            continue;
                        }
                        assertTrue(m.find(), f + " runs no job");
                        String job = m.group(1);
                        assertTrue(config.contains("\n  " + job + ":\n"), f + " runs job " + job + ", which "
                                + d.resolve("ferry.yml") + " does not define");
                        assertFalse(text.contains("--passphrase "), f.toString());
                        entries++;
                    }
                }
            }
        }
        assertEquals(3, entries, "a systemd service, a cron line and a Task Scheduler task");
    }
}
