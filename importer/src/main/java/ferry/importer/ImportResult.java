package ferry.importer;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What one {@link Importer#importBundle} did. Serializes with a plain Jackson {@code ObjectMapper} (times as
 * ISO-8601 UTC strings) for {@code ferry import --json}.
 *
 * @param bundleId        the bundle's UUID (lower case)
 * @param channel         its channel
 * @param sequence        its sequence number on the channel
 * @param baseSequence    for a delta, the sequence it builds on; {@code null} for a full bundle
 * @param createdAt       when it was exported (UTC)
 * @param producer        {@code "<name> <version>"} of the program that wrote it
 * @param manifestSha256  SHA-256 of the manifest bytes that were verified and imported, 64 lower-case hex
 * @param signers         the trusted keys whose signatures on the manifest were accepted
 * @param alreadyImported true when this very bundle (same id, same manifest) was imported before: nothing was
 *                        read beyond verification and nothing changed; {@link #outcome()} is then all zeros
 * @param message         one line for the operator, e.g. {@code "imported: 12 new revisions, 3 new files"}
 * @param outcome         what changed in the store
 * @param durationMillis  wall time of the whole import, verification included, in milliseconds
 */
public record ImportResult(
        String bundleId,
        String channel,
        long sequence,
        Long baseSequence,
        @JsonSerialize(using = ToStringSerializer.class) Instant createdAt,
        String producer,
        String manifestSha256,
        List<Signer> signers,
        boolean alreadyImported,
        String message,
        Outcome outcome,
        long durationMillis) {

    public ImportResult {
        Objects.requireNonNull(bundleId, "bundleId");
        Objects.requireNonNull(outcome, "outcome");
        signers = signers == null ? List.of() : List.copyOf(signers);
    }

    /** Whether the store changed (a new bundle record at least). False only for an already imported bundle. */
    public boolean changed() {
        return !alreadyImported;
    }

    /**
     * A signer whose signature was accepted.
     *
     * @param fingerprint primary-key fingerprint, 40 upper-case hex digits
     * @param userId      the key's user id, e.g. {@code "Ferry Export <ferry@example.org>"}
     */
    public record Signer(String fingerprint, String userId) {
    }

    /**
     * What the import changed. Revisions and files are catalog rows; objects are files under the store's
     * {@code objects/} (one per distinct SHA-256: update metadata documents and update files).
     *
     * @param newRevisions      update revisions the store did not have
     * @param olderRevisions    of those, revisions lower than one the store already has for the same update: kept
     *                          (a bundled update may name them) but never served in place of the newer one, so a
     *                          bundle cannot downgrade an update
     * @param skippedRevisions  revisions the store already had (the stored one is kept)
     * @param newFiles          update files the store did not have
     * @param skippedFiles      update files the store already had
     * @param filesNotCarried   files named by the imported metadata that neither the bundle nor the store holds
     *                          (a metadata-only or language-filtered export); served without those files
     * @param objectsCopied     objects written from the bundle into the store
     * @param objectsReused     objects the store already held (not read from the bundle)
     * @param bytesCopied       bytes written into the store
     * @param bytesReused       bytes not copied because the object was already present
     * @param changeNumber      the store's change number after the import (what anchors count)
     * @param objectsCollected  unreferenced objects that earlier failed imports left behind, deleted after commit
     */
    public record Outcome(
            int newRevisions,
            int olderRevisions,
            int skippedRevisions,
            int newFiles,
            int skippedFiles,
            int filesNotCarried,
            int objectsCopied,
            int objectsReused,
            long bytesCopied,
            long bytesReused,
            long changeNumber,
            int objectsCollected) {

        /** Nothing changed. */
        public static Outcome none(long changeNumber) {
            return new Outcome(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, changeNumber, 0);
        }
    }
}
