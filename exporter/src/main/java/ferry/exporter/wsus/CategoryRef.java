package ferry.exporter.wsus;

/**
 * A resolved product or classification.
 *
 * @param id    the category's update GUID, lower case
 * @param title its title as the upstream's category document gives it (English when present)
 */
public record CategoryRef(String id, String title) {
}
