package ferry.format;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

/**
 * What the exporter decides about a bundle; {@link BundleWriter#finish} adds volumes and entries.
 *
 * <p>Times are truncated to whole seconds here because the manifest stores whole seconds.
 *
 * @param bundleId     random UUID naming this bundle
 * @param channel      export stream name, see {@link FieldRules#CHANNEL}
 * @param sequence     this bundle's sequence number in its channel, &ge; 1
 * @param baseSequence sequence number of the bundle this one is incremental to, 1 &le; base &lt; sequence;
 *                     {@code null} for a full bundle
 * @param createdAt    when the export was made (UTC)
 * @param expiresAt    after this instant verifiers refuse the bundle; {@code null} for never; after createdAt
 * @param producer     program that wrote the bundle
 * @param selection    free-form JSON object describing what was selected (no floating-point numbers);
 *                     {@code null} means an empty object; copied
 * @param channelReset {@code null} for an ordinary bundle; otherwise the channel position this full bundle resets
 *                     (see {@link ChannelReset})
 */
public record ManifestHeader(UUID bundleId, String channel, long sequence, Long baseSequence,
                             Instant createdAt, Instant expiresAt, Producer producer, ObjectNode selection,
                             ChannelReset channelReset) {

    /** An ordinary header, without a channel reset. */
    public ManifestHeader(UUID bundleId, String channel, long sequence, Long baseSequence, Instant createdAt,
                          Instant expiresAt, Producer producer, ObjectNode selection) {
        this(bundleId, channel, sequence, baseSequence, createdAt, expiresAt, producer, selection, null);
    }

    public ManifestHeader {
        if (channelReset != null && baseSequence != null) {
            throw new IllegalArgumentException("a channel reset must be a full bundle (no baseSequence)");
        }
        Objects.requireNonNull(bundleId, "bundleId");
        Objects.requireNonNull(channel, "channel");
        if (!FieldRules.CHANNEL.matcher(channel).matches()) {
            throw new IllegalArgumentException("bad channel name: " + channel);
        }
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be >= 1: " + sequence);
        }
        if (baseSequence != null && (baseSequence < 1 || baseSequence >= sequence)) {
            throw new IllegalArgumentException("baseSequence must be in [1, sequence): " + baseSequence);
        }
        createdAt = Objects.requireNonNull(createdAt, "createdAt").truncatedTo(ChronoUnit.SECONDS);
        if (expiresAt != null) {
            expiresAt = expiresAt.truncatedTo(ChronoUnit.SECONDS);
            if (!expiresAt.isAfter(createdAt)) {
                throw new IllegalArgumentException("expiresAt must be after createdAt");
            }
        }
        Objects.requireNonNull(producer, "producer");
        selection = selection == null ? JsonNodeFactory.instance.objectNode() : selection.deepCopy();
        CanonicalJson.checkSelection(selection);
    }

    /** A copy of the selection object. */
    @Override
    public ObjectNode selection() {
        return selection.deepCopy();
    }
}
