package ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ferry.format.audit.AuditLog;
import ferry.format.audit.AuditRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a failed run leaves for a scheduler and an auditor: the failure summary and the audit record. */
class RunRecordTest {
    @TempDir
    Path dir;

    @Test
    void aFailedImportWritesAFailureSummaryAndAnAuditRecord() throws Exception {
        Path notABundle = Files.createDirectories(dir.resolve("not-a-bundle"));
        Path trust = dir.resolve("trust");
        Path keys = dir.resolve("keys");
        InProcess.signerTrustedIn(keys, trust, "r <r@ferry.invalid>");
        Path store = Files.createDirectories(dir.resolve("store"));
        Path summary = dir.resolve("out/summary.json");
        Run r = ferry("import", notABundle.toString(), "--store", store.toString(), "--trust-store", trust.toString(),
                "--quiet", "--summary-json", summary.toString());
        assertEquals(ExitCodes.INVALID_BUNDLE, r.code, r.err);
        JsonNode s = new ObjectMapper().readTree(summary.toFile());
        assertEquals("import", s.at("/command").asText());
        assertEquals(1, s.at("/exitCode").asInt());
        assertEquals("invalid", s.at("/result").asText());
        assertTrue(s.at("/error").asText().contains("the store is unchanged"), s.toString());
        try (var files = Files.list(summary.getParent())) {
            assertEquals(List.of(summary), files.toList(), "no temporary file left beside the summary");
        }
        List<AuditRecord> log = AuditLog.read(store.resolve(AuditLog.FILE_NAME)).records();
        assertEquals(1, log.size());
        assertEquals(AuditRecord.INVALID, log.get(0).result());
        assertEquals(s.at("/error").asText(), log.get(0).reason());
    }

    @Test
    void aProtectedKeyWithoutPassphraseFailsAtOnceNeverPromptsAndOverridesAreRecorded() throws Exception {
        Path keys = dir.resolve("keys");
        Path pass = Files.writeString(dir.resolve("pass"), "correct horse\n");
        assertEquals(0, ferry("keys", "generate", "--out", keys.toString(), "--user-id", "p <p@ferry.invalid>",
                "--passphrase-file", pass.toString()).code);
        Path state = Files.createDirectories(dir.resolve("state"));
        Run r = ferry("export", "--upstream", "http://bob:hunter2@127.0.0.1:9/", "--product", "Contoso Widget", "--key",
                keys.resolve("signer.sec.asc").toString(), "--out", dir.resolve("out").toString(), "--state",
                state.toString(), "--no-expiry", "--quiet");
        assertEquals(ExitCodes.USAGE, r.code, r.err);
        assertTrue(r.err.contains("is protected by a passphrase, and none was given; give --passphrase-file FILE or"
                + " --passphrase-env VAR"), r.err);
        assertTrue(r.err.contains("ferry never prompts"), r.err);
        AuditRecord rec = AuditLog.read(state.resolve(AuditLog.FILE_NAME)).records().get(0);
        assertEquals(AuditRecord.FAILED, rec.result());
        assertEquals(List.of("--no-expiry"), rec.overrides());
        assertTrue(rec.commandLine().contains("http://***@127.0.0.1:9/"), rec.commandLine().toString());
        assertFalse(rec.commandLine().toString().contains("hunter2"));
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void aFailedRunCreatesNoStateDirectoryOrStoreJustToLog() {
        Path state = dir.resolve("new-state");
        Run r = ferry("export", "--upstream", "http://127.0.0.1:9/", "--product", "p", "--key", "k.asc", "--out",
                dir.resolve("o").toString(), "--state", state.toString(), "--volume-size", "huge");
        assertEquals(ExitCodes.USAGE, r.code, r.err);
        assertFalse(Files.exists(state));
        Path log = dir.resolve("elsewhere/audit.jsonl");
        assertEquals(ExitCodes.USAGE, ferry("export", "--upstream", "http://127.0.0.1:9/", "--product", "p", "--key",
                "k.asc", "--out", dir.resolve("o").toString(), "--state", state.toString(), "--volume-size", "huge",
                "--audit-log", log.toString()).code);
        assertTrue(Files.exists(log), "--audit-log names a file: recorded there");
    }

    @Test
    void helpRecordsNothing() {
        Path state = dir.resolve("state");
        assertEquals(0, ferry("export", "--help", "--state", state.toString()).code);
        assertFalse(Files.exists(state), "--help ran nothing, so nothing is recorded");
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
}
