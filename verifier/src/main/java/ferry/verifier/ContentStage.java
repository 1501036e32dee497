package ferry.verifier;

import ferry.format.BundleLayout;
import ferry.format.Entry;
import ferry.format.Manifest;
import ferry.format.Progress;
import ferry.format.Segment;
import ferry.format.Volume;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Checks the content of the selected volumes: each volume's size first (by file length, so a huge sparse file is
 * refused unread), then, in parallel, every volume's SHA-256, the SHA-256 of every entry, and the volume's tar
 * members ({@link VolumePass}, {@link TarMemberCheck}).
 *
 * <p>Volumes are independent except for entries spanning volumes, whose digest must be fed in volume order. So a
 * {@link VolumePass} per volume reads the volume once and hashes the volume and the entries lying wholly inside it,
 * and a separate task per spanning entry reads just that entry's segments again, in order. The bytes of spanning
 * entries are therefore read twice and everything else once; the writer splits at most one entry per volume boundary,
 * so the second read is at most one entry per volume. All tasks run on a fixed pool of
 * {@code Runtime.availableProcessors()} threads (system property {@code ferry.verify.threads} overrides it, e.g. 1),
 * with one {@value #BUFFER}-byte buffer per task. Problems come out in a fixed order whatever the scheduling: volumes
 * in manifest order (each in offset order), then entries in manifest order.
 */
final class ContentStage {
    /** System property forcing the number of verification threads (a positive integer). */
    static final String THREADS_PROPERTY = "ferry.verify.threads";
    private static final int BUFFER = 1 << 20;

    /** Per-entry digest state; touched by exactly one task (its volume's pass, or its spanning read). */
    static final class EntryState {
        final Entry entry;
        final MessageDigest sha256 = sha256();
        String lostBecause;

        EntryState(Entry entry) {
            this.entry = entry;
        }

        boolean spanning() {
            return entry.segments().size() > 1;
        }
    }

    int volumesChecked;
    int entriesChecked;
    /** Bytes read from volume files: each volume read once, plus the second read of spanning entries. */
    long bytesRead;

    /**
     * @param selected volumes to read (present and listed); others are not read
     * @param full     whether all volumes were meant to be read: then entries in unread volumes are
     *                 ENTRY_INCOMPLETE; otherwise they are simply not checked
     * @param progress receives "verify volumes", measured in bytes of the volumes read (the second read of spanning
     *                 entries is not counted); its {@code advance} is called under a lock, from several threads
     */
    void run(ferry.format.BundleSource source, Manifest m, Set<String> selected, boolean full, Progress progress,
             Problems problems) {
        java.util.function.Function<String, Path> volumesDir = source::volumeFile;
        VolumeMap map = VolumeMap.of(m);
        List<EntryState> states = new ArrayList<>(m.entries().size());
        for (Entry e : m.entries()) {
            states.add(new EntryState(e));
        }

        // Sizes before content, in volume order: a volume of the wrong length is not read at all.
        List<Integer> toRead = new ArrayList<>();
        for (int i = 0; i < m.volumes().size(); i++) {
            Volume v = m.volumes().get(i);
            String unread = null;
            if (!selected.contains(v.name())) {
                unread = v.name() + " was not " + (full ? "present" : "checked");
            } else {
                unread = sizeProblem(volumesDir.apply(v.name()), v, problems);
            }
            if (unread == null) {
                toRead.add(i);
            } else {
                for (VolumeMap.Placed p : map.segments(i)) {
                    lose(states.get(p.entry()), unread);
                }
            }
        }
        List<EntryState> spanning = new ArrayList<>();
        long total = 0;
        for (int i : toRead) {
            total += m.volumes().get(i).size();
        }
        for (EntryState s : states) {
            if (s.spanning() && s.lostBecause == null) {
                spanning.add(s);
            }
        }

        Progress synced = new LockedProgress(progress);
        progress.begin("verify volumes", total);
        ExecutorService pool = null;
        try {
            int tasks = toRead.size() + spanning.size();
            if (tasks > 0) {
                pool = Executors.newFixedThreadPool(Math.min(threads(), tasks), r -> {
                    Thread t = new Thread(r, "ferry-verify");
                    t.setDaemon(true);
                    return t;
                });
                // The longest tasks first: a big spanning entry is the critical path.
                List<EntryState> longestFirst = new ArrayList<>(spanning);
                longestFirst.sort((a, b) -> Long.compare(b.entry.size(), a.entry.size()));
                List<Future<Long>> spanReads = new ArrayList<>();
                for (EntryState s : longestFirst) {
                    spanReads.add(pool.submit(() -> readSpanning(volumesDir, s)));
                }
                // each pass feeds only the states of entries lying wholly in its volume
                VolumePass.Feed digests = new VolumePass.Feed() {
                    @Override
                    public void bytes(VolumeMap.Placed p, byte[] buf, int off, int len) {
                        states.get(p.entry()).sha256.update(buf, off, len);
                    }

                    @Override
                    public void segmentEnd(VolumeMap.Placed p) {
                        // the digest is compared once every volume was read
                    }
                };
                List<Future<VolumePass.Result>> passes = new ArrayList<>();
                List<String> names = new ArrayList<>();
                for (int i : toRead) {
                    Volume v = m.volumes().get(i);
                    List<VolumeMap.Placed> inside = new ArrayList<>();
                    for (VolumeMap.Placed p : map.segments(i)) {
                        if (!states.get(p.entry()).spanning()) {
                            inside.add(p);
                        }
                    }
                    VolumePass pass = new VolumePass(volumesDir.apply(v.name()), v, i, map, inside, digests, synced);
                    passes.add(pool.submit((Callable<VolumePass.Result>) () -> pass.run(BUFFER)));
                    names.add(v.name());
                }
                for (int k = 0; k < passes.size(); k++) {
                    VolumePass.Result r = join(passes.get(k));
                    for (Problem p : r.problems()) {
                        problems.add(p.code(), p.location(), p.message());
                    }
                    String why = names.get(k) + (r.problems().stream().anyMatch(
                            p -> p.code() == Problem.Code.VOLUME_UNREADABLE) ? " could not be read" : " is truncated");
                    for (VolumeMap.Placed p : r.unfinished()) {
                        lose(states.get(p.entry()), why);
                    }
                    bytesRead += r.bytesRead();
                    volumesChecked++;
                }
                for (Future<Long> f : spanReads) {
                    bytesRead += join(f);
                }
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
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

    private static void lose(EntryState s, String why) {
        if (s.lostBecause == null) {
            s.lostBecause = why;
        }
    }

    /** @return why the volume is not read (and the problem added), or null when its size is the manifest's */
    private static String sizeProblem(Path file, Volume v, Problems problems) {
        String where = "volume " + v.name();
        long size;
        try {
            size = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size();
        } catch (IOException e) {
            problems.add(Problem.Code.VOLUME_UNREADABLE, where, "cannot read its size: " + e.getMessage());
            return v.name() + " could not be read";
        }
        if (size == v.size()) {
            return null;
        }
        boolean shorter = size < v.size();
        problems.add(Problem.Code.VOLUME_SIZE_MISMATCH, where, (shorter ? "truncated: " : "too long: ")
                + size + " bytes, the manifest says " + v.size());
        return v.name() + (shorter ? " is truncated" : " is too long");
    }

    /**
     * Reads a spanning entry's segments in volume order and feeds its digest; sets its {@code lostBecause} when a
     * segment cannot be read whole.
     *
     * @return bytes read
     */
    private static long readSpanning(java.util.function.Function<String, Path> volumesDir, EntryState s) {
        ByteBuffer buf = ByteBuffer.allocate(BUFFER);
        long read = 0;
        for (Segment seg : s.entry.segments()) {
            try (FileChannel ch = FileChannel.open(volumesDir.apply(seg.volume()), StandardOpenOption.READ,
                    LinkOption.NOFOLLOW_LINKS)) {
                long pos = seg.offset();
                long end = seg.offset() + seg.length();
                while (pos < end) {
                    buf.clear().limit((int) Math.min(BUFFER, end - pos));
                    int n = ch.read(buf, pos);
                    if (n < 0) {
                        throw new EOFException();
                    }
                    s.sha256.update(buf.array(), 0, n);
                    pos += n;
                    read += n;
                }
            } catch (EOFException e) {
                s.lostBecause = seg.volume() + " is truncated";
                return read;
            } catch (IOException e) {
                s.lostBecause = seg.volume() + " could not be read";
                return read;
            }
        }
        return read;
    }

    /** Threads to verify with: {@value #THREADS_PROPERTY} if set to a positive integer, else the processors. */
    static int threads() {
        String forced = System.getProperty(THREADS_PROPERTY);
        if (forced != null) {
            try {
                int n = Integer.parseInt(forced.trim());
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // fall through to the default: a bad tuning knob must not stop verification
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    private static <T> T join(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while verifying", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Serialises {@code advance} from the verification threads; begin and end stay on the caller's thread. */
    private static final class LockedProgress implements Progress {
        private final Progress target;

        LockedProgress(Progress target) {
            this.target = target;
        }

        @Override public void begin(String task, long totalBytes) { target.begin(task, totalBytes); }
        @Override public synchronized void advance(long bytes) { target.advance(bytes); }
        @Override public void end() { target.end(); }
        @Override public synchronized void info(String line) { target.info(line); }
    }
}
