package ferry.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ferry.wsus.UpdateIdentity;
import ferry.wsus.metadata.CategoryType;
import ferry.wsus.metadata.UpdateDocument;
import ferry.wsus.metadata.UpdateType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The synthetic catalog: exact size, real shape (ferry's own parser reads every document), closed, deterministic. */
class SyntheticCatalogTest {

    @Test
    void everyDocumentParsesAndEveryReferenceResolves() throws Exception {
        Map<UpdateIdentity, UpdateDocument> docs = new HashMap<>();
        Set<String> categories = new HashSet<>();
        Map<String, Integer> latest = new HashMap<>();
        int[] selection = new int[1];
        SyntheticCatalog.Summary summary = new SyntheticCatalog(7, 12_000).generate(d -> {
            UpdateDocument doc;
            try {
                doc = UpdateDocument.parse(d.xml());
            } catch (Exception e) {
                throw new AssertionError(d.updateId() + ": " + e.getMessage(), e);
            }
            assertEquals(new UpdateIdentity(d.updateId(), d.revisionNumber()), doc.identity());
            assertTrue(docs.put(doc.identity(), doc) == null, "each revision once: " + doc.identity());
            Integer before = latest.put(d.updateId(), d.revisionNumber());
            assertTrue(before == null || before < d.revisionNumber(), "revisions of an update come in order");
            if (doc.updateType() == UpdateType.CATEGORY) {
                categories.add(d.updateId());
            }
            // a bundle's leaves come before it, and every category before the first update in it
            for (UpdateIdentity b : doc.bundledUpdates()) {
                assertTrue(docs.containsKey(b), d.updateId() + " bundles " + b + " before it was generated");
            }
            for (String c : doc.categoryIds()) {
                assertTrue(categories.contains(c), d.updateId() + " names category " + c + " before it was generated");
            }
        });
        assertEquals(12_000, docs.size());
        assertEquals(12_000, summary.revisions());
        assertEquals(summary.categories(), categories.size());
        assertEquals(SyntheticCatalog.PRODUCTS, docs.values().stream()
                .filter(d -> d.categoryType().orElse(null) == CategoryType.PRODUCT).count());
        assertEquals(12, docs.values().stream()
                .filter(d -> d.categoryType().orElse(null) == CategoryType.UPDATE_CLASSIFICATION).count());
        assertTrue(summary.bundles() > 0 && summary.leaves() >= summary.bundles() && summary.laterRevisions() > 0);
        assertTrue(docs.values().stream().anyMatch(d -> !d.files().isEmpty()));
        assertTrue(docs.values().stream().anyMatch(d -> !d.supersededUpdates().isEmpty()));

        // the largest selection is what the summary says: updates (latest revisions) in that product and classification
        for (Map.Entry<String, Integer> e : latest.entrySet()) {
            UpdateDocument d = docs.get(new UpdateIdentity(e.getKey(), e.getValue()));
            if (d.categoryIds().contains(summary.largestProduct())
                    && d.categoryIds().contains(summary.largestClassification())) {
                selection[0]++;
            }
        }
        assertEquals(summary.largestSelectionUpdates(), selection[0]);
    }

    @Test
    void theSameSeedAndSizeGiveTheSameBytes() throws Exception {
        assertEquals(digest(3, 5_000), digest(3, 5_000));
        assertNotEquals(digest(3, 5_000), digest(4, 5_000));
        assertThrows(IllegalArgumentException.class, () -> new SyntheticCatalog(1, 3_999));
    }

    private static String digest(long seed, int size) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        new SyntheticCatalog(seed, size).generate(d -> md.update(d.xml().getBytes(StandardCharsets.UTF_8)));
        return HexFormat.of().formatHex(md.digest());
    }
}
