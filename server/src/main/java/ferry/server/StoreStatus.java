package ferry.server;

import ferry.store.BundleInfo;
import ferry.store.ChannelState;
import ferry.store.Store;
import ferry.store.StoreCounts;

import java.time.Instant;
import java.util.List;

/**
 * What the status site shows: the store's own figures and each source type's ({@link StoreCounts}), channels and
 * imported bundles.
 *
 * @param generatedAt when this snapshot was taken (UTC)
 * @param counts      catalog sizes: bundles, channels, and each source type's figures
 * @param channels    channels and their last sequence number, by name
 * @param bundles     imported bundles, oldest import first
 * @param traffic     what this server has served since it started
 */
record StoreStatus(Instant generatedAt, StoreCounts counts, List<ChannelState> channels, List<BundleInfo> bundles,
                   ServerTraffic.Traffic traffic) {

    StoreStatus {
        channels = List.copyOf(channels);
        bundles = List.copyOf(bundles);
    }

    static StoreStatus of(Store store, ServerTraffic.Traffic traffic) {
        return new StoreStatus(Instant.now(), store.counts(), store.channels(), store.bundles(), traffic);
    }
}
