package ferry.wsus.cab;

import dorkbox.cabParser.CabParser;
import dorkbox.cabParser.CabStreamSaver;
import dorkbox.cabParser.structure.CabFileEntry;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * {@code XmlUpdateBlobCompressed} (MS-WSUSSS 3.1.4.6.3.3): a Microsoft Cabinet holding one member, named
 * {@code blob} by real servers, whose bytes are the update metadata document in UTF-16LE.
 */
public final class CabBlob {

    /** Name of the single member in cabinets we write (as real servers do). */
    public static final String MEMBER_NAME = "blob";

    private CabBlob() {
    }

    /**
     * Decodes a blob cabinet. The structure is validated first (signature, {@code cbCabinet} equal to the length,
     * one folder, one file, block sizes adding up, declared size at most 64 MiB, compression MSZIP or LZX with a
     * window up to 2 MiB); only then is it decompressed (com.dorkbox CabParser, LZX and MSZIP).
     *
     * @param cab the cabinet bytes (base64-decoded {@code XmlUpdateBlobCompressed})
     * @return the member as text: UTF-16LE, a leading byte-order mark removed
     * @throws CabException if the cabinet is refused or does not decompress to its declared size
     */
    public static String decode(byte[] cab) throws CabException {
        return utf16le(decodeBytes(cab));
    }

    /**
     * Encodes text as real servers do: a cabinet with one folder compressed with LZX (2 MiB window) and one member
     * {@value #MEMBER_NAME} holding UTF-16LE without a byte-order mark. Deterministic: the same text always gives
     * the same bytes.
     *
     * @throws IllegalArgumentException if the text exceeds 32 Mi chars (64 MiB of UTF-16)
     */
    public static byte[] encode(String xml) {
        return CabWriter.lzx(MEMBER_NAME, xml.getBytes(StandardCharsets.UTF_16LE));
    }

    /**
     * The member's bytes of a validated blob cabinet, not interpreted as text.
     *
     * @throws CabException as {@link #decode(byte[])}
     */
    static byte[] decodeBytes(byte[] cab) throws CabException {
        CabLayout layout = CabLayout.inspect(cab);
        byte[] member = decompress(cab, layout);
        if (member.length != layout.uncompressedSize()) {
            throw new CabException("cabinet member decompressed to " + member.length + " bytes, declared "
                    + layout.uncompressedSize());
        }
        return member;
    }

    private static byte[] decompress(byte[] original, CabLayout layout) throws CabException {
        byte[] cab = original.clone();
        CabChecksum.fillMissing(cab, layout.firstBlockOffset(), layout.blockCount());
        BoundedOutput out = new BoundedOutput(layout.uncompressedSize());
        try {
            CabParser parser = new CabParser(new ByteArrayInputStream(cab), new CabStreamSaver() {
                @Override
                public OutputStream openOutputStream(CabFileEntry entry) {
                    return out;
                }

                @Override
                public void closeOutputStream(OutputStream stream, CabFileEntry entry) {
                }

                @Override
                public boolean saveReservedAreaData(byte[] data, int length) {
                    return false;
                }
            });
            parser.extractStream();
        } catch (IOException | dorkbox.cabParser.CabException e) {
            throw new CabException("cabinet does not decompress: " + e.getMessage(), e);
        } catch (RuntimeException | StackOverflowError e) {
            // the decompressor indexes tables with values from the stream; corrupt data surfaces as these
            throw new CabException("cabinet data is corrupt (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        }
        return out.toByteArray();
    }

    private static String utf16le(byte[] member) throws CabException {
        if (member.length % 2 != 0) {
            throw new CabException("cabinet member has an odd length (" + member.length + " bytes), not UTF-16");
        }
        CharsetDecoder decoder = StandardCharsets.UTF_16LE.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer chars;
        try {
            chars = decoder.decode(ByteBuffer.wrap(member));
        } catch (CharacterCodingException e) {
            throw new CabException("cabinet member is not valid UTF-16LE", e);
        }
        String text = chars.toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** Refuses to grow beyond the declared size, so a lying cabinet cannot make us buffer more. */
    private static final class BoundedOutput extends ByteArrayOutputStream {
        private final int limit;

        BoundedOutput(int limit) {
            super(Math.min(limit, 1 << 20));
            this.limit = limit;
        }

        @Override
        public synchronized void write(int b) {
            ensure(1);
            super.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            ensure(len);
            super.write(b, off, len);
        }

        private void ensure(int more) {
            if (count + (long) more > limit) {
                throw new IllegalStateException("cabinet member grows beyond its declared " + limit + " bytes");
            }
        }
    }
}
