package ferry.cli;

import ferry.format.audit.AuditLog;
import ferry.format.audit.AuditRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** ferry audit: filters by time, command and result; prints stored lines with --json; reports damaged lines. */
class AuditCommandTest {
    @TempDir
    Path dir;

    private static AuditRecord rec(String time, String command, String result, int code) {
        return new AuditRecord(Instant.parse(time), "ops", command, List.of(command), null, "c", 1L, List.of(),
                result, code, null, List.of());
    }

    @Test
    void filtersAndReportsDamagedLines() throws Exception {
        Path log = dir.resolve(AuditLog.FILE_NAME);
        AuditRecord oldImport = rec("2026-11-01T10:00:00Z", "import", AuditRecord.OK, 0);
        AuditRecord refused = rec("2026-11-03T10:00:00Z", "import", AuditRecord.REFUSED, 4);
        AuditRecord export = rec("2026-11-04T10:00:00Z", "export", AuditRecord.NOTHING_NEW, 7);
        AuditLog.append(log, oldImport);
        AuditLog.append(log, refused);
        Files.writeString(log, "{\"time\":\"2026-11-0", StandardOpenOption.APPEND); // torn by a crash
        AuditLog.append(log, export);

        Run all = ferry("audit", "--store", dir.toString());
        assertEquals(0, all.code);
        assertEquals(3, all.out.lines().count(), all.out);
        assertEquals("ferry audit: damaged line " + log + ":3: not a JSON record", all.err.lines().findFirst().orElseThrow()
                .replaceAll(" \\(.*", ""));

        Run imports = ferry("audit", "--file", log.toString(), "--since", "2026-11-02", "--command", "import", "--json");
        assertEquals(List.of(AuditLog.toJson(refused)), imports.out.lines().toList());
        Run refusals = ferry("audit", "--file", log.toString(), "--result", "refused");
        assertEquals(List.of(AuditCommand.text(refused)), refusals.out.lines().toList());
        assertEquals(ExitCodes.USAGE, ferry("audit", "--file", log.toString(), "--since", "last tuesday").code);
        assertEquals(ExitCodes.USAGE, ferry("audit", "--file", log.toString(), "--store", dir.toString()).code);
        assertEquals(Instant.parse("2026-11-22T00:00:00Z"),
                AuditCommand.since("7d", Instant.parse("2026-11-29T00:00:00Z")));
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
