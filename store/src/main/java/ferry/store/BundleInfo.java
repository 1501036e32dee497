package ferry.store;

import java.time.Instant;
import java.util.List;

/**
 * One imported bundle, for the import history.
 *
 * @param importedAt when it was imported (UTC); the other fields are as in {@link ImportRecord}
 * @param revisionCount    revisions the bundle carried
 * @param newRevisionCount of those, revisions the store did not have before
 * @param fileCount        files the bundle carried
 * @param newFileCount     of those, files the store did not have before
 */
public record BundleInfo(
        String bundleId,
        String channel,
        long sequenceNumber,
        Long baseSequence,
        Instant createdAt,
        Instant importedAt,
        String manifestSha256,
        List<String> signerFingerprints,
        String producer,
        int revisionCount,
        int newRevisionCount,
        int fileCount,
        int newFileCount) {
}
