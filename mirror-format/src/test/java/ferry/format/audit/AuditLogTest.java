package ferry.format.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuditLogTest {
    @TempDir
    Path dir;

    private static AuditRecord sample(long sequence) {
        return new AuditRecord(Instant.parse("2026-11-29T08:55:12.345Z"), "ferry", "import",
                List.of("bundle-1", "--store", "/srv/store"), "0b87193f-efde-4ad1-a431-b2f9f14db672", "windows",
                sequence, List.of("0123456789ABCDEF0123456789ABCDEF01234567"), AuditRecord.REFUSED, 4,
                "missing base: sequence 2 was never imported", List.of("--allow-expired"));
    }

    @Test
    void appendedRecordsReadBackInOrderAndEarlierBytesNeverChange() throws Exception {
        Path log = dir.resolve("sub/audit.jsonl");
        AuditLog.append(log, sample(1));
        byte[] first = Files.readAllBytes(log);
        AuditLog.append(log, sample(2).withResult(AuditRecord.OK, 0, null));
        byte[] both = Files.readAllBytes(log);
        assertArrayEquals(first, Arrays.copyOf(both, first.length));
        AuditLog.Contents c = AuditLog.read(log);
        assertEquals(List.of(sample(1), sample(2).withResult(AuditRecord.OK, 0, null)), c.records());
        assertEquals(List.of(), c.damaged());
        assertEquals(2, Files.readAllLines(log).size());
    }

    @Test
    void aLineTornByACrashIsReportedAndTheNextRecordStartsOnItsOwnLine() throws Exception {
        Path log = dir.resolve(AuditLog.FILE_NAME);
        AuditLog.append(log, sample(1));
        String torn = AuditLog.toJson(sample(2));
        Files.writeString(log, torn.substring(0, torn.length() / 2), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        AuditLog.append(log, sample(3));
        AuditLog.Contents c = AuditLog.read(log);
        assertEquals(List.of(sample(1), sample(3)), c.records());
        assertEquals(1, c.damaged().size());
        assertTrue(c.damaged().get(0).startsWith(log + ":2: not a JSON record"), c.damaged().get(0));
    }

    @Test
    void concurrentAppendsNeverInterleave() throws Exception {
        Path log = dir.resolve(AuditLog.FILE_NAME);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int base = t * 100;
            Thread th = new Thread(() -> {
                for (int i = 0; i < 25; i++) {
                    try {
                        AuditLog.append(log, sample(base + i));
                    } catch (AuditLogException e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            th.start();
            threads.add(th);
        }
        for (Thread t : threads) {
            t.join();
        }
        AuditLog.Contents c = AuditLog.read(log);
        assertEquals(100, c.records().size());
        assertEquals(List.of(), c.damaged());
    }

    @Test
    void missingFileIsAnEmptyLogAndAMistypedFieldIsNamed() throws Exception {
        assertEquals(List.of(), AuditLog.read(dir.resolve("none.jsonl")).records());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AuditLog.fromJson(AuditLog.toJson(sample(1)).replace("\"exitCode\":4", "\"exitCode\":\"4\"")));
        assertEquals("field exitCode: missing or not a whole number", e.getMessage());
    }

    @Test
    void appendingWhereNoFileCanBeCreatedNamesTheFile() throws Exception {
        Path blocker = Files.writeString(dir.resolve("file"), "x");
        AuditLogException e = assertThrows(AuditLogException.class,
                () -> AuditLog.append(blocker.resolve("audit.jsonl"), sample(1)));
        assertTrue(e.getMessage().startsWith("cannot append to audit log " + blocker.resolve("audit.jsonl")), e.getMessage());
    }

    @Test
    void secretsAreRedacted() {
        assertEquals(List.of("--proxy", "http://***@proxy:3128", "--api-token", "***", "--password=***",
                        "--passphrase-env", "FERRY_PASS", "https://sws.update.microsoft.com/"),
                AuditRecord.redact(List.of("--proxy", "http://bob:hunter2@proxy:3128", "--api-token", "abc",
                        "--password=hunter2", "--passphrase-env", "FERRY_PASS", "https://sws.update.microsoft.com/")));
        assertEquals(List.of("--upstream", "http://***@wsus/"),
                AuditRecord.start("export", List.of("--upstream", "http://u:p@wsus/")).commandLine());
    }
}
