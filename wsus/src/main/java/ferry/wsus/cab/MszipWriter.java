package ferry.wsus.cab;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;

/**
 * Writes a one-folder, one-file MSZIP cabinet ([MS-CAB]; MSZIP per [MS-MCI]): each CFDATA block is the
 * {@code CK} signature followed by an independent raw deflate stream of at most 32 KiB of input. Blocks do not
 * refer to earlier blocks' history, which every MSZIP decoder accepts. Checksums are computed (some decoders
 * refuse the "not computed" 0 that [MS-CAB] allows); dates and attributes are 0 so the output is a pure function
 * of the input.
 */
final class MszipWriter {

    private MszipWriter() {
    }

    static byte[] write(String memberName, byte[] data) {
        if (data.length > CabLayout.MAX_UNCOMPRESSED) {
            throw new IllegalArgumentException("member of " + data.length + " bytes exceeds "
                    + CabLayout.MAX_UNCOMPRESSED);
        }
        List<byte[]> blocks = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            int offset = 0;
            do {
                int n = Math.min(CabLayout.MAX_BLOCK_UNCOMPRESSED, data.length - offset);
                blocks.add(deflateBlock(deflater, data, offset, n));
                sizes.add(n);
                offset += n;
            } while (offset < data.length);
        } finally {
            deflater.end();
        }

        byte[] name = (memberName + "\0").getBytes(StandardCharsets.US_ASCII);
        int coffFiles = CabLayout.HEADER_SIZE + CabLayout.FOLDER_SIZE;
        int coffCabStart = coffFiles + CabLayout.FILE_FIXED_SIZE + name.length;
        int total = coffCabStart;
        for (byte[] block : blocks) {
            total += CabLayout.DATA_HEADER_SIZE + block.length;
        }

        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {'M', 'S', 'C', 'F'}).putInt(0).putInt(total).putInt(0).putInt(coffFiles).putInt(0);
        b.put((byte) 3).put((byte) 1).putShort((short) 1).putShort((short) 1);
        b.putShort((short) 0).putShort((short) 0).putShort((short) 0); // flags, setID, iCabinet
        b.putInt(coffCabStart).putShort((short) blocks.size()).putShort((short) CabLayout.MSZIP);
        b.putInt(data.length).putInt(0).putShort((short) 0);
        b.putShort((short) 0).putShort((short) 0).putShort((short) 0); // date, time, attribs
        b.put(name);
        for (int i = 0; i < blocks.size(); i++) {
            byte[] block = blocks.get(i);
            int at = b.position();
            b.putInt(0).putShort((short) block.length).putShort((short) (int) sizes.get(i)).put(block);
            b.putInt(at, CabChecksum.compute(b.array(), at));
        }
        return b.array();
    }

    private static byte[] deflateBlock(Deflater deflater, byte[] data, int offset, int length) {
        deflater.reset();
        deflater.setInput(data, offset, length);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream(length / 2 + 64);
        out.write('C');
        out.write('K');
        byte[] buf = new byte[8192];
        while (!deflater.finished()) {
            int n = deflater.deflate(buf);
            out.write(buf, 0, n);
        }
        byte[] block = out.toByteArray();
        if (block.length > CabLayout.MAX_BLOCK_COMPRESSED) {
            // cannot happen with deflate's stored-block fallback; guard the format invariant anyway
            throw new IllegalStateException("MSZIP block grew to " + block.length + " bytes");
        }
        return Arrays.copyOf(block, block.length);
    }
}
