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
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The import's single pass: reads every volume once, in order, hashing the volume and each entry's segments from
 * the same buffer it hands to the {@link EntrySink}. An entry is reported matched only when all its segments were
 * read and its SHA-256 equals the manifest's; a volume only when its SHA-256 does. Volumes are read in order, and
 * the manifest guarantees an entry's segments are in volume order, so entries spanning volumes need no second read.
 */
final class CopyingScan {
    private static final int BUFFER = 1 << 20;

    private static final class EntryState {
        final Entry entry;
        final MessageDigest sha256 = sha256();
        final int segments;
        int segmentsDone;
        EntrySink.EntryCopy copy;
        boolean begun;
        boolean failed;
        boolean ended;

        EntryState(Entry entry) {
            this.entry = entry;
            this.segments = entry.segments().size();
        }
    }

    private record Placed(Segment segment, EntryState state) { }

    int volumesChecked;
    int entriesChecked;
    long bytesRead;

    /**
     * @param volumes the volumes admission found present with the right size; an entry in any other volume fails
     */
    void run(Path bundleDir, Manifest m, java.util.Set<String> volumes, EntrySink sink, Progress progress,
             Problems problems) {
        List<EntryState> states = new ArrayList<>(m.entries().size());
        List<List<Placed>> byVolume = new ArrayList<>();
        for (int i = 0; i < m.volumes().size(); i++) {
            byVolume.add(new ArrayList<>());
        }
        Map<Entry, EntryState> byEntry = new IdentityHashMap<>();
        for (Entry e : m.entries()) {
            EntryState s = new EntryState(e);
            states.add(s);
            byEntry.put(e, s);
            for (Segment seg : e.segments()) {
                byVolume.get(BundleLayout.volumeIndex(seg.volume()) - 1).add(new Placed(seg, s));
            }
        }
        long total = 0;
        for (Volume v : m.volumes()) {
            total += volumes.contains(v.name()) ? v.size() : 0;
        }
        progress.begin("verify and copy volumes", total);
        try {
            // Entries with no bytes have no segments: they match or not before any volume is read.
            for (EntryState s : states) {
                if (s.segments == 0) {
                    begin(s, sink, problems);
                    finish(s, problems);
                }
            }
            for (int i = 0; i < m.volumes().size(); i++) {
                Volume v = m.volumes().get(i);
                List<Placed> placed = byVolume.get(i);
                placed.sort((a, b) -> Long.compare(a.segment.offset(), b.segment.offset()));
                if (!volumes.contains(v.name())) {
                    for (Placed p : placed) {
                        fail(p.state, problems);
                    }
                    continue;
                }
                scanVolume(bundleDir.resolve(BundleLayout.VOLUMES_DIR).resolve(v.name()), v, placed, sink, progress,
                        problems);
                volumesChecked++;
            }
        } finally {
            progress.end();
            // Whatever happened, every copy that began hears how it ended, so nothing stays half-written.
            for (EntryState s : states) {
                if (s.begun && !s.ended) {
                    s.ended = true;
                    if (s.copy != null) {
                        try {
                            s.copy.end(false);
                        } catch (IOException | RuntimeException ignored) {
                            // the pass already failed; this copy is discarded either way
                        }
                    }
                }
            }
        }
    }

