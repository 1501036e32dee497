package ferry.exporter;

/**
 * {@code <stateDir>/pending.json}: a sequence number reserved for a bundle before that bundle can become
 * visible. Written (synced, renamed into place) before the bundle writer starts; removed once
 * {@code state.json} records the bundle. A run killed in between leaves it, and the next run either adopts the
 * finished bundle or keeps the number burned ({@link #lost}), so no sequence number is ever used twice. See
 * the state machine in {@code package-info.java}.
 *
 * @param formatVersion {@link #FORMAT_VERSION}; formats 1 and 2 (their state in an earlier format) are read and upgraded by
 *                      {@link StateFormats}
 * @param channel       the channel the number was reserved on
 * @param sequence      the reserved sequence number
 * @param bundleId      the bundle's id (also its staging token)
 * @param bundleDir     where the bundle was to be placed (absolute)
 * @param stagingDir    where it was being written (absolute; {@code BundleWriter.stagingDir(bundleDir, bundleId)})
 * @param lost          true once a later run found the bundle never completed (or not adoptable): the number
 *                      stays reserved until a later bundle's state passes it
 * @param state         the state to record if the bundle is adopted
 */
record PendingBundle(int formatVersion, String channel, long sequence, String bundleId, String bundleDir,
                     String stagingDir, boolean lost, ExportState state) {

    static final int FORMAT_VERSION = 3;

    PendingBundle markedLost() {
        return new PendingBundle(formatVersion, channel, sequence, bundleId, bundleDir, stagingDir, true, state);
    }
}
