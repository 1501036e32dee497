package ferry.cli;

import ferry.cli.InProcess.Result;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ferry.samples.SampleUpstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static ferry.cli.InProcess.ferry;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The transfer options of a {@code ferry.yml} job: {@code recovery}, {@code rebaseEvery}, {@code assumeDelivered} and a
 * media entry's {@code mediaSize} are checked by {@code ferry config check} and reach the export, whose JSON summary
 * lists the recovery sets it wrote.
 */
class JobTransferOptionsTest {
    @TempDir
    Path dir;

    @Test
    void badTransferOptionsAreNamedByConfigCheck() throws Exception {
        Path f = Files.writeString(dir.resolve("ferry.yml"), config("http://127.0.0.1:1/", "1 bucket", "ten percent",
                "0"));
        Result r = ferry("config", "check", "--config", f.toString());
        assertEquals(ExitCodes.USAGE, r.code, r.out + r.err);
        assertTrue(r.err.contains("media.disc.mediaSize: unknown size unit"), r.err);
        assertTrue(r.err.contains("jobs.diode.recovery: expected a whole percentage from 1% to 100%"), r.err);
        assertTrue(r.err.contains("jobs.diode.rebaseEvery: must be at least 1: 0"), r.err);
    }

    @Test
    void aJobWritesMediaWithRecoveryDataAndItsSummaryListsThem() throws Exception {
        assertEquals(0, ferry("keys", "generate", "--out", dir.resolve("keys").toString(), "--user-id",
                "j <j@ferry.invalid>").code);
        try (SampleUpstream upstream = SampleUpstream.start(dir.resolve("upstream-files"), "127.0.0.1", 0)) {
            Path f = Files.writeString(dir.resolve("ferry.yml"), config(upstream.uri().toString(), "2560KiB", "10%",
                    "7"));
            Result check = ferry("config", "check", "--config", f.toString());
            assertEquals(0, check.code, check.err);
            // through Main.run, which reads --job before parsing, as the ferry command does
            assertEquals(0, Main.run(new String[] {"export", "--job", "diode", "--config", f.toString(), "--quiet"}));
            JsonNode summary = new ObjectMapper().readTree(dir.resolve("last-run.json").toFile());
            assertEquals(1, summary.at("/sequence").asLong());
            Path bundle = Path.of(summary.at("/bundleDir").asText());
            List<Path> media;
            try (Stream<Path> s = Files.list(bundle)) {
                media = s.sorted().toList();
            }
            assertTrue(media.size() >= 2, "split over media: " + media);
            assertEquals(media.size(), summary.at("/recovery").size(), summary.toString());
            for (Path m : media) {
                assertTrue(Files.isRegularFile(m.resolve("recovery.par2")), m.toString());
            }
            assertEquals(10, summary.at("/recovery/0/percent").asInt());
            // --assume-delivered is an override: the audit log records it
            Result audit = ferry("audit", "--state", dir.resolve("state").toString());
            assertEquals(0, audit.code, audit.err);
            assertTrue(audit.out.contains("--assume-delivered"), audit.out);
        }
    }

    private static String config(String upstream, String mediaSize, String recovery, String rebaseEvery) {
        return """
                upstreams:
                  sample:
                    url: %s
                    retries: 1
                selections:
                  widget:
                    products: ["Contoso Widget"]
                keys:
                  signer:
                    file: keys/signer.sec.asc
                outputs:
                  outbox:
                    dir: outbox
                media:
                  disc:
                    volumeSize: 128KiB
                    mediaSize: %s
                jobs:
                  diode:
                    upstream: sample
                    selection: widget
                    keys: [signer]
                    output: outbox
                    media: disc
                    state: state
                    summaryJson: last-run.json
                    recovery: "%s"
                    rebaseEvery: %s
                    assumeDelivered: true
                """.formatted(upstream, mediaSize, recovery, rebaseEvery);
    }
}
