package ferry.format.receipt;

import java.util.Objects;

/**
 * Where a channel stands in the isolated side's store, as a receipt reports it.
 *
 * @param channel       the channel name
 * @param lastSequence  the last sequence number imported on it, &ge; 1 (0 only in a position built for a channel the
 *                      store does not hold: then lastBundleId is null)
 * @param lastBundleId  the bundle that brought it there, lower-case UUID
 * @param bundles       how many bundles were imported on the channel
 * @param revisions     revisions (updates, packages) those bundles carried, as the store counted them at import
 * @param files         files those bundles carried, as the store counted them at import
 * @param bundlesSha256 SHA-256 (lower-case hex) over the lines {@code <sequence> <bundleId> <manifestSha256>\n} of the
 *                      channel's imported bundles in sequence order: since each manifest lists every revision and file
 *                      with its SHA-256, this digests exactly the set of revisions and files the channel brought in
 */
public record ChannelPosition(String channel, long lastSequence, String lastBundleId, long bundles, long revisions,
                              long files, String bundlesSha256) {
    public ChannelPosition {
        Objects.requireNonNull(channel, "channel");
        if (lastSequence < 0 || (lastSequence > 0) == (lastBundleId == null)) {
            throw new IllegalArgumentException("channel " + channel + ": sequence " + lastSequence + " with bundle "
                    + lastBundleId);
        }
    }

    /** The position of a channel the far side does not hold at all: the next bundle must be a full one. */
    public static ChannelPosition absent(String channel) {
        return new ChannelPosition(channel, 0, null, 0, 0, 0, null);
    }
}
