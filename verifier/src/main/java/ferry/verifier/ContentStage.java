package ferry.verifier;

import ferry.format.BundleLayout;
import ferry.format.Entry;
import ferry.format.Manifest;
import ferry.format.Progress;
import ferry.format.Segment;
import ferry.format.Volume;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Reads each volume once, front to back, computing its SHA-256 and, from the same bytes, the SHA-256 of
 * every entry segment it holds. Entries spanning volumes carry their digest state from one volume to the
 * next (volumes are read in order, and the manifest guarantees an entry's segments are in volume order),
 * so the whole bundle is read exactly once.
 */
final class ContentStage {
    private static final int BUFFER = 1 << 20;

    /** Per-entry digest state while scanning. */
    private static final class EntryState {
        final Entry entry;
        final MessageDigest sha256 = sha256();
        String lostBecause;

        EntryState(Entry entry) {
            this.entry = entry;
        }
    }

    /** A segment placed in its volume, pointing back to its entry. */
    private record Placed(Segment segment, EntryState state) { }

    int volumesChecked;
    int entriesChecked;
    long bytesRead;

    /**
     * @param selected volumes to read (present and listed); others are not read
     * @param full     whether all volumes were meant to be read: then entries in unread volumes are
     *                 ENTRY_INCOMPLETE; otherwise they are simply not checked
     */
    void run(Path bundleDir, Manifest m, Set<String> selected, boolean full, Progress progress, Problems problems) {
        List<EntryState> states = new ArrayList<>(m.entries().size());
        List<List<Placed>> byVolume = new ArrayList<>();
        for (int i = 0; i < m.volumes().size(); i++) {
            byVolume.add(new ArrayList<>());
        }
        for (Entry e : m.entries()) {
            EntryState s = new EntryState(e);
            states.add(s);
            for (Segment seg : e.segments()) {
                byVolume.get(BundleLayout.volumeIndex(seg.volume()) - 1).add(new Placed(seg, s));
            }
        }
        long total = 0;
        for (Volume v : m.volumes()) {
            if (selected.contains(v.name())) {
                total += v.size();
            }
        }
        progress.begin("verify volumes", total);
        try {
            for (int i = 0; i < m.volumes().size(); i++) {
                Volume v = m.volumes().get(i);
                List<Placed> placed = byVolume.get(i);
                if (!selected.contains(v.name())) {
                    for (Placed p : placed) {
                        if (p.state.lostBecause == null) {
                            p.state.lostBecause = v.name() + " was not " + (full ? "present" : "checked");
                        }
                    }
                    continue;
                }
                placed.sort((a, b) -> Long.compare(a.segment.offset(), b.segment.offset()));
                scanVolume(bundleDir.resolve(BundleLayout.VOLUMES_DIR).resolve(v.name()), v, placed, progress, problems);
                volumesChecked++;
            }
        } finally {
            progress.end();
        }
        for (EntryState s : states) {
            if (s.lostBecause != null) {
                if (full) {
                    problems.add(Problem.Code.ENTRY_INCOMPLETE, "entry " + s.entry.path(),
                            "cannot be checked: " + s.lostBecause);
                }
                continue;
            }
            entriesChecked++;
            if (!Arrays.equals(s.sha256.digest(), HexFormat.of().parseHex(s.entry.sha256()))) {
                problems.add(Problem.Code.ENTRY_DIGEST_MISMATCH, "entry " + s.entry.path(),
                        "SHA-256 of the content does not match the manifest (damaged in "
                                + String.join(", ", s.entry.segments().stream().map(Segment::volume).distinct().toList()) + ")");
            }
        }
    }

    private void scanVolume(Path file, Volume v, List<Placed> placed, Progress progress, Problems problems) {
        String where = "volume " + v.name();
        MessageDigest volumeSha = sha256();
        long pos = 0;
        int next = 0; // first placed segment not yet fully fed
        byte[] buf = new byte[BUFFER];
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                volumeSha.update(buf, 0, n);
                long end = pos + n;
                for (int k = next; k < placed.size(); k++) {
                    Segment s = placed.get(k).segment;
                    if (s.offset() >= end) {
                        break;
                    }
                    long from = Math.max(pos, s.offset());
                    long to = Math.min(end, s.offset() + s.length());
                    if (from < to) {
                        placed.get(k).state.sha256.update(buf, (int) (from - pos), (int) (to - from));
                    }
                    if (s.offset() + s.length() <= end) {
                        next = k + 1; // segments are sorted and disjoint, so all before k are done too
                    }
                }
                pos = end;
                bytesRead += n;
                progress.advance(n);
            }
        } catch (IOException e) {
            problems.add(Problem.Code.VOLUME_UNREADABLE, where, "read failed after " + pos + " bytes: " + e.getMessage());
            markUnfinished(placed, next, v.name() + " could not be read");
            return;
        }
        if (pos != v.size()) {
            problems.add(Problem.Code.VOLUME_SIZE_MISMATCH, where, (pos < v.size() ? "truncated: " : "too long: ")
                    + pos + " bytes, the manifest says " + v.size());
        } else if (!Arrays.equals(volumeSha.digest(), HexFormat.of().parseHex(v.sha256()))) {
            problems.add(Problem.Code.VOLUME_DIGEST_MISMATCH, where, "SHA-256 does not match the manifest (the volume is damaged)");
        }
        markUnfinished(placed, next, v.name() + " is truncated");
    }

    private static void markUnfinished(List<Placed> placed, int from, String why) {
        // sorted and disjoint segments also end in order, so exactly those from 'from' on are unfinished
        for (int k = from; k < placed.size(); k++) {
            if (placed.get(k).state.lostBecause == null) {
                placed.get(k).state.lostBecause = why;
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
