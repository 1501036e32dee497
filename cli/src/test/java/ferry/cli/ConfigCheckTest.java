package ferry.cli;

import ferry.cli.config.ConfigProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ferry.yml: every error named by line and field; where option values come from and which wins. */
class ConfigCheckTest {
    @TempDir
    Path dir;

    static final String GOOD = """
            upstreams:
              up:
                url: http://127.0.0.1:8530/
                retries: 2
            selections:
              widget:
                products: ["Contoso Widget"]
                classifications: [Security Updates, Critical Updates]
            keys:
              signer:
                file: keys/signer.sec.asc
                passphraseEnv: SIGNER_PASS
            outputs:
              outbox:
                dir: outbox
            media:
              small:
                volumeSize: 1MiB
            jobs:
              nightly:
                upstream: up
                selection: widget
                keys: [signer]
                output: outbox
                media: small
                state: state
                options:
                  quiet: true
            """;

    private static final String BAD = """
            upstreams:
              up:
                url: ftp://example.org/
                retries: many
                colour: blue
            selections:
              widget:
                products: Contoso Widget
            keys:
              signer:
                passphraseEnv: X
            outputs:
              outbox:
                dir: outbox
                name: "{channel}-{week}"
            media:
              small:
                volumeSize: 1 bucket
            jobs:
              nightly:
                upstream: up
                selection: widgets
                keys: [signer, other]
                output: outbox
                expiresIn: forever
                options:
                  recovery-percent: 10
                  out: /tmp/x
            """;

    @Test
    void everyErrorIsOneLineNamingLineAndFieldAndTheCheckExitsTwo() throws Exception {
        Path file = Files.writeString(dir.resolve("ferry.yml"), BAD);
        List<String> lines = JobConfig.problems(file).stream().map(ConfigProblem::toString).toList();
        String f = file.toString();
        assertEquals(List.of(
                f + ":4:14: upstreams.up.retries: expected a whole number, found \"many\"",
                f + ":5:5: upstreams.up.colour: unknown field; known fields: ca, connectTimeout, downloadThreads, proxy,"
                        + " readTimeout, retries, url",
                f + ":8:15: selections.widget.products: expected a list, found a text value",
                f + ":3:5: upstreams.up.url: not an http or https URL: ftp://example.org/",
                f + ":7:3: selections.widget: products is required (at least one product)",
                f + ":10:3: keys.signer: file is required (the armored secret key)",
                f + ":15:5: outputs.outbox.name: unknown placeholder {week}; known: {job}, {channel}, {date}, {time}",
                f + ":18:5: media.small.volumeSize: unknown size unit 'BUCKET' in 1 bucket (or a preset: fat32, dvd, dvd-dl, bd25, bd50, bd100)",
                f + ":22:5: jobs.nightly.selection: no entry named \"widgets\" under selections (known: widget)",
                f + ":23:20: jobs.nightly.keys[1]: no key named \"other\" under keys (known: signer)",
                f + ":25:5: jobs.nightly.expiresIn: not a duration: \"forever\" (e.g. 30d, 12h, 90m, 2w, P30D)",
                f + ":27:7: jobs.nightly.options.recovery-percent: not a ferry export option",
                f + ":28:7: jobs.nightly.options.out: set by the job's own fields; not an option here"), lines);

        Run r = ferry("config", "check", "--config", file.toString());
        assertEquals(ExitCodes.USAGE, r.code);
        assertEquals(lines.size() + 1, r.err.lines().count(), r.err);
        assertTrue(r.err.endsWith(lines.size() + " error(s) in " + file + "\n"), r.err);
    }

    @Test
    void anEmptyEntryIsAnError() throws Exception {
        Path file = Files.writeString(dir.resolve("ferry.yml"), GOOD + "  weekly:\n");
        assertEquals(List.of(file + ":29:3: jobs.weekly: is empty"),
                JobConfig.problems(file).stream().map(ConfigProblem::toString).toList());
    }

