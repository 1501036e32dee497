package ferry.cli;

import ferry.importer.BundleRefusedException;
import ferry.importer.ImportFailedException;
import ferry.importer.StoreBusyException;
import ferry.verifier.ChannelPolicy;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one place that turns what went wrong into an exit code and a line for the operator. */
class ErrorsTest {

    @Test
    void importerFailuresMapByType() {
        assertEquals(ExitCodes.REFUSED, Errors.exitCode(new BundleRefusedException(ChannelPolicy.Verdict.SEQUENCE_JUMP, "x")));
        assertEquals(ExitCodes.LOCKED, Errors.exitCode(new StoreBusyException("x", null)));
        assertEquals(ExitCodes.INTERNAL, Errors.exitCode(new ImportFailedException("x", null)));
    }

    @Test
    void aLibrarysIllegalArgumentIsABugNotAUsageError() {
        IllegalArgumentException bug = new IllegalArgumentException("index out of range in some parser");
        assertEquals(ExitCodes.INTERNAL, Errors.exitCode(bug));
        assertTrue(Errors.oneLine(bug).contains("this is a bug in ferry"), Errors.oneLine(bug));
    }

    @Test
    void runningOutOfMemoryIsOneLineThatSaysWhatToDo() {
        OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
        String line = Errors.oneLine(new RuntimeException("wrapped", oom));
        assertTrue(line.startsWith("out of memory (Java heap limit "), line);
        assertTrue(line.contains("FERRY_JAVA_OPTS=-Xmx"), line);
        assertFalse(line.contains("bug"), line);
        assertFalse(line.contains("\n"), line);
        assertTrue(Errors.isResourceExhaustion(oom));
    }
}
