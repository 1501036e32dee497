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
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * One volume's single read, the same for verify ({@link ContentStage}) and import ({@link CopyingScan}): the
 * volume's SHA-256, the bytes of the chosen segments handed to a {@link Feed} from the exact byte offsets where they
 * lie (from the same buffer that was hashed), and a walk over the tar headers (from the same bytes again, through
 * {@link HashingInput}) that refuses members unsafe to untar ({@link TarMemberCheck}) or not listed in the manifest.
 * Reads at most the manifest's size of the volume, plus one byte to notice that it grew.
 *
 * <p>Runs on one thread; calls the feed on that thread and returns its problems in offset order.
 */
final class VolumePass {
    private static final int SCRATCH_BYTES = 64 * 1024;

    /** Receives the bytes of the segments the pass was asked to feed, in offset order. */
    interface Feed {
        /** The next {@code len} bytes of {@code p}'s segment, at {@code buf[off]}. */
        void bytes(VolumeMap.Placed p, byte[] buf, int off, int len);

        /** All of {@code p}'s segment was fed. */
        void segmentEnd(VolumeMap.Placed p);
    }

    /**
     * What one volume's read found.
     *
     * @param problems   volume and tar member problems, in offset order
     * @param bytesRead  bytes read from the file
     * @param unfinished the fed segments that did not get all their bytes (the volume was short or unreadable)
     */
    record Result(List<Problem> problems, long bytesRead, List<VolumeMap.Placed> unfinished) { }

    private final Path file;
    private final Volume volume;
    private final int volumeIndex;
    private final VolumeMap map;
    private final List<VolumeMap.Placed> fed;
    private final Feed feed;
    private final Progress progress;
    private final List<Problem> problems = new ArrayList<>();
    private int next; // first fed segment not yet fully fed
    private RuntimeException feedFailure;

    /**
     * @param volumeIndex 0-based index of {@code volume} in the manifest
     * @param map         the manifest's segments and member names
     * @param fed         segments of this volume whose bytes go to {@code feed}, a sublist of
     *                    {@code map.segments(volumeIndex)} in offset order
     * @param feed        may throw a RuntimeException to stop the pass; {@link #run} rethrows it unchanged
     * @param progress    advanced by the bytes read; must be thread-safe if passes run in parallel
     */
    VolumePass(Path file, Volume volume, int volumeIndex, VolumeMap map, List<VolumeMap.Placed> fed, Feed feed,
               Progress progress) {
        this.file = file;
        this.volume = volume;
        this.volumeIndex = volumeIndex;
        this.map = map;
        this.fed = fed;
        this.feed = feed;
        this.progress = progress;
    }

    /** @throws RuntimeException what the feed threw; the read is abandoned there */
    Result run(int bufferSize) {
        String where = "volume " + volume.name();
        MessageDigest volumeSha = ContentStage.sha256();
        HashingInput in = null;
        boolean grew;
        try (InputStream raw = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            in = new HashingInput(raw, volumeSha, this::chunk, bufferSize, volume.size());
            walkTar(in, where);
            in.drain();
            grew = in.bytesRead() == volume.size() && raw.read() >= 0;
        } catch (IOException e) {
            long read = in == null ? 0 : in.bytesRead();
            problems.add(new Problem(Problem.Code.VOLUME_UNREADABLE, where, "read failed after " + read + " bytes: "
                    + e.getMessage()));
            return new Result(problems, read, unfinished());
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
        return new Result(problems, read + (grew ? 1 : 0), unfinished());
    }

    /**
     * Walks the tar headers over the hashing stream; the data of members is read past (which still hashes it, in
     * {@link HashingInput}) into one scratch buffer. Left to Commons Compress, skipping a member goes through
     * Commons IO's skip, which reads through a fresh 8 KiB array per read: a gigabyte of garbage per gigabyte.
     */
    private void walkTar(HashingInput in, String where) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(in, "UTF-8");
        byte[] scratch = new byte[SCRATCH_BYTES];
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
                while (tar.read(scratch, 0, scratch.length) >= 0) {
                    // past the member's data; HashingInput has hashed and fed it
                }
            }
        } catch (IOException | RuntimeException e) {
            if (feedFailure != null) {
                throw feedFailure;
            }
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
            return map.emptyEntry(e.getName());
        }
        VolumeMap.Placed p = map.at(volumeIndex, dataOffset);
        return p != null && p.segment().length() == e.getSize() && p.memberName().equals(e.getName());
    }

    /** A chunk just read from the file (and hashed into the volume's digest): feeds the segments it overlaps. */
    private void chunk(byte[] buf, int off, int n, long pos) {
        try {
            long end = pos + n;
            for (int k = next; k < fed.size(); k++) {
                VolumeMap.Placed p = fed.get(k);
                Segment s = p.segment();
                if (s.offset() >= end) {
                    break;
                }
                long from = Math.max(pos, s.offset());
                long to = Math.min(end, s.offset() + s.length());
                if (from < to) {
                    feed.bytes(p, buf, off + (int) (from - pos), (int) (to - from));
                }
                if (s.offset() + s.length() <= end) {
                    next = k + 1; // segments are sorted and disjoint, so all before k are done too
                    feed.segmentEnd(p);
                }
            }
            progress.advance(n);
        } catch (RuntimeException e) {
            // the tar reader above must not mistake the feed's failure for a malformed archive
            feedFailure = e;
            throw e;
        }
    }

    /** Sorted, disjoint segments also end in order, so exactly those from {@code next} on are unfinished. */
    private List<VolumeMap.Placed> unfinished() {
        return fed.subList(next, fed.size());
    }
}
