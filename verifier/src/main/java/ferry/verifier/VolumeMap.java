package ferry.verifier;

import ferry.format.BundleLayout;
import ferry.format.Entry;
import ferry.format.Manifest;
import ferry.format.Segment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a manifest puts bytes in each volume: every segment, sorted by offset, with the index of its entry and the
 * tar member name the bundle writer gives it (the entry's path, or {@code <path>.partNNNN} for the parts of an entry
 * spanning volumes). {@link VolumePass} uses it to feed entry digests by offset and to tell listed tar members from
 * others; verify ({@link ContentStage}) and import ({@link CopyingScan}) build it the same way. Immutable.
 */
final class VolumeMap {
    /**
     * One segment in its volume.
     *
     * @param entry      index of its entry in {@link Manifest#entries()}
     * @param memberName the name of the tar member holding exactly this segment's bytes
     */
    record Placed(Segment segment, int entry, String memberName) { }

    private final List<List<Placed>> byVolume;
    private final List<Map<Long, Placed>> byOffset;
    private final Set<String> emptyEntryPaths;

    private VolumeMap(List<List<Placed>> byVolume, List<Map<Long, Placed>> byOffset, Set<String> emptyEntryPaths) {
        this.byVolume = byVolume;
        this.byOffset = byOffset;
        this.emptyEntryPaths = emptyEntryPaths;
    }

    /** The map of a manifest that passed {@code ManifestCheck} (segments name listed volumes and do not overlap). */
    static VolumeMap of(Manifest m) {
        List<List<Placed>> byVolume = new ArrayList<>();
        List<Map<Long, Placed>> byOffset = new ArrayList<>();
        for (int i = 0; i < m.volumes().size(); i++) {
            byVolume.add(new ArrayList<>());
            byOffset.add(new HashMap<>());
        }
        Set<String> empty = new HashSet<>();
        for (int i = 0; i < m.entries().size(); i++) {
            Entry e = m.entries().get(i);
            if (e.segments().isEmpty()) {
                empty.add(e.path());
            }
            for (int k = 0; k < e.segments().size(); k++) {
                Segment seg = e.segments().get(k);
                String member = e.segments().size() == 1 ? e.path() : e.path() + String.format(".part%04d", k + 1);
                Placed p = new Placed(seg, i, member);
                int v = BundleLayout.volumeIndex(seg.volume()) - 1;
                byVolume.get(v).add(p);
                byOffset.get(v).put(seg.offset(), p);
            }
        }
        List<List<Placed>> sorted = new ArrayList<>(byVolume.size());
        for (List<Placed> l : byVolume) {
            l.sort((a, b) -> Long.compare(a.segment().offset(), b.segment().offset()));
            sorted.add(Collections.unmodifiableList(l));
        }
        return new VolumeMap(sorted, byOffset, Set.copyOf(empty));
    }

    /** @param volume 0-based index in {@link Manifest#volumes()}; @return its segments in offset order */
    List<Placed> segments(int volume) {
        return byVolume.get(volume);
    }

    /** The segment whose data starts at {@code offset} of volume {@code volume} (0-based), or null. */
    Placed at(int volume, long offset) {
        return byOffset.get(volume).get(offset);
    }

    /** Whether an empty tar member named {@code name} is one of the manifest's empty entries (they have no segment). */
    boolean emptyEntry(String name) {
        return emptyEntryPaths.contains(name);
    }
}
