package ferry.wsus.catalog;

import java.time.Instant;
import java.util.List;

/**
 * An automatic-approval rule: a software or driver update new to the store (or a new revision of one not yet
 * approved for the group) is approved for Install for {@code groupId} when it is imported, if one of its categories
 * is one of {@code classifications} (when any are named) and one of {@code products} (when any are named), and it
 * is not declined. At least one product or classification is named.
 *
 * @param name            unique in the store whatever its case
 * @param products        products by id and title
 * @param classifications classifications by id and title
 * @param createdAt       UTC
 */
public record ApprovalRule(String name, String groupId, String groupName, List<Category> products,
                           List<Category> classifications, Instant createdAt) {
    public ApprovalRule {
        products = List.copyOf(products);
        classifications = List.copyOf(classifications);
    }

    /**
     * A category as the store knows it.
     *
     * @param id    lower-case GUID
     * @param title its latest revision's title, or null if the store does not hold it
     */
    public record Category(String id, String title) {
    }
}
