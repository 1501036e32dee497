package ferry.store;

import ferry.format.ChannelReset;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything {@link Store#commitImport} records for one verified bundle.
 *
 * @param bundleId           the bundle's id (unique across all channels)
 * @param channel            the channel it belongs to
 * @param sequenceNumber     its sequence number on that channel (at least 1)
 * @param baseSequence       for a delta, the sequence number it was built on; {@code null} for a full bundle
 * @param createdAt          when the exporter created it (UTC)
 * @param manifestSha256     SHA-256 of the manifest bytes
 * @param signerFingerprints fingerprints of the keys whose signatures were accepted
 * @param producer           a free-text description of the producer (tool and version, host), or {@code null}
 * @param write              the source type's rows for the bundle's entries
 * @param channelReset       the channel reset it carries, or {@code null}
 * @param <R>                what {@code write} reports
 */
public record ImportRecord<R extends CatalogWrite.Result>(
        String bundleId,
        String channel,
        long sequenceNumber,
        Long baseSequence,
        Instant createdAt,
        String manifestSha256,
        List<String> signerFingerprints,
        String producer,
        CatalogWrite<R> write,
        ChannelReset channelReset) {

    public ImportRecord {
        Objects.requireNonNull(bundleId, "bundleId");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(manifestSha256, "manifestSha256");
        Objects.requireNonNull(write, "write");
        signerFingerprints = signerFingerprints == null ? List.of() : List.copyOf(signerFingerprints);
    }
}
