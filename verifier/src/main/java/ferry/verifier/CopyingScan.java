package ferry.verifier;

import ferry.format.BundleLayout;
import ferry.format.Entry;
import ferry.format.Manifest;
import ferry.format.Progress;
import ferry.format.Segment;
import ferry.format.Volume;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The import's single pass: reads every volume once, in order, through the same {@link VolumePass} as verify, so
 * the volume's SHA-256 and its tar members are checked exactly as {@code ferry verify} checks them, while each
 * entry's segments are hashed from the same buffer that is handed to the {@link EntrySink}. An entry is reported
 * matched only when all its segments were read and its SHA-256 equals the manifest's; whether the bundle as a whole
 * may be kept (every volume's digest, every tar member) is the report's to say. Volumes are read in order, and the
 * manifest guarantees an entry's segments are in volume order, so entries spanning volumes need no second read.
 */
final class CopyingScan {
    private static final int BUFFER = 1 << 20;

    private static final class EntryState {
        final Entry entry;
        final MessageDigest sha256 = ContentStage.sha256();
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

    int volumesChecked;
    int entriesChecked;
    long bytesRead;

    /**
     * @param volumes the volumes admission found present with the right size; an entry in any other volume fails
     * @throws SinkFailure when the sink failed; every copy begun has then been ended unmatched
     */
    void run(ferry.format.BundleSource source, Manifest m, Set<String> volumes, EntrySink sink, Progress progress, Problems problems) {
        VolumeMap map = VolumeMap.of(m);
        List<EntryState> states = new ArrayList<>(m.entries().size());
        for (Entry e : m.entries()) {
            states.add(new EntryState(e));
        }
        long total = 0;
        for (Volume v : m.volumes()) {
            total += volumes.contains(v.name()) ? v.size() : 0;
        }
        VolumePass.Feed copies = new VolumePass.Feed() {
            @Override
            public void bytes(VolumeMap.Placed p, byte[] buf, int off, int len) {
                EntryState s = states.get(p.entry());
                if (!s.begun) {
                    begin(s, sink);
                }
                s.sha256.update(buf, off, len);
                if (s.copy != null && !s.failed) {
                    try {
                        s.copy.write(buf, off, len);
                    } catch (IOException e) {
                        throw new SinkFailure(s.entry, e);
                    }
                }
            }

            @Override
            public void segmentEnd(VolumeMap.Placed p) {
                EntryState s = states.get(p.entry());
                s.segmentsDone++;
                if (s.segmentsDone == s.segments) {
                    finish(s, problems);
                }
            }
        };
        progress.begin("verify and copy volumes", total);
        try {
            // Entries with no bytes have no segments: they match or not before any volume is read.
            for (EntryState s : states) {
                if (s.segments == 0) {
                    begin(s, sink);
                    finish(s, problems);
                }
            }
            for (int i = 0; i < m.volumes().size(); i++) {
                Volume v = m.volumes().get(i);
                List<VolumeMap.Placed> placed = map.segments(i);
                if (!volumes.contains(v.name())) {
                    failAll(placed, states, problems);
                    continue;
                }
                VolumePass.Result r = new VolumePass(source.volumeFile(v.name()),
                        v, i, map, placed, copies, progress).run(BUFFER);
                for (Problem p : r.problems()) {
                    problems.add(p.code(), p.location(), p.message());
                }
                failAll(r.unfinished(), states, problems);
                bytesRead += r.bytesRead();
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

    private static void begin(EntryState s, EntrySink sink) {
        s.begun = true;
        try {
            s.copy = sink.begin(s.entry);
        } catch (IOException e) {
            throw new SinkFailure(s.entry, e);
        }
    }

    private void finish(EntryState s, Problems problems) {
        entriesChecked++;
        boolean matched = !s.failed && Arrays.equals(s.sha256.digest(), HexFormat.of().parseHex(s.entry.sha256()));
        if (!matched && !s.failed) {
            problems.add(Problem.Code.ENTRY_DIGEST_MISMATCH, "entry " + s.entry.path(),
                    "SHA-256 of the content does not match the manifest (damaged in "
                            + String.join(", ", s.entry.segments().stream().map(Segment::volume).distinct().toList()) + ")");
        }
        s.ended = true;
        if (s.copy != null) {
            try {
                s.copy.end(matched);
            } catch (IOException e) {
                throw new SinkFailure(s.entry, e);
            }
        }
    }

    private static void failAll(List<VolumeMap.Placed> placed, List<EntryState> states, Problems problems) {
        for (VolumeMap.Placed p : placed) {
            EntryState s = states.get(p.entry());
            if (!s.failed && !s.ended) {
                s.failed = true;
                problems.add(Problem.Code.ENTRY_INCOMPLETE, "entry " + s.entry.path(),
                        "cannot be checked: a volume it spans is missing, the wrong size or unreadable");
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
}