    @Test
    void aGoodFileChecksAndResolvesPathsAgainstItsDirectory() throws Exception {
        Path file = Files.writeString(dir.resolve("ferry.yml"), GOOD);
        Run r = ferry("config", "check", "--config", file.toString());
        assertEquals(0, r.code, r.err);
        assertEquals(file + ": ok\n", r.out);
        Map<String, List<String>> o = JobConfig.job(file, "nightly", Instant.parse("2026-11-29T08:00:00Z"));
        assertEquals(List.of("http://127.0.0.1:8530/"), o.get("--upstream"));
        assertEquals(List.of("Security Updates", "Critical Updates"), o.get("--classification"));
        assertEquals(List.of(dir.resolve("keys/signer.sec.asc").toString()), o.get("--key"));
        assertEquals(List.of("SIGNER_PASS"), o.get("--passphrase-env"));
        assertEquals(List.of(dir.resolve("outbox/nightly-20261129-080000").toString()), o.get("--out"));
        assertEquals(List.of("nightly"), o.get("--channel"), "the channel defaults to the job's name");
        assertEquals(List.of("2"), o.get("--retries"));
        assertEquals(List.of("true"), o.get("--quiet"), "any other export option through options");
        assertEquals(List.of("1MiB"), o.get("--volume-size"));
        Files.createDirectories(dir.resolve("outbox/nightly-20261129-080000")).resolve("x").toFile().createNewFile();
        assertEquals(List.of(dir.resolve("outbox/nightly-20261129-080000-2").toString()),
                JobConfig.job(file, "nightly", Instant.parse("2026-11-29T08:00:00Z")).get("--out"), "a taken name gets -2");
    }

    @Test
    void aJobsApprovalFileIsCheckedAsTheExportChecksIt() throws Exception {
        Files.createDirectories(dir.resolve("sets"));
        Path set = Files.writeString(dir.resolve("sets/central.yml"), """
                groups:
                  - name: Ring 1
                approvals:
                  - kb: 5000101
                    group: Ring 1
                  - kb: KB-5000102
                    group: Ring 1
                """);
        String job = "    approvals: sets/central.yml\n";
        Path file = Files.writeString(dir.resolve("ferry.yml"), GOOD.replace("    state: state\n",
                "    state: state\n" + job));
        // the same line the export prints (ExportedApprovalsTest), at the job's approvals field
        assertEquals(List.of(file + ":27:5: jobs.nightly.approvals: approvals file " + set + " line 6:"
                        + " approvals[1].kb[0]: not a KB number (e.g. 5034441 or KB5034441): \"KB-5000102\""),
                JobConfig.problems(file).stream().map(ConfigProblem::toString).toList());
        Run r = ferry("config", "check", "--config", file.toString());
        assertEquals(ExitCodes.USAGE, r.code, r.out + r.err);
        assertEquals(2, r.err.lines().count(), r.err);

        Files.writeString(set, "approvals:\n  - kb: 5000101\n    group: All Computers\n    colour: red\n");
        assertEquals(List.of(file + ":27:5: jobs.nightly.approvals: approvals file " + set + " line 4:"
                        + " approvals[0].colour: Unrecognized field \"colour\", not marked as ignorable"),
                JobConfig.problems(file).stream().map(ConfigProblem::toString).toList());
        Files.writeString(set, "approvals:\n  - kb: 5000101\n    group: Ring 9\n");
        assertTrue(JobConfig.problems(file).get(0).toString().contains(" line 3: approvals[0].group: group \"Ring 9\""
                + " is neither built in"), JobConfig.problems(file).toString());
        Files.delete(set);
        assertEquals(List.of(file + ":27:5: jobs.nightly.approvals: approvals file " + set + ": no such file"),
                JobConfig.problems(file).stream().map(ConfigProblem::toString).toList());
        Path empty = Files.writeString(dir.resolve("ferry.yml"), GOOD.replace("    state: state\n",
                "    state: state\n    approvals: \"\"\n"));
        assertEquals(List.of(empty + ":27:5: jobs.nightly.approvals: must not be empty"),
                JobConfig.problems(empty).stream().map(ConfigProblem::toString).toList());

        // a good set: ok, and the export is given the same file
        Files.writeString(set, "groups:\n  - name: Ring 1\napprovals:\n  - product: Contoso Widget\n"
                + "    group: Ring 1\n");
        Files.writeString(file, GOOD.replace("    state: state\n", "    state: state\n" + job));
        Run ok = ferry("config", "check", "--config", file.toString());
        assertEquals(0, ok.code, ok.err);
        assertEquals(List.of(set.toString()),
                JobConfig.job(file, "nightly", Instant.parse("2026-11-29T08:00:00Z")).get("--approvals"));
    }

