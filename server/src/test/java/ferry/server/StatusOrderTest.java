package ferry.server;

import ferry.store.StoreCounts;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The status page and status.json list the by-type rows sorted by type name, whatever order they were counted in. */
class StatusOrderTest {

    static final List<String> TYPES = List.of("Category", "Detectoid", "Driver", "Software");
    static final List<String> CATEGORY_TYPES = List.of("Company", "Product", "ProductFamily", "UpdateClassification");

    @Test
    void byTypeRowsAreSortedInHtmlAndJson() {
        for (int seed = 0; seed < 20; seed++) {
            // HashMaps of different capacities iterate the same keys in different orders
            Map<String, Long> updates = new HashMap<>(2 + seed * 7);
            Map<String, Long> categories = new HashMap<>(2 + seed * 5);
            for (int i = 0; i < 4; i++) {
                updates.put(TYPES.get((i + seed) % 4), (long) i + 1);
                categories.put(CATEGORY_TYPES.get((i + seed) % 4), (long) i + 10);
            }
            StoreStatus s = new StoreStatus(Instant.EPOCH, 7, new StoreCounts(1, 1, 4, 4, 0, 0), updates, categories,
                    List.of(), List.of());
            String html = new String(StatusHtml.render(s), StandardCharsets.UTF_8);
            String json = new String(StatusJson.render(s), StandardCharsets.UTF_8);
            assertEquals(TYPES, order(html, "updates of type ", TYPES), html);
            assertEquals(CATEGORY_TYPES, order(html, "categories of type ", CATEGORY_TYPES), html);
            assertEquals(TYPES, order(json, "\"", TYPES), json);
            assertEquals(CATEGORY_TYPES, order(json, "\"", CATEGORY_TYPES), json);
        }
    }

    /** {@code names} in the order {@code prefix + name + (quote or tag)} occurs in {@code text}. */
    private static List<String> order(String text, String prefix, List<String> names) {
        List<String> found = new ArrayList<>(names);
        found.sort((a, b) -> Integer.compare(position(text, prefix + a), position(text, prefix + b)));
        return found;
    }

    private static int position(String text, String needle) {
        for (String end : List.of("\"", "<")) {
            int i = text.indexOf(needle + end);
            if (i >= 0) {
                return i;
            }
        }
        throw new AssertionError(needle + " not found in " + text);
    }
}
