package ferry.importer;

import ferry.store.CatalogWrite;

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
 * @param overrides       the operator's overrides that let the bundle in, one line each (e.g. an expired bundle
 *                        admitted by {@code --allow-expired}); empty normally. For the audit log.
 * @param trustPolicyVersion the trust store's policy version after a trust policy change the bundle carried was
 *                        applied, or null when it carried none (or none to apply)
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
        long durationMillis,
        List<String> overrides,
        Long trustPolicyVersion) {

    public ImportResult {
        overrides = overrides == null ? List.of() : List.copyOf(overrides);
        Objects.requireNonNull(bundleId, "bundleId");
        Objects.requireNonNull(outcome, "outcome");
        signers = signers == null ? List.of() : List.copyOf(signers);
    }

    /** This result with the overrides that admitted the bundle and the trust policy version applied. */
    ImportResult with(List<String> overrides, Long trustPolicyVersion) {
        return new ImportResult(bundleId, channel, sequence, baseSequence, createdAt, producer, manifestSha256, signers,
                alreadyImported, message, outcome, durationMillis, overrides, trustPolicyVersion);
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
     * What the import changed. Revisions and files are the source type's catalog rows (for WSUS: update revisions
     * and update files); objects are files under the store's {@code objects/} (one per distinct SHA-256).
     *
     * @param newRevisions      revisions the store did not have
     * @param skippedRevisions  revisions the store already had (the stored one is kept)
     * @param newFiles          files the store did not have
     * @param skippedFiles      files the store already had
     * @param objectsCopied     objects written from the bundle into the store
     * @param objectsReused     objects the store already held (not read from the bundle)
     * @param bytesCopied       bytes written into the store
     * @param bytesReused       bytes not copied because the object was already present
     * @param objectsCollected  unreferenced objects that earlier failed imports left behind, deleted after commit
     * @param notes             what the operator should know, one line each (e.g. revisions older than stored
     *                          ones, which are kept but never served in place of the newer ones)
     * @param details           the source type's own figures (for WSUS {@code WsusCatalogWrite.Result}:
     *                          olderRevisions, filesNotCarried, changeNumber), or null when nothing was imported
     */
    public record Outcome(
            int newRevisions,
            int skippedRevisions,
            int newFiles,
            int skippedFiles,
            int objectsCopied,
            int objectsReused,
            long bytesCopied,
            long bytesReused,
            int objectsCollected,
            List<String> notes,
            CatalogWrite.Result details) {

        public Outcome {
            notes = notes == null ? List.of() : List.copyOf(notes);
        }

        /** Nothing changed. */
        public static Outcome none() {
            return new Outcome(0, 0, 0, 0, 0, 0, 0, 0, 0, List.of(), null);
        }
    }
}
