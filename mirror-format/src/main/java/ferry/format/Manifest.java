package ferry.format;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The manifest of a bundle (format version 1): what the bundle is and every byte it carries.
 * Field meanings are those of {@link ManifestHeader}, {@link Volume} and {@link Entry}; the JSON form is
 * produced and parsed by {@link ManifestCodec}.
 *
 * @param formatVersion always {@link #FORMAT_VERSION}
 * @param volumes       volumes in order, named volume-0001.tar, volume-0002.tar, ...
 * @param entries       entries in the order they were written; paths unique
 * @param channelReset  {@code null}, or the channel position this full bundle resets ({@link ChannelReset})
 */
public record Manifest(int formatVersion, UUID bundleId, String channel, long sequence, Long baseSequence,
                       Instant createdAt, Instant expiresAt, Producer producer, ObjectNode selection,
                       List<Volume> volumes, List<Entry> entries, ChannelReset channelReset) {

    /** The only format version this code reads and writes. */
    public static final int FORMAT_VERSION = 1;

    /** A manifest without a channel reset. */
    public Manifest(int formatVersion, UUID bundleId, String channel, long sequence, Long baseSequence,
                    Instant createdAt, Instant expiresAt, Producer producer, ObjectNode selection,
                    List<Volume> volumes, List<Entry> entries) {
        this(formatVersion, bundleId, channel, sequence, baseSequence, createdAt, expiresAt, producer, selection,
                volumes, entries, null);
    }

    public Manifest {
        if (formatVersion != FORMAT_VERSION) {
            throw new IllegalArgumentException("unsupported format version " + formatVersion);
        }
        // reuse the header's checks (and its second truncation, which is then a no-op)
        ManifestHeader h = new ManifestHeader(bundleId, channel, sequence, baseSequence, createdAt, expiresAt,
                producer, selection, channelReset);
        if (!h.createdAt().equals(createdAt) || (expiresAt != null && !h.expiresAt().equals(expiresAt))) {
            throw new IllegalArgumentException("times must be whole seconds");
        }
        selection = h.selection();
        volumes = List.copyOf(Objects.requireNonNull(volumes, "volumes"));
        entries = List.copyOf(Objects.requireNonNull(entries, "entries"));
        for (int i = 0; i < volumes.size(); i++) {
            if (!volumes.get(i).name().equals(BundleLayout.volumeName(i + 1))) {
                throw new IllegalArgumentException("volume " + (i + 1) + " must be named " + BundleLayout.volumeName(i + 1));
            }
        }
    }

    /** Builds a manifest from a header plus what was written. */
    public static Manifest of(ManifestHeader h, List<Volume> volumes, List<Entry> entries) {
        return new Manifest(FORMAT_VERSION, h.bundleId(), h.channel(), h.sequence(), h.baseSequence(),
                h.createdAt(), h.expiresAt(), h.producer(), h.selection(), volumes, entries, h.channelReset());
    }

    /** The header part. */
    public ManifestHeader header() {
        return new ManifestHeader(bundleId, channel, sequence, baseSequence, createdAt, expiresAt, producer, selection,
                channelReset);
    }

    /** A copy of the selection object. */
    @Override
    public ObjectNode selection() {
        return selection.deepCopy();
    }

    /** Whether this is a full bundle (no base sequence). */
    public boolean isFull() {
        return baseSequence == null;
    }

    /** Sum of all entry sizes, in bytes. */
    public long totalEntryBytes() {
        long t = 0;
        for (Entry e : entries) {
            t += e.size();
        }
        return t;
    }

    /** Sum of all volume sizes, in bytes. */
    public long totalVolumeBytes() {
        long t = 0;
        for (Volume v : volumes) {
            t += v.size();
        }
        return t;
    }

    /** The volume named {@code name}, or null. */
    public Volume volume(String name) {
        int i = BundleLayout.volumeIndex(name);
        return i >= 1 && i <= volumes.size() ? volumes.get(i - 1) : null;
    }
}
