package ferry.wsus.cab;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The CFDATA checksum of [MS-CAB] 2.5: XOR of the block's data taken as little-endian 32-bit words (a trailing
 * 1..3 bytes folded in most-significant first), continued over the 4 bytes of {@code cbData} and
 * {@code cbUncomp}. A stored value of 0 means "not computed".
 */
final class CabChecksum {

    private CabChecksum() {
    }

    static int compute(byte[] cab, int blockOffset) {
        ByteBuffer b = ByteBuffer.wrap(cab).order(ByteOrder.LITTLE_ENDIAN);
        int cbData = Short.toUnsignedInt(b.getShort(blockOffset + 4));
        int sum = fold(cab, blockOffset + CabLayout.DATA_HEADER_SIZE, cbData, 0);
        return fold(cab, blockOffset + 4, 4, sum);
    }

    /**
     * Writes the checksum into every block whose stored checksum is 0, so decoders that insist on one accept
     * cabinets whose writer left it out.
     */
    static void fillMissing(byte[] cab, int firstBlockOffset, int blocks) {
        ByteBuffer b = ByteBuffer.wrap(cab).order(ByteOrder.LITTLE_ENDIAN);
        int at = firstBlockOffset;
        for (int i = 0; i < blocks; i++) {
            if (b.getInt(at) == 0) {
                b.putInt(at, compute(cab, at));
            }
            at += CabLayout.DATA_HEADER_SIZE + Short.toUnsignedInt(b.getShort(at + 4));
        }
    }

    private static int fold(byte[] data, int offset, int length, int seed) {
        int sum = seed;
        int i = offset;
        int words = length / 4;
        for (int w = 0; w < words; w++, i += 4) {
            sum ^= (data[i] & 0xFF) | (data[i + 1] & 0xFF) << 8 | (data[i + 2] & 0xFF) << 16 | (data[i + 3] & 0xFF) << 24;
        }
        int tail = 0;
        switch (length % 4) {
            case 3 -> tail = (data[i] & 0xFF) << 16 | (data[i + 1] & 0xFF) << 8 | (data[i + 2] & 0xFF);
            case 2 -> tail = (data[i] & 0xFF) << 8 | (data[i + 1] & 0xFF);
            case 1 -> tail = data[i] & 0xFF;
            default -> { }
        }
        return sum ^ tail;
    }
}