    @Test
    void anUnknownJobOrAMissingFileIsAUsageErrorNamingIt() throws Exception {
        Path file = Files.writeString(dir.resolve("ferry.yml"), GOOD);
        Run r = ferryMain("export", "--job", "weekly", "--config", file.toString());
        assertEquals(ExitCodes.USAGE, r.code);
        assertTrue(r.err.contains("no job named \"weekly\" in " + file + " (jobs: nightly)"), r.err);
        Run missing = ferryMain("export", "--job", "nightly", "--config", dir.resolve("none.yml").toString());
        assertEquals(ExitCodes.USAGE, missing.code);
        assertTrue(missing.err.contains(dir.resolve("none.yml") + ": no such file"), missing.err);
    }

    /** A stand-in command to see where each option's value came from. */
    @CommandLine.Command(name = "export")
    static final class Probe implements Runnable {
        @CommandLine.Option(names = "--out", required = true) String out;
        @CommandLine.Option(names = "--retries", defaultValue = "3") int retries;
        @CommandLine.Option(names = "--product", required = true) List<String> products;
        @CommandLine.Option(names = "--upstream-ca") List<Path> cas;
        @CommandLine.Option(names = "--full") boolean full;

        @Override
        public void run() {
        }
    }

    private static Probe parse(Map<String, String> env, Map<String, List<String>> job, String... args) {
        Probe p = new Probe();
        CommandLine cl = new CommandLine(p);
        FerryDefaults d = new FerryDefaults(env, job);
        cl.setDefaultValueProvider(d);
        d.applyLists(cl.parseArgs(args));
        return p;
    }

    @Test
    void commandLineBeatsEnvironmentBeatsJobBeatsBuiltInDefault() {
        Map<String, List<String>> job = Map.of("--out", List.of("/job/out"), "--retries", List.of("5"),
                "--product", List.of("A", "B"), "--upstream-ca", List.of("/job/a.pem", "/job/b.pem"));
        Probe fromJob = parse(Map.of(), job);
        assertEquals("/job/out", fromJob.out);
        assertEquals(5, fromJob.retries);
        assertEquals(List.of("A", "B"), fromJob.products);
        assertEquals(List.of(Path.of("/job/a.pem"), Path.of("/job/b.pem")), fromJob.cas);
        Probe fromEnv = parse(Map.of("FERRY_OUT", "/env/out", "FERRY_PRODUCT", "Windows 11, Windows Server 2025",
                "FERRY_FULL", "true"), job);
        assertEquals("/env/out", fromEnv.out);
        assertEquals(List.of("Windows 11", "Windows Server 2025"), fromEnv.products);
        assertTrue(fromEnv.full);
        assertEquals(5, fromEnv.retries);
        Probe fromArgs = parse(Map.of("FERRY_OUT", "/env/out", "FERRY_PRODUCT", "X"), job, "--out", "/cli/out",
                "--product", "C", "--retries", "1");
        assertEquals("/cli/out", fromArgs.out);
        assertEquals(List.of("C"), fromArgs.products);
        assertEquals(1, fromArgs.retries);
        assertEquals(3, parse(Map.of(), null, "--out", "o", "--product", "p").retries, "the built-in default last");
        assertEquals("FERRY_TRUST_STORE", FerryDefaults.variable("--trust-store"));
    }

    record Run(int code, String out, String err) {
    }

    private static Run ferry(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    /** Through {@link Main#run}, which reads --job before parsing; standard error captured. */
    private static Run ferryMain(String... args) {
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new Run(code, "", err.toString(java.nio.charset.StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }
}
