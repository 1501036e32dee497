package ferry.store;

/**
 * Sizes of the catalog, for a status page.
 *
 * @param bundles    imported bundles
 * @param channels   channels with at least one bundle
 * @param updates    distinct updates
 * @param revisions  update revisions
 * @param files      update files
 * @param fileBytes  total size of the update files, in bytes
 */
public record StoreCounts(long bundles, long channels, long updates, long revisions, long files, long fileBytes) {
}
