package ferry.verifier;

import ferry.format.Progress;
import ferry.format.Segment;
import ferry.format.Volume;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * One volume's single read: its SHA-256, the SHA-256 of every entry lying wholly inside it (fed from the exact byte
 * offsets of its segment), and a walk over its tar headers (from the same bytes, through {@link HashingInput}) that
 * refuses members unsafe to untar or not listed in the manifest. Runs on one thread; touches only the entry states
 * it was given and returns its problems in offset order.
 */
final class VolumePass {
    /** A tar member the manifest lists in this volume: the segment's data and the member name the writer gives it. */
    record Listed(Segment segment, String memberName) { }

    /** What one volume's read found. */
    record Result(List<Problem> problems, long bytesRead) { }

    private final Path file;
    private final Volume volume;
    private final List<ContentStage.Placed> placed;
    private final Map<Long, Listed> listedByOffset;
    private final Set<String> emptyEntryPaths;
    private final Progress progress;
    private final List<Problem> problems = new ArrayList<>();
    private int next; // first placed segment not yet fully fed

    /**
     * @param placed          segments of entries lying wholly in this volume, sorted by offset; only this pass
     *                        touches their states
     * @param listedByOffset  every segment of this volume (spanning entries too) by data offset
     * @param emptyEntryPaths paths of the manifest's empty entries, whose members have no segment
     * @param progress        thread-safe
     */
    VolumePass(Path file, Volume volume, List<ContentStage.Placed> placed, Map<Long, Listed> listedByOffset,
               Set<String> emptyEntryPaths, Progress progress) {
        this.file = file;
        this.volume = volume;
        this.placed = placed;
        this.listedByOffset = listedByOffset;
        this.emptyEntryPaths = emptyEntryPaths;
        this.progress = progress;
    }

    Result run(int bufferSize) {
        String where = "volume " + volume.name();
        MessageDigest volumeSha = ContentStage.sha256();
        HashingInput in = null;
        boolean grew;
        try (InputStream raw = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            in = new HashingInput(raw, volumeSha, this::feed, bufferSize, volume.size());
            walkTar(in, where);
            in.drain();
            grew = in.bytesRead() == volume.size() && raw.read() >= 0;
        } catch (IOException e) {
            long read = in == null ? 0 : in.bytesRead();
            problems.add(new Problem(Problem.Code.VOLUME_UNREADABLE, where, "read failed after " + read + " bytes: "
                    + e.getMessage()));
            lose(volume.name() + " could not be read");
            return new Result(problems, read);
        }
        long read = in.bytesRead();
        if (read < volume.size() || grew) {
            // admission or the size check saw the right size: the file changed while it was being read
            problems.add(new Problem(Problem.Code.VOLUME_SIZE_MISMATCH, where, read < volume.size()
                    ? "truncated: " + read + " bytes, the manifest says " + volume.size() + " (changed while read)"
                    : "too long: more than the manifest's " + volume.size() + " bytes (changed while read)"));
        } else if (!Arrays.equals(volumeSha.digest(), HexFormat.of().parseHex(volume.sha256()))) {
            problems.add(new Problem(Problem.Code.VOLUME_DIGEST_MISMATCH, where,
                    "SHA-256 does not match the manifest (the volume is damaged)"));
        }
        lose(volume.name() + " is truncated");
        return new Result(problems, read + (grew ? 1 : 0));
    }

    /** Walks the tar headers over the hashing stream; the data of members is skipped, which still hashes it. */
    private void walkTar(HashingInput in, String where) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(in, "UTF-8");
        try {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                long dataOffset = in.position();
                String name = TarMemberCheck.quote(e.getName());
                String unsafe = TarMemberCheck.unsafe(e);
                if (unsafe != null) {
                    problems.add(new Problem(Problem.Code.TAR_MEMBER_UNSAFE, where, "member " + name + " " + unsafe));
                } else if (!listed(e, dataOffset)) {
                    problems.add(new Problem(Problem.Code.TAR_MEMBER_UNSAFE, where, "member " + name + " ("
                            + e.getSize() + " bytes of data at byte " + dataOffset + ") is not listed in the manifest"));
                }
            }
        } catch (IOException | RuntimeException e) {
            if (in.fileFailure() != null) {
                throw in.fileFailure();
            }
            // Commons Compress rejects the header bytes themselves: nothing after them can be walked safely
            problems.add(new Problem(Problem.Code.TAR_MEMBER_UNSAFE, where, "not a well-formed tar archive after byte "
                    + in.position() + " (" + e.getMessage() + "); its members cannot be checked"));
        }
    }

    private boolean listed(TarArchiveEntry e, long dataOffset) {
        if (e.getSize() == 0) {
            return emptyEntryPaths.contains(e.getName());
        }
        Listed l = listedByOffset.get(dataOffset);
        return l != null && l.segment().length() == e.getSize() && l.memberName().equals(e.getName());
    }

    /** Feeds a chunk just read from the file into the digests of the segments it overlaps. */
    private void feed(byte[] buf, int off, int n, long pos) {
        long end = pos + n;
        for (int k = next; k < placed.size(); k++) {
            ContentStage.Placed p = placed.get(k);
            Segment s = p.segment();
            if (s.offset() >= end) {
                break;
            }
            long from = Math.max(pos, s.offset());
            long to = Math.min(end, s.offset() + s.length());
            if (from < to) {
                p.state().sha256.update(buf, off + (int) (from - pos), (int) (to - from));
            }
            if (s.offset() + s.length() <= end) {
                next = k + 1; // segments are sorted and disjoint, so all before k are done too
            }
        }
        progress.advance(n);
    }

    private void lose(String why) {
        // sorted and disjoint segments also end in order, so exactly those from 'next' on are unfinished
        for (int k = next; k < placed.size(); k++) {
            ContentStage.EntryState s = placed.get(k).state();
            if (s.lostBecause == null) {
                s.lostBecause = why;
            }
        }
    }
}
