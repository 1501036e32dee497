package ferry.cli;

import ferry.exporter.ExportConfigException;
import ferry.exporter.ExportLockedException;
import ferry.exporter.ExportUpstreamException;
import ferry.exporter.SelectionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** {@code ferry export}'s options, help text and the exit codes of the exporter's failures. */
class ExportCommandTest {

    @TempDir
    Path tmp;

    @Test
    void helpRendersWithoutPicocliWarningsAndPicocliWrapsIt() {
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        StringWriter out = new StringWriter();
        int code;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            CommandLine cl = Main.newCommandLine();
            cl.setOut(new PrintWriter(out, true));
            code = cl.execute("export", "--help");
        } finally {
            System.setErr(stderr);
        }
        assertEquals(0, code);
        String err = captured.toString(StandardCharsets.UTF_8);
        assertFalse(err.contains("WARN"), err);
        String help = out.toString();
        assertTrue(help.contains("--out /media/usb/bundle-$(date +%F)"), help);
        assertTrue(help.contains("--expires-in=DURATION") && help.contains("--no-expiry"), help);
        for (String line : help.split("\n")) {
            assertTrue(line.length() <= 80, "picocli wraps at 80 columns: " + line);
        }
        // one paragraph per description line: no sentence is broken by a hard line end in the source
        assertTrue(help.replaceAll("\\s+", " ").contains("writes no bundle when nothing changed, holds a lock"), help);
    }

    @Test
    void connectionAndTransferOptionsAreTaughtAndBadValuesAreUsageErrorsNamingTheOption() throws Exception {
        StringWriter help = new StringWriter();
        CommandLine hl = Main.newCommandLine();
        hl.setOut(new PrintWriter(help, true));
        assertEquals(0, hl.execute("export", "--help"));
        String h = help.toString().replaceAll("\\s+", " ");
        for (String o : List.of("--proxy=URL", "--upstream-ca=PEM", "--download-threads=N", "--connect-timeout=DURATION",
                "--read-timeout=DURATION", "--retries=N", "https_proxy", "--upstream-ca /etc/ferry/ferry-a.crt")) {
            assertTrue(h.contains(o), o + " in: " + h);
        }
        Path notPem = Files.writeString(tmp.resolve("not.pem"), "hello");
        Map<String[], String> bad = new LinkedHashMap<>();
        bad.put(new String[]{"--proxy", "https://proxy.example.org:443"}, "--proxy: proxy must be an http:// proxy URL");
        bad.put(new String[]{"--proxy", "http://user:secret@proxy.example.org:3128"}, "--proxy: proxy carries credentials");
        bad.put(new String[]{"--upstream-ca", tmp.resolve("missing.pem").toString()}, "--upstream-ca: cannot read upstream CA file");
        bad.put(new String[]{"--upstream-ca", notPem.toString()}, "--upstream-ca: upstream CA file " + notPem);
        bad.put(new String[]{"--retries", "12"}, "--retries must be 0 to 9");
        bad.put(new String[]{"--read-timeout", "soon"}, "--read-timeout: not a duration");
        bad.put(new String[]{"--download-threads", "0"}, "--download-threads must be 1 to 64");
        bad.put(new String[]{"--volume-size", "big"}, "--volume-size: ");
        bad.put(new String[]{"--media-size", "12 floppies"}, "--media-size: ");
        bad.put(new String[]{"--recovery", "150%"}, "--recovery: expected a whole percentage from 1% to 100%");
        bad.put(new String[]{"--rebase-every", "0"}, "--rebase-every must be at least 1");
        bad.put(new String[]{"--channel-reset", "7"}, "--channel-reset: expected SEQUENCE:BUNDLE_ID");
        bad.put(new String[]{"--receipt", tmp.resolve("receipt.json").toString()}, "--receipt needs --receipt-trust");
        bad.put(new String[]{"--receipt", tmp.resolve("receipt.json").toString(), "--receipt-trust",
                tmp.resolve("trust").toString(), "--assume-delivered"}, "--receipt and --assume-delivered exclude each other");
        bad.put(new String[]{"--expires-in", "1d", "--no-expiry"}, "--expires-in and --no-expiry exclude each other");
        bad.put(new String[]{"--suite", "bookworm"}, "need --source apt");
        for (Map.Entry<String[], String> b : bad.entrySet()) {
            List<String> args = new ArrayList<>(List.of("export", "--product", "Contoso Widget", "--out",
                    tmp.resolve("out").toString(), "--key", tmp.resolve("k.asc").toString(), "--state",
                    tmp.resolve("state").toString(), "--upstream", "http://127.0.0.1:1/"));
            args.addAll(List.of(b.getKey()));
            StringWriter err = new StringWriter();
            CommandLine cl = Main.newCommandLine();
            cl.setErr(new PrintWriter(err, true));
            cl.setOut(new PrintWriter(new StringWriter(), true));
            assertEquals(ExitCodes.USAGE, cl.execute(args.toArray(String[]::new)), err.toString());
            assertTrue(err.toString().contains(b.getValue()), b.getValue() + " in: " + err);
            assertFalse(err.toString().contains("secret"), "credentials never echoed: " + err);
        }
    }

    @Test
    void validityPeriodsParse() {
        assertEquals(Duration.ofDays(30), Durations.parse("30d"));
        assertEquals(Duration.ofHours(12), Durations.parse("12h"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("90m"));
        assertEquals(Duration.ofSeconds(3600), Durations.parse("3600s"));
        assertEquals(Duration.ofDays(14), Durations.parse("2w"));
        assertEquals(Duration.ofDays(30), Durations.parse("P30D"));
        assertEquals(Duration.ofHours(12), Durations.parse("PT12H"));
        for (String bad : List.of("", "30", "d", "-1d", "0d", "1.5d", "PT0.5S", "P", "30 days", "P1Y")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Durations.parse(bad), bad);
            assertTrue(e.getMessage().contains("\"" + bad + "\""), e.getMessage());
        }
    }

    @Test
    void badOrConflictingExpiryOptionsAreUsageErrorsBeforeAnythingHappens() {
        Result both = export("--expires-in", "30d", "--no-expiry");
        assertEquals(ExitCodes.USAGE, both.code);
        assertTrue(both.err.contains("--expires-in and --no-expiry exclude each other"), both.err);
        Result bad = export("--expires-in", "soon");
        assertEquals(ExitCodes.USAGE, bad.code);
        assertTrue(bad.err.contains("--expires-in: not a duration: \"soon\""), bad.err);
    }

    @Test
    void exporterFailuresKeepTheirExitCodesAndBugsAreInternalErrors() {
        assertEquals(ExitCodes.USAGE, Errors.exitCode(new ExportConfigException("output directory x is not empty")));
        assertEquals(ExitCodes.USAGE, Errors.exitCode(new SelectionException("no product", "x", List.of())));
        assertEquals(ExitCodes.UPSTREAM, Errors.exitCode(new ExportUpstreamException("upstream down",
                URI.create("http://127.0.0.1:1/"), "GetAuthConfig", null, null)));
        assertEquals(ExitCodes.LOCKED, Errors.exitCode(new ExportLockedException(tmp.resolve("lock"))));

        for (RuntimeException bug : List.of(new IllegalStateException("x"), new NullPointerException("y"),
                new IllegalArgumentException("a bad value deep inside the exporter"))) {
            Errors.Bug wrapped = new Errors.Bug(bug);
            assertEquals(ExitCodes.INTERNAL, Errors.exitCode(wrapped), bug.toString());
            assertTrue(Errors.oneLine(wrapped).contains("this is a bug in ferry"), Errors.oneLine(wrapped));
            assertTrue(Errors.oneLine(wrapped).contains(bug.getClass().getName()), Errors.oneLine(wrapped));
        }
        assertEquals(ExitCodes.INTERNAL, Errors.exitCode(new IllegalStateException("x")));
        assertEquals(ExitCodes.INTERNAL, Errors.exitCode(new NullPointerException()));
    }

    @Test
    void aptOptionsNeedTheirSourceAndEachOther() throws Exception {
        String up = "http://127.0.0.1:1/debian/";
        Path keyring = Files.writeString(tmp.resolve("upstream.asc"), "not read before the options are complete");
        Path key = Files.writeString(tmp.resolve("k.asc"), ferry.format.pgp.KeyGenerator.generateEd25519(
                "t <t@example.invalid>", null).armoredSecretKey());
        Map<List<String>, String> bad = new LinkedHashMap<>();
        bad.put(List.of("--product", "Contoso Widget", "--suite", "stable"), "need --source apt");
        bad.put(List.of("--source", "apt", "--suite", "stable"), "--source apt needs --upstream");
        bad.put(List.of("--source", "apt", "--upstream", up, "--component", "main"), "--source apt needs --suite");
        bad.put(List.of("--source", "apt", "--upstream", up, "--suite", "stable", "--component", "main", "--arch",
                "amd64", "--package", "hello"), "--source apt needs --upstream-keyring");
        bad.put(List.of("--source", "apt", "--upstream", up, "--suite", "stable", "--component", "main", "--arch",
                "amd64", "--upstream-keyring", keyring.toString()), "select at least one --package, or --whole-component");
        bad.put(List.of("--source", "apt", "--upstream", up, "--suite", "stable", "--arch", "amd64", "--package",
                "hello", "--upstream-keyring", keyring.toString()), "select at least one --component");
        bad.put(List.of("--source", "apt", "--upstream", up, "--suite", "../x", "--component", "main", "--arch",
                "amd64", "--package", "hello", "--upstream-keyring", keyring.toString()), "--suite: not a suite name");
        bad.put(List.of("--source", "apt", "--upstream", up, "--suite", "stable", "--component", "main", "--arch",
                "amd64", "--package", "Hello World", "--upstream-keyring", keyring.toString()),
                "--package: not a package name or pattern");
        bad.put(List.of("--source", "apt", "--upstream", up, "--suite", "stable", "--component", "main", "--arch",
                "amd64", "--package", "hello", "--upstream-keyring", keyring.toString(), "--metadata-only"),
                "--metadata-only is for wsus");
        bad.put(List.of("--source", "rpm", "--product", "x"), "unknown source type \"rpm\" (known: wsus, apt)");
        bad.put(List.of("--source", "wsus"), "select at least one product");
        for (Map.Entry<List<String>, String> b : bad.entrySet()) {
            List<String> args = new ArrayList<>(List.of("export", "--out", tmp.resolve("out").toString(), "--key",
                    key.toString(), "--state", tmp.resolve("state").toString()));
            args.addAll(b.getKey());
            StringWriter err = new StringWriter();
            CommandLine cl = Main.newCommandLine();
            cl.setErr(new PrintWriter(err, true));
            cl.setOut(new PrintWriter(new StringWriter(), true));
            assertEquals(ExitCodes.USAGE, cl.execute(args.toArray(String[]::new)), b.getKey() + ": " + err);
            assertTrue(err.toString().contains(b.getValue()), b.getValue() + " in: " + err);
        }
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    private record Result(int code, String out, String err) {
    }

    private Result export(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("export", "--upstream", "http://127.0.0.1:1/",
                "--product", "Contoso Widget", "--out", tmp.resolve("b").toString(), "--state",
                tmp.resolve("state").toString(), "--key", tmp.resolve("no-such-key.asc").toString()));
        args.addAll(List.of(extra));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Result(cl.execute(args.toArray(String[]::new)), out.toString(), err.toString());
    }
}
