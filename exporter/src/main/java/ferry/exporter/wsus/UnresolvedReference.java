package ferry.exporter.wsus;

/**
 * A reference the export could not follow: the bundle is written without it (a warning, not a failure).
 * Real upstreams list bundles whose members they never had, and prerequisites outside the selection.
 *
 * @param updateId       the referenced update GUID, lower case
 * @param revisionNumber the referenced revision, or null when the reference names no revision (prerequisites)
 * @param referencedBy   {@code <updateId>-r<revision>} of the document holding the reference; null for a
 *                       revision the upstream listed for the selection but would not return
 * @param relation       {@code prerequisite}, {@code bundled} or {@code selected}
 * @param reason         one line
 */
public record UnresolvedReference(String updateId, Integer revisionNumber, String referencedBy, String relation,
                                  String reason) {
}
