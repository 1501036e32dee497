package ferry.wsus.metadata;

import java.util.List;

/**
 * One {@code Relationships/Prerequisites/AtLeastOne} group: the update needs at least one of {@code updateIds}.
 * With {@code isCategory} the group states membership of a product or classification rather than a
 * prerequisite to install.
 *
 * @param updateIds  update GUIDs, lower case, in document order, at least one
 * @param isCategory the group's {@code IsCategory} attribute (false when absent)
 */
public record PrerequisiteGroup(List<String> updateIds, boolean isCategory) {
    public PrerequisiteGroup {
        updateIds = List.copyOf(updateIds);
    }
}
