package ferry.importer;

import ferry.format.Progress;
import ferry.format.trust.TrustStore;
import ferry.store.Store;
import ferry.wsus.UpdateIdentity;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static ferry.importer.TestBundles.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An import that dies after some objects were copied leaves the catalog as it was; importing again completes it,
 * and the objects a failed import left behind are removed by the next successful one.
 */
class CrashTest {
    @TempDir
    Path tmp;
    Path storeDir;
    TrustStore trust;

    @BeforeEach
    void setUp() throws Exception {
        storeDir = tmp.resolve("store");
        trust = TestBundles.trust(tmp.resolve("trust"), 1, ALICE);
        Importer.importBundle(bundle().real(CATEGORIES.toArray(String[]::new)).write(tmp.resolve("b0")), storeDir,
                trust, NOW, Progress.NONE);
    }

    @Test
    void dyingMidwayThroughCopyingLeavesTheCatalogAsItWas() throws Exception {
        Spec spec = bundle().sequence(2).real(KB2267602).update(defenderUpdate(200)).update(securityUpdate());
        Path bundle = spec.write(tmp.resolve("b1"));
        StoreSnapshot before = StoreSnapshot.of(storeDir);

        RuntimeException crash = assertThrows(RuntimeException.class,
                () -> Importer.importBundle(bundle, storeDir, trust, NOW, new DiesAfter(100_000)));

        assertEquals("simulated crash", crash.getMessage());
        StoreSnapshot after = StoreSnapshot.of(storeDir);
        assertEquals(before.catalog(), after.catalog(), "catalog unchanged");
        assertEquals(before.objects(), after.objects(), "the objects copied before the failure were given back");

        ImportResult again = Importer.importBundle(bundle, storeDir, trust, NOW, Progress.NONE);
        assertEquals(3, again.outcome().newRevisions());
        assertEquals(2, again.outcome().newFiles());
        try (Store store = StoreSnapshot.open(storeDir)) {
            assertEquals(2, store.channel("wsus-main").orElseThrow().lastSequence());
        }
    }

    @Test
    void unusableMetadataAfterCopiedObjectsLeavesTheStoreAsItWas() throws Exception {
        UpdateIdentity broken = new UpdateIdentity("0b0b0b0b-1111-4222-8333-444444444444", 1);
        Path bundle = bundle().sequence(2).real(KB2267602, STUB)
                .metadataAt(broken, "<upd:Update xmlns:upd=\"http://schemas.microsoft.com/msus/2002/12/Update\"><oops")
                .update(defenderUpdate(200))
                .write(tmp.resolve("b1"));
        StoreSnapshot before = StoreSnapshot.of(storeDir);

        BundleInvalidException e = assertThrows(BundleInvalidException.class,
                () -> Importer.importBundle(bundle, storeDir, trust, NOW, Progress.NONE));

        assertTrue(e.getMessage().contains("entry wsus/metadata/" + broken.updateId() + "/1.xml"), e.getMessage());
        assertTrue(e.getMessage().contains("update metadata unusable"), e.getMessage());
        StoreSnapshot after = StoreSnapshot.of(storeDir);
        assertEquals(before.catalog(), after.catalog(), "catalog unchanged");
        assertEquals(before.objects(), after.objects(), "the objects this import wrote were given back");

        ImportResult next = Importer.importBundle(bundle().sequence(3).update(securityUpdate()).write(tmp.resolve("b2")),
                storeDir, trust, NOW, Progress.NONE);
        assertEquals(0, next.outcome().objectsCollected(), "nothing was left to collect");
        Set<String> expected = new HashSet<>(before.objects());
        expected.add(objectName(securityUpdate().xml().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        expected.add(objectName(securityUpdate().content()));
        assertEquals(expected, Set.copyOf(StoreSnapshot.objects(storeDir)));
    }

    @Test
    void metadataThatNamesAnotherRevisionThanItsPathIsRefused() {
        UpdateIdentity claimed = new UpdateIdentity(defenderUpdate(200).updateId(), 999);
        Path bundle = bundle().sequence(2).metadataAt(claimed, real(STUB)).write(tmp.resolve("b1"));
        StoreSnapshot before = StoreSnapshot.of(storeDir);

        BundleInvalidException e = assertThrows(BundleInvalidException.class,
                () -> Importer.importBundle(bundle, storeDir, trust, NOW, Progress.NONE));

        assertTrue(e.getMessage().contains("holds update " + identity(real(STUB))), e.getMessage());
        assertEquals(before.catalog(), StoreSnapshot.of(storeDir).catalog());
    }

    private static String objectName(byte[] data) {
        String hex = sha256Hex(data);
        return "sha256/" + hex.substring(0, 2) + "/" + hex;
    }

    /** Throws once more than {@code limit} bytes of the import task were reported. */
    static final class DiesAfter implements Progress {
        private final long limit;
        private boolean importing;
        private long seen;

        DiesAfter(long limit) {
            this.limit = limit;
        }

        @Override
        public void begin(String task, long totalBytes) {
            importing = task.startsWith("verify and copy");
        }

        @Override
        public void advance(long bytes) {
            if (importing && (seen += bytes) > limit) {
                throw new RuntimeException("simulated crash");
            }
        }

        @Override
        public void end() {
        }

        @Override
        public void info(String line) {
        }
    }

}
