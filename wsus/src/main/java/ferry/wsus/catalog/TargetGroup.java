package ferry.wsus.catalog;

/**
 * A computer group (WSUS target group, MS-WSUSSS 3.1.1 TargetGroup Table): approvals are made for a group and apply
 * to the computers of the group and of the groups below it.
 *
 * @param id       lower-case GUID
 * @param name     as the operator spelled it; unique in the store whatever its case
 * @param parentId the group above, lower-case GUID; null only for {@value #ALL_COMPUTERS} ("All Computers")
 * @param builtIn  true for "All Computers" and "Unassigned Computers", which cannot be removed
 */
public record TargetGroup(String id, String name, String parentId, boolean builtIn) {
    /** Id of the built-in group "All Computers", the top of the hierarchy, as every WSUS has it. */
    public static final String ALL_COMPUTERS = "a0a08746-4dbe-4a37-9adf-9e7652c0b421";
    /** Id of the built-in group "Unassigned Computers" (below "All Computers"), as every WSUS has it. */
    public static final String UNASSIGNED_COMPUTERS = "b73ca6ed-5727-47f3-84de-015e03f6a88a";
    /** Name of {@link #ALL_COMPUTERS}. */
    public static final String ALL_COMPUTERS_NAME = "All Computers";
    /** Name of {@link #UNASSIGNED_COMPUTERS}. */
    public static final String UNASSIGNED_COMPUTERS_NAME = "Unassigned Computers";
}
