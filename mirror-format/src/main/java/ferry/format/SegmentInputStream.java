package ferry.format;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.function.Function;

/** Streams an entry's bytes from its segments, checking size, SHA-256 and SHA-1 at end of stream. */
final class SegmentInputStream extends InputStream {
    private final Entry entry;
    private final Function<String, Path> volumeFiles;
    private final MessageDigest sha256 = Digests.sha256();
    private final MessageDigest sha1 = Digests.sha1();
    private int segment = -1;
    private long leftInSegment;
    private SeekableByteChannel channel;
    private boolean checked;

    SegmentInputStream(Entry entry, Function<String, Path> volumeFiles) {
        this.entry = entry;
        this.volumeFiles = volumeFiles;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (leftInSegment == 0) {
            if (!nextSegment()) {
                checkEnd();
                return -1;
            }
        }
        int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, leftInSegment)));
        if (n < 0) {
            Segment s = entry.segments().get(segment);
            throw new EntryDigestException(entry.path(), "volume " + s.volume() + " is truncated (ends before offset "
                    + (s.offset() + s.length()) + ")");
        }
        sha256.update(b, off, n);
        sha1.update(b, off, n);
        leftInSegment -= n;
        return n;
    }

    private boolean nextSegment() throws IOException {
        closeChannel();
        if (segment + 1 >= entry.segments().size()) {
            return false;
        }
        Segment s = entry.segments().get(++segment);
        try {
            channel = Files.newByteChannel(volumeFiles.apply(s.volume()));
        } catch (NoSuchFileException e) {
            throw new EntryDigestException(entry.path(), "volume " + s.volume() + " is missing");
        }
        channel.position(s.offset());
        leftInSegment = s.length();
        return true;
    }

    private void checkEnd() throws EntryDigestException {
        if (checked) {
            return;
        }
        checked = true;
        byte[] got256 = sha256.digest();
        byte[] got1 = sha1.digest();
        if (!Arrays.equals(got256, java.util.HexFormat.of().parseHex(entry.sha256()))) {
            throw new EntryDigestException(entry.path(), "SHA-256 mismatch: content is damaged");
        }
        if (!Arrays.equals(got1, java.util.HexFormat.of().parseHex(entry.sha1()))) {
            throw new EntryDigestException(entry.path(), "SHA-1 mismatch: content is damaged");
        }
    }

    private void closeChannel() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    @Override
    public void close() throws IOException {
        closeChannel();
    }
}
