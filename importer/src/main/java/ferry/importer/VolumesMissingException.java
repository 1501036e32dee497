package ferry.importer;

import java.util.List;

/**
 * A bundle spread over media (or directories) lacks volumes: the manifest and signatures were admitted, but none of
 * the directories given holds some of the volumes. The message is one line naming the media to insert (from the
 * media's labels) and the volumes; nothing was read beyond admission and the store is unchanged.
 */
public final class VolumesMissingException extends ImporterException {
    private static final long serialVersionUID = 1L;

    private final List<String> volumes;

    /**
     * @param message one line, e.g. {@code bundle … is incomplete: insert medium 2 of 3 (volume-0003.tar) …}
     * @param volumes the missing volumes, in manifest order
     */
    public VolumesMissingException(String message, List<String> volumes) {
        super(message, null);
        this.volumes = List.copyOf(volumes);
    }

    /** The missing volumes, e.g. {@code volume-0003.tar}, in manifest order. */
    public List<String> volumes() {
        return volumes;
    }
}
