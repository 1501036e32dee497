package ferry.store;

/** A channel's position: the last sequence number imported on it and the bundle that carried it. */
public record ChannelState(String name, long lastSequence, String lastBundleId) {
}
