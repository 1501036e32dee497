package ferry.format;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Cuts entry data into pax tar volumes of at most a given size, filling each volume before starting the
 * next; an entry that does not fit in the space left is split into members {@code <path>.part0001},
 * {@code <path>.part0002}, ... one per volume.
 */
final class VolumeWriter {
    private static final int RECORD = 512;
    private static final int EOF_RECORDS = 2 * RECORD;
    private static final int BUFFER = 256 * 1024;

    private final Path dir;
    private final long capacity;
    private final Date mtime;
    private final Progress progress;
    private final List<Volume> done = new ArrayList<>();
    private Open current;

    /** One volume being written: tar on top of a counter on top of a digest on top of the file. */
    private static final class Open {
        final String name;
        final FileChannel channel;
        final MessageDigest sha256 = Digests.sha256();
        final CountingOutputStream counter;
        final TarArchiveOutputStream tar;

        Open(Path file, String name) throws IOException {
            this.name = name;
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            OutputStream fileOut = new java.io.BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
            this.counter = new CountingOutputStream(new DigestOutputStream(fileOut, sha256));
            this.tar = configure(new TarArchiveOutputStream(counter, RECORD));
        }
    }

    VolumeWriter(Path volumesDir, long volumeSize, Instant mtime, Progress progress) {
        this.dir = volumesDir;
        this.capacity = volumeSize - volumeSize % RECORD;
        this.mtime = Date.from(mtime);
        this.progress = progress;
    }

    /** The largest volume file this writer makes, in bytes (the volume size rounded down to 512). */
    long capacity() {
        return capacity;
    }

    /**
     * Copies exactly {@code size} bytes of {@code data} into volumes, updating {@code digests}.
     *
     * @return the segments written (empty for an empty entry)
     * @throws IOException if {@code data} ends early or holds more than {@code size} bytes, or on I/O failure
     */
    List<Segment> write(String path, InputStream data, long size, MessageDigest... digests) throws IOException {
        List<Segment> segments = new ArrayList<>();
        long remaining = size;
        int part = 0;
        boolean split = false;
        byte[] buf = new byte[BUFFER];
        while (true) {
            if (current == null) {
                current = new Open(dir.resolve(BundleLayout.volumeName(done.size() + 1)),
                        BundleLayout.volumeName(done.size() + 1));
            }
            long avail = capacity - current.counter.count() - EOF_RECORDS;
            if (!split) {
                if (headerSize(path, size) + padded(size) <= avail) {
                    copyMember(path, data, size, buf, segments, digests);
                    break;
                }
                String firstPart = partName(path, 1);
                if (size == 0 || avail - headerSize(firstPart, Math.min(size, avail)) < RECORD) {
                    closeCurrent(); // too little room to start here; the next volume has room
                    continue;
                }
                split = true;
            }
            String name = partName(path, ++part);
            long room = avail - headerSize(name, Math.min(remaining, avail));
            if (room < RECORD) {
                part--;
                closeCurrent();
                continue;
            }
            long chunk = Math.min(remaining, room - room % RECORD);
            copyMember(name, data, chunk, buf, segments, digests);
            remaining -= chunk;
            if (remaining == 0) {
                break;
            }
            closeCurrent();
        }
        if (data.read() != -1) {
            throw new IOException("entry " + path + ": data is longer than the declared " + size + " bytes");
        }
        return segments;
    }

    /** Closes the last volume and returns all volumes written, in order. */
    List<Volume> finish() throws IOException {
        closeCurrent();
        return List.copyOf(done);
    }

    /** Releases the open file, if any, without completing it (the caller deletes the directory). */
    void abort() {
        if (current != null) {
            try {
                current.channel.close();
            } catch (IOException e) {
                // the staging directory is removed next; nothing more to do
            }
            current = null;
        }
    }

    private void copyMember(String name, InputStream data, long length, byte[] buf, List<Segment> segments,
                            MessageDigest[] digests) throws IOException {
        Open v = current;
        v.tar.putArchiveEntry(entry(name, length));
        long offset = v.counter.count();
        if (offset % RECORD != 0) {
            throw new IllegalStateException("tar header not record-aligned: " + offset);
        }
        long left = length;
        while (left > 0) {
            int n = data.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new IOException("entry data ended " + left + " bytes early (member " + name + ")");
            }
            v.tar.write(buf, 0, n);
            for (MessageDigest d : digests) {
                d.update(buf, 0, n);
            }
            left -= n;
            progress.advance(n);
        }
        v.tar.closeArchiveEntry();
        if (length > 0) {
            segments.add(new Segment(v.name, offset, length));
        }
    }

    private void closeCurrent() throws IOException {
        if (current == null) {
            return;
        }
        Open v = current;
        current = null;
        v.tar.finish();
        v.tar.flush();
        v.counter.flush();
        long size = v.counter.count();
        if (size > capacity) {
            throw new IllegalStateException(v.name + " grew to " + size + " bytes, over " + capacity);
        }
        v.channel.force(true);
        v.tar.close();
        done.add(new Volume(v.name, size, Hex.lower(v.sha256.digest())));
    }

    /** Bytes the headers of a member take (ustar header plus any pax extended header), a multiple of 512. */
    private long headerSize(String name, long size) throws IOException {
        CountingOutputStream sink = new CountingOutputStream(OutputStream.nullOutputStream());
        @SuppressWarnings("resource") // nothing to release; closing would write end-of-archive records
        TarArchiveOutputStream probe = configure(new TarArchiveOutputStream(sink, RECORD));
        probe.putArchiveEntry(entry(name, size));
        return sink.count();
    }

    private TarArchiveEntry entry(String name, long size) {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(size);
        e.setMode(0100644);
        e.setModTime(mtime);
        e.setUserId(0);
        e.setGroupId(0);
        e.setUserName("");
        e.setGroupName("");
        return e;
    }

    private static TarArchiveOutputStream configure(TarArchiveOutputStream t) {
        t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        t.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        t.setAddPaxHeadersForNonAsciiNames(true);
        return t;
    }

    static String partName(String path, int part) {
        return path + String.format(".part%04d", part);
    }

    private static long padded(long n) {
        return (n + RECORD - 1) / RECORD * RECORD;
    }
}