    private void scanVolume(Path file, Volume v, List<Placed> placed, EntrySink sink, Progress progress,
                            Problems problems) {
        String where = "volume " + v.name();
        MessageDigest volumeSha = sha256();
        long pos = 0;
        int next = 0;
        byte[] buf = new byte[BUFFER];
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            // Never read more than the manifest's size: a volume grown since admission is cut off and fails below.
            while (pos < v.size()) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, v.size() - pos));
                if (n < 0) {
                    break;
                }
                volumeSha.update(buf, 0, n);
                long end = pos + n;
                for (int k = next; k < placed.size(); k++) {
                    Placed p = placed.get(k);
                    Segment s = p.segment;
                    if (s.offset() >= end) {
                        break;
                    }
                    long from = Math.max(pos, s.offset());
                    long to = Math.min(end, s.offset() + s.length());
                    if (from < to) {
                        if (!p.state.begun) {
                            begin(p.state, sink, problems);
                        }
                        p.state.sha256.update(buf, (int) (from - pos), (int) (to - from));
                        if (p.state.copy != null && !p.state.failed) {
                            try {
                                p.state.copy.write(buf, (int) (from - pos), (int) (to - from));
                            } catch (IOException e) {
                                throw new SinkFailure(p.state.entry, e);
                            }
                        }
                    }
                    if (s.offset() + s.length() <= end) {
                        next = k + 1;
                        p.state.segmentsDone++;
                        if (p.state.segmentsDone == p.state.segments) {
                            finish(p.state, problems);
                        }
                    }
                }
                pos = end;
                bytesRead += n;
                progress.advance(n);
            }
            if (pos == v.size() && in.read() >= 0) {
                pos++;
            }
        } catch (IOException e) {
            problems.add(Problem.Code.VOLUME_UNREADABLE, where, "read failed after " + pos + " bytes: " + e.getMessage());
            failFrom(placed, next, problems);
            return;
        }
        if (pos != v.size()) {
            problems.add(Problem.Code.VOLUME_SIZE_MISMATCH, where, (pos < v.size() ? "truncated: " : "too long: ")
                    + (pos < v.size() ? pos + " bytes" : "more bytes") + " than the manifest's " + v.size()
                    + " (changed since it was checked)");
        } else if (!Arrays.equals(volumeSha.digest(), HexFormat.of().parseHex(v.sha256()))) {
            problems.add(Problem.Code.VOLUME_DIGEST_MISMATCH, where, "SHA-256 does not match the manifest (the volume is damaged)");
        }
        failFrom(placed, next, problems);
    }

    private void begin(EntryState s, EntrySink sink, Problems problems) {
        s.begun = true;
        try {
            s.copy = sink.begin(s.entry);
        } catch (IOException e) {
            throw new SinkFailure(s.entry, e);
        }
    }

    private void finish(EntryState s, Problems problems) {
        if (!s.begun) {
            // zero-length entries reach here without bytes
            s.begun = true;
        }
        entriesChecked++;
        boolean matched = !s.failed && Arrays.equals(s.sha256.digest(), HexFormat.of().parseHex(s.entry.sha256()));
        if (!matched && !s.failed) {
            problems.add(Problem.Code.ENTRY_DIGEST_MISMATCH, "entry " + s.entry.path(),
                    "SHA-256 of the content does not match the manifest (damaged in "
                            + String.join(", ", s.entry.segments().stream().map(Segment::volume).distinct().toList()) + ")");
        }
        end(s, matched, problems);
    }

    private void fail(EntryState s, Problems problems) {
        if (!s.failed && !s.ended) {
            s.failed = true;
            problems.add(Problem.Code.ENTRY_INCOMPLETE, "entry " + s.entry.path(),
                    "cannot be checked: a volume it spans is missing, the wrong size or unreadable");
        }
    }

    private void failFrom(List<Placed> placed, int from, Problems problems) {
        for (int k = from; k < placed.size(); k++) {
            fail(placed.get(k).state, problems);
        }
    }

    private static void end(EntryState s, boolean matched, Problems problems) {
        s.ended = true;
        if (s.copy != null) {
            try {
                s.copy.end(matched);
            } catch (IOException e) {
                throw new SinkFailure(s.entry, e);
            }
        }
    }

    /** The sink failed (e.g. the store's disk is full): the pass stops; the importer sees the cause. */
    static final class SinkFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Entry entry;

        SinkFailure(Entry entry, IOException cause) {
            super("entry " + entry.path() + ": " + cause.getMessage(), cause);
            this.entry = entry;
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
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
