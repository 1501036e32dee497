package ferry.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The default line: UTC time with milliseconds, padded level, abbreviated logger, message, then a short exception. */
class DefaultLoggingTest {

    @Test
    void oneLinePerEventAndTheExceptionInTwoLines() {
        LoggerContext context = new LoggerContext();
        DefaultLogging.OneLine layout = new DefaultLogging.OneLine();
        layout.setContext(context);
        layout.start();
        ch.qos.logback.classic.Logger logger = context.getLogger("ferry.importer.somewhere.deep.ImportRunnerOfTheStore");
        LoggingEvent plain = new LoggingEvent("x", logger, Level.WARN, "disk {} is slow", null, new Object[]{"sda"});
        plain.setTimeStamp(1_795_953_600_123L); // 2026-11-29T12:00:00.123Z
        assertEquals("2026-11-29T12:00:00.123Z WARN  f.i.s.deep.ImportRunnerOfTheStore - disk sda is slow\n",
                layout.doLayout(plain));

        LoggingEvent failed = new LoggingEvent("x", logger, Level.ERROR, "import failed", new IOException("no space"), null);
        failed.setTimeStamp(0);
        String[] lines = layout.doLayout(failed).split("\n");
        assertEquals(3, lines.length, String.join("|", lines));
        assertEquals("1970-01-01T00:00:00.000Z ERROR f.i.s.deep.ImportRunnerOfTheStore - import failed", lines[0]);
        assertEquals("java.io.IOException: no space", lines[1]);
        assertTrue(lines[2].startsWith("\tat ferry.cli.DefaultLoggingTest."), lines[2]);
    }
}
