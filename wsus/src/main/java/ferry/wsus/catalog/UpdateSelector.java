package ferry.wsus.catalog;

import java.util.List;

/**
 * Which updates an approval command means, as an operator names them. Each list that is not empty restricts the
 * selection to updates matching one of its values; the lists combine (an update must match every list that is not
 * empty). At least one list is not empty. Only the latest revision of software and driver updates is selected, and
 * never an update that a stored bundle contains (approve the bundle: its members follow it).
 *
 * @param updateIds       update ids (GUIDs, either case)
 * @param kbArticles      KB article numbers, with or without the {@code KB} prefix
 * @param products        product titles (case ignored) or ids
 * @param classifications classification titles (case ignored, e.g. {@code Definition Updates}) or ids
 */
public record UpdateSelector(List<String> updateIds, List<String> kbArticles, List<String> products,
                             List<String> classifications) {
    public UpdateSelector {
        updateIds = updateIds == null ? List.of() : List.copyOf(updateIds);
        kbArticles = kbArticles == null ? List.of() : List.copyOf(kbArticles);
        products = products == null ? List.of() : List.copyOf(products);
        classifications = classifications == null ? List.of() : List.copyOf(classifications);
    }

    /** Whether nothing is named. */
    public boolean isEmpty() {
        return updateIds.isEmpty() && kbArticles.isEmpty() && products.isEmpty() && classifications.isEmpty();
    }
}
