package ferry.server;

import ferry.store.BundleInfo;
import ferry.store.ChannelState;
import ferry.store.RevisionRecord;
import ferry.store.RevisionRef;
import ferry.store.Store;
import ferry.store.StoreCounts;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the store holds and where it came from, at one moment.
 *
 * @param generatedAt        when this snapshot was taken (UTC)
 * @param changeNumber       the store's change number
 * @param counts             catalog sizes (bundles, channels, updates, revisions, files, file bytes)
 * @param updatesByType      served updates (latest revisions) by update type (Software, Driver, Category, Detectoid),
 *                           kept sorted by type name
 * @param categoriesByType   of the categories, how many of each category type (Company, ProductFamily, Product,
 *                           UpdateClassification), kept sorted by type name
 * @param channels           channels and their last sequence number, by name
 * @param bundles            imported bundles, oldest import first
 */
record StoreStatus(Instant generatedAt, long changeNumber, StoreCounts counts, Map<String, Long> updatesByType,
                   Map<String, Long> categoriesByType, List<ChannelState> channels, List<BundleInfo> bundles) {

    StoreStatus {
        // sorted by type name so the page and the JSON list the rows in the same order every time
        updatesByType = Collections.unmodifiableSortedMap(new TreeMap<>(updatesByType));
        categoriesByType = Collections.unmodifiableSortedMap(new TreeMap<>(categoriesByType));
        channels = List.copyOf(channels);
        bundles = List.copyOf(bundles);
    }

    /**
     * Reads the store. Counting by type looks at every served update, so the counts are kept for as long as the
     * store's change number and bundle count stay the same (they only change with an import).
     */
    static final class Source {
        private final Store store;
        private record Typed(long changeNumber, long bundles, Map<String, Long> updates, Map<String, Long> categories) {
        }
        private volatile Typed typed;

        Source(Store store) {
            this.store = store;
        }

        StoreStatus snapshot() {
            // Change number first: an import committing meanwhile shows up in the lists, and the counts are
            // recomputed on the next request because the number will have moved.
            long change = store.currentChangeNumber();
            StoreCounts counts = store.counts();
            Typed t = typed;
            if (t == null || t.changeNumber() != change || t.bundles() != counts.bundles()) {
                t = countByType(change, counts.bundles());
                typed = t;
            }
            return new StoreStatus(Instant.now(), change, counts, t.updates(), t.categories(), store.channels(),
                    store.bundles());
        }

        private Typed countByType(long change, long bundles) {
            Map<String, Long> updates = new TreeMap<>();
            Map<String, Long> categories = new TreeMap<>();
            for (boolean config : new boolean[] {true, false}) {
                for (RevisionRef ref : store.latestRevisions(config, Set.of(), Set.of(), 0)) {
                    RevisionRecord r = store.revision(ref.updateId(), ref.revisionNumber()).orElse(null);
                    if (r == null) {
                        continue;
                    }
                    updates.merge(r.updateType(), 1L, Long::sum);
                    if (r.categoryType() != null) {
                        categories.merge(r.categoryType(), 1L, Long::sum);
                    }
                }
            }
            return new Typed(change, bundles, updates, categories);
        }
    }
}
