package ferry.importer;

import ferry.format.CrashPoints;
import ferry.format.Progress;
import ferry.format.trust.TrustStore;
import ferry.store.Store;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static ferry.importer.TestBundles.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * "An import that reported success survives a power cut", which a kill cannot show: after a SIGKILL the kernel still
 * holds and writes back every byte the process wrote, synced or not. So the import runs in a child JVM under
 * {@code strace}, is stopped dead the moment its commit returns ({@code store.committed}), and the test reads the
 * child's system calls: every write to {@code catalog.mv.db} must be followed by an {@code fsync}/{@code fdatasync}
 * of that file before the child died. H2 itself only hands a commit to the operating system (its WRITE_DELAY=0 makes
 * the write immediate, not durable); without ferry's sync after the commit this test fails. The same child, killed,
 * must leave a store that shows the import (the SIGKILL half of the promise).
 *
 * <p>Needs {@code strace} and permission to trace a child (skipped otherwise).
 */
class CommitDurabilityTest {
    @TempDir
    static Path root;
    static Path trustDir;
    static Path base;
    static Path b2;

    // pid syscall(fd</path>, ...  [= result | <unfinished ...>]   and   pid <... syscall resumed> ...) = result
    private static final Pattern CALL = Pattern.compile(
            "^(\\d+)\\s+(pwrite64|pwritev2?|write|writev|fsync|fdatasync)\\((\\d+)<([^>]*)>.*?(?:=\\s*(-?\\d+).*|<unfinished \\.\\.\\.>)$");
    private static final Pattern RESUMED = Pattern.compile(
            "^(\\d+)\\s+<\\.\\.\\. (\\w+) resumed>.*=\\s*(-?\\d+).*$");

    @BeforeAll
    static void prepare() throws Exception {
        assumeTrue(straceWorks(), "strace is not installed or may not trace a child here");
        trustDir = root.resolve("trust");
        TrustStore trust = TestBundles.trust(trustDir, 1, ALICE);
        base = root.resolve("store");
        Importer.importBundle(bundle().real(CATEGORIES.toArray(String[]::new)).write(root.resolve("b1")), base, trust,
                NOW, Progress.NONE);
        b2 = bundle().sequence(2).real(KB2267602, STUB).update(securityUpdate()).write(root.resolve("b2"));
    }

    @Test
    void everyCatalogWriteOfACommittedImportIsSyncedBeforeTheCommitReturns() throws Exception {
        Path log = root.resolve("strace.log");
        List<String> cmd = new ArrayList<>(List.of("strace", "-f", "--seccomp-bpf", "-qq", "-y", "-o", log.toString(),
                "-e", "trace=pwrite64,pwritev,pwritev2,write,writev,fsync,fdatasync"));
        cmd.addAll(ImportCrashTest.childCommand(base, trustDir, b2,
                "-D" + CrashPoints.HALT_PROPERTY + "=store.committed#1"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "child import hung: " + out);
        assertEquals(CrashPoints.HALT_STATUS, p.exitValue(), "the child must die right after the commit: " + out);

        CatalogCalls calls = catalogCalls(Files.readAllLines(log, StandardCharsets.UTF_8));
        System.out.println("catalog.mv.db in the trace: " + calls);
        assertTrue(calls.writes > 0, "the import wrote nothing to catalog.mv.db? trace " + log);
        assertTrue(calls.lastSync > calls.lastWrite, "catalog.mv.db was written (call " + calls.lastWrite
                + ") and not synced after that (last sync: call " + calls.lastSync + ") before the import's commit"
                + " returned: a power cut now would lose the import ferry reported");

        try (Store s = StoreSnapshot.open(base)) {
            assertTrue(s.bundles().stream().anyMatch(b -> b.sequenceNumber() == 2),
                    "the killed child's commit is not in the store: " + s.bundles());
        }
    }

    /** Positions (in completion order) of the last successful write to and sync of catalog.mv.db. */
    record CatalogCalls(int writes, int lastWrite, int lastSync) {
    }

    static CatalogCalls catalogCalls(List<String> lines) {
        Map<String, String[]> pending = new HashMap<>(); // pid -> {syscall, path} of an unfinished call
        int n = 0;
        int writes = 0;
        int lastWrite = -1;
        int lastSync = -1;
        for (String line : lines) {
            String call;
            String path;
            long result;
            Matcher m = CALL.matcher(line);
            Matcher r = RESUMED.matcher(line);
            if (m.matches()) {
                if (m.group(5) == null) {
                    pending.put(m.group(1), new String[] {m.group(2), m.group(4)});
                    continue;
                }
                call = m.group(2);
                path = m.group(4);
                result = Long.parseLong(m.group(5));
            } else if (r.matches() && pending.containsKey(r.group(1))) {
                String[] started = pending.remove(r.group(1));
                call = started[0];
                path = started[1];
                result = Long.parseLong(r.group(3));
            } else {
                continue;
            }
            n++;
            if (!path.endsWith("/catalog.mv.db") || result < 0) {
                continue;
            }
            if (call.equals("fsync") || call.equals("fdatasync")) {
                lastSync = n;
            } else {
                writes++;
                lastWrite = n;
            }
        }
        return new CatalogCalls(writes, lastWrite, lastSync);
    }

    private static boolean straceWorks() {
        try {
            Process p = new ProcessBuilder("strace", "-f", "--seccomp-bpf", "-qq", "-o", "/dev/null", "-e",
                    "trace=fsync", "true").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
