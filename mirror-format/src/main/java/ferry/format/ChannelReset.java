package ferry.format;

import java.util.Objects;
import java.util.UUID;

/**
 * The manifest's optional {@code channelReset} (docs/bundle-format.md, "Channel reset"): this bundle moves its
 * channel back from a position it should never have reached, such as a sequence number near 2^63 signed by a
 * compromised or mistaken key (a fast-forward attack that would make every genuine bundle look like a replay).
 *
 * <p>A reset applies only where the channel stands exactly at {@code fromSequence}, reached by bundle
 * {@code fromBundleId}; once applied, the channel no longer stands there, so the same reset bundle cannot be
 * played again. Like every bundle it needs the trust store's threshold of signers, and it must be a full bundle.
 *
 * @param fromSequence the channel's last imported sequence number that this bundle resets, &ge; 1
 * @param fromBundleId the bundle that brought the channel to {@code fromSequence}
 */
public record ChannelReset(long fromSequence, UUID fromBundleId) {
    public ChannelReset {
        if (fromSequence < 1) {
            throw new IllegalArgumentException("channelReset.fromSequence must be >= 1: " + fromSequence);
        }
        Objects.requireNonNull(fromBundleId, "fromBundleId");
    }
}
