package ferry.store;

/**
 * What {@link Store#commitImport} changed.
 *
 * @param newRevisions      revisions recorded that the store did not have
 * @param olderRevisions    of those, revisions lower than a revision of the same update already stored: kept
 *                          (bundled updates may name them) but never served as the update's latest revision
 * @param skippedRevisions  revisions the store already had (the stored one is kept)
 * @param newFiles          files recorded that the store did not have
 * @param skippedFiles      files the store already had
 * @param changeNumber      the store's change number after the import
 */
public record ImportOutcome(
        int newRevisions, int olderRevisions, int skippedRevisions, int newFiles, int skippedFiles,
        long changeNumber) {
}
