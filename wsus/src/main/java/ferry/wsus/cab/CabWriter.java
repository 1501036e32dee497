package ferry.wsus.cab;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes a one-folder, one-file LZX cabinet ([MS-CAB] 2: CFHEADER, one CFFOLDER, one CFFILE, then one CFDATA per
 * 32 KiB LZX chunk) in the shape real WSUS servers send: version 1.3, no reserve areas, typeCompress
 * {@code 0x1503} (LZX, 2^21 window), date, time and attributes 0, checksums computed. The output is a pure
 * function of the input.
 */
final class CabWriter {

    /** [MS-CAB] 2.1 typeCompress: tcompTYPE_LZX (3) with the window exponent in bits 8..12. */
    static final int TYPE_COMPRESS_LZX = CabLayout.LZX | LzxCompressor.WINDOW_BITS << 8;

    private CabWriter() {
    }

    /**
     * @param memberName the member's name (ASCII)
     * @param data       the member's bytes, at most {@link CabLayout#MAX_UNCOMPRESSED}
     * @return the cabinet
     * @throws IllegalArgumentException if the member is over the limit
     */
    static byte[] lzx(String memberName, byte[] data) {
        if (data.length > CabLayout.MAX_UNCOMPRESSED) {
            throw new IllegalArgumentException("member of " + data.length + " bytes exceeds "
                    + CabLayout.MAX_UNCOMPRESSED);
        }
        List<byte[]> chunks = LzxCompressor.compress(data).chunks();
        byte[] name = (memberName + "\0").getBytes(StandardCharsets.US_ASCII);
        int coffFiles = CabLayout.HEADER_SIZE + CabLayout.FOLDER_SIZE;
        int coffCabStart = coffFiles + CabLayout.FILE_FIXED_SIZE + name.length;
        int total = coffCabStart;
        for (byte[] chunk : chunks) {
            if (chunk.length > CabLayout.MAX_BLOCK_COMPRESSED) {
                // the uncompressed-block fallback bounds a chunk at 32 KiB + 24 bytes; guard the invariant anyway
                throw new IllegalStateException("LZX chunk grew to " + chunk.length + " bytes");
            }
            total += CabLayout.DATA_HEADER_SIZE + chunk.length;
        }

        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        // CFHEADER: signature, reserved1, cbCabinet, reserved2, coffFiles, reserved3, version 1.3, cFolders, cFiles
        b.put(new byte[] {'M', 'S', 'C', 'F'}).putInt(0).putInt(total).putInt(0).putInt(coffFiles).putInt(0);
        b.put((byte) 3).put((byte) 1).putShort((short) 1).putShort((short) 1);
        b.putShort((short) 0).putShort((short) 0).putShort((short) 0); // flags, setID, iCabinet
        // CFFOLDER: coffCabStart, cCFData, typeCompress
        b.putInt(coffCabStart).putShort((short) chunks.size()).putShort((short) TYPE_COMPRESS_LZX);
        // CFFILE: cbFile, uoffFolderStart, iFolder, date, time, attribs, name
        b.putInt(data.length).putInt(0).putShort((short) 0);
        b.putShort((short) 0).putShort((short) 0).putShort((short) 0);
        b.put(name);
        for (int i = 0; i < chunks.size(); i++) {
            byte[] chunk = chunks.get(i);
            int uncompressed = Math.min(LzxCompressor.CHUNK_SIZE, data.length - i * LzxCompressor.CHUNK_SIZE);
            int at = b.position();
            // CFDATA: csum, cbData, cbUncomp, data
            b.putInt(0).putShort((short) chunk.length).putShort((short) uncompressed).put(chunk);
            b.putInt(at, CabChecksum.compute(b.array(), at));
        }
        return b.array();
    }
}
