package ferry.exporter;

import ferry.format.BundleReader;
import ferry.format.Manifest;
import ferry.format.Progress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/** Finding 6 (freeze): a bundle expires 30 days after it was made unless the operator says otherwise. */
class ExpiryTest {

    @TempDir
    Path tmp;
    Fixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = Fixture.contoso(tmp);
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    @Test
    void aDefaultExportExpiresThirtyDaysAfterItWasMade() throws Exception {
        assertEquals(Duration.ofDays(30), ExportOptions.DEFAULT_VALIDITY);
        assertEquals(ExportOptions.DEFAULT_VALIDITY, fx.options("b1").build().expiresIn());
        ExportJob.run(fx.options("b1").build(), Progress.NONE);
        Manifest m = BundleReader.open(tmp.resolve("b1")).manifest();
        assertEquals(Fixture.NOW, m.createdAt());
        assertEquals(Fixture.NOW.plus(Duration.ofDays(30)), m.expiresAt());
    }

    @Test
    void theValidityCanBeChosenOrExpiryLeftOutExplicitly() throws Exception {
        ExportJob.run(fx.options("b1").expiresIn(Duration.ofHours(12)).build(), Progress.NONE);
        assertEquals(Fixture.NOW.plus(Duration.ofHours(12)), BundleReader.open(tmp.resolve("b1")).manifest().expiresAt());

        fx.addKb5000104();
        ExportJob.run(fx.options("b2").noExpiry().build(), Progress.NONE);
        assertNull(BundleReader.open(tmp.resolve("b2")).manifest().expiresAt());
    }

    @Test
    void aValidityBelowOneWholeSecondIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fx.options("b1").expiresIn(Duration.ofMillis(1500)).build());
        assertTrue(e.getMessage().contains("whole seconds"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> fx.options("b1").expiresIn(Duration.ZERO).build());
    }
}
