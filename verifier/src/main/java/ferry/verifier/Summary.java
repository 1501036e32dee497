package ferry.verifier;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What the verifier learned about a bundle. Manifest-derived fields are {@code null} (or 0) when the
 * manifest could not be parsed; they come from an unverified manifest when signatures failed.
 *
 * @param bundleId        bundle UUID
 * @param channel         channel name
 * @param sequence        sequence number
 * @param baseSequence    base sequence of an incremental bundle, {@code null} for a full one
 * @param createdAt       creation time
 * @param expiresAt       expiry, {@code null} for none
 * @param producer        {@code "name version"}
 * @param signers         distinct trusted signers with a valid signature
 * @param threshold       signers required by the trust store
 * @param volumes         volumes listed in the manifest
 * @param volumesChecked  volumes read and compared (all present ones, or the ones asked for)
 * @param entries         entries listed in the manifest
 * @param entriesChecked  entries whose SHA-256 was computed and compared
 * @param entryBytes      sum of entry sizes in the manifest, bytes
 * @param volumeBytes     sum of volume sizes in the manifest, bytes
 * @param bytesRead       bytes of volume files read during verification
 */
public record Summary(UUID bundleId, String channel, Long sequence, Long baseSequence, Instant createdAt,
                      Instant expiresAt, String producer, List<Signer> signers, int threshold, int volumes,
                      int volumesChecked, int entries, int entriesChecked, long entryBytes, long volumeBytes,
                      long bytesRead) {
    public Summary {
        signers = List.copyOf(signers);
    }
}
