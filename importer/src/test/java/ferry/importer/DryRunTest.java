package ferry.importer;

import ferry.format.BundleSource;
import ferry.format.Progress;
import ferry.format.trust.TrustStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static ferry.importer.TestBundles.*;
import static org.junit.jupiter.api.Assertions.*;

/** A dry run says what an import would add and replace, and leaves every file of the store byte-identical. */
class DryRunTest {
    @TempDir
    Path tmp;

    @Test
    void aDryRunNamesWhatWouldChangeAndChangesNothing() throws Exception {
        TrustStore trust = TestBundles.trust(tmp.resolve("trust"), 1, ALICE);
        Path store = tmp.resolve("store");
        Path b1 = bundle().real(CATEGORIES.toArray(String[]::new)).update(defenderUpdate(200)).write(tmp.resolve("b1"));

        // no store yet: everything is new, and no store is created
        DryRun first = Importer.dryRun(new ImportRequest(BundleSource.of(b1), store, trust, null, false, NOW));
        assertEquals("ACCEPT", first.verdict());
        assertEquals(CATEGORIES.size() + 1, first.updatesAdded());
        assertEquals(1, first.filesAdded());
        assertFalse(Files.exists(store));

        Importer.importBundle(b1, store, trust, NOW, Progress.NONE);
        Path b2 = bundle().sequence(2).base(1L).update(defenderUpdate(201)).update(securityUpdate()).write(tmp.resolve("b2"));
        Map<String, String> before = MediaImportTest.tree(store);

        DryRun d = Importer.dryRun(new ImportRequest(BundleSource.of(b2), store, trust, null, false, NOW));

        assertEquals(before, MediaImportTest.tree(store), "the dry run changed the store");
        assertEquals("ACCEPT", d.verdict());
        assertEquals(1, d.updatesReplaced(), d.changes().toString());
        assertEquals(1, d.updatesAdded(), d.changes().toString());
        assertEquals(2, d.filesAdded());
        assertEquals(defenderUpdate(201).content().length + securityUpdate().content().length
                + defenderUpdate(201).xml().length() + securityUpdate().xml().length(), d.bytesAdded());
        assertTrue(d.changes().contains("replace update " + defenderUpdate(201).updateId() + "/201 (stored 200)"),
                d.changes().toString());
        // and the import does what the dry run said
        ImportResult r = Importer.importBundle(b2, store, trust, NOW, Progress.NONE);
        assertEquals(d.bytesAdded(), r.outcome().bytesCopied());

        // a replay: the dry run gives the channel rule's verdict
        assertEquals("REPLAY", Importer.dryRun(new ImportRequest(BundleSource.of(
                bundle().sequence(2).update(defenderUpdate(202)).write(tmp.resolve("b3"))), store, trust, null, false, NOW))
                .verdict());
    }
}
