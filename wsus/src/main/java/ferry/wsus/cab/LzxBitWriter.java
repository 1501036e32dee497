package ferry.wsus.cab;

import java.util.Arrays;

/**
 * The LZX bitstream ([MS-PATCH] 2.1, as used by [MS-CAB] LZX folders): bits are packed most-significant first
 * into 16-bit words, and each word is stored little-endian. Raw bytes (the R0..R2 fields and the data of an
 * uncompressed block) are written only at a 16-bit boundary and bypass the packing.
 */
final class LzxBitWriter {

    private byte[] out;
    private int size;
    private long pending;    // bits not yet forming a whole word, right-aligned
    private int pendingBits; // 0..15

    LzxBitWriter(int capacity) {
        out = new byte[Math.max(16, capacity)];
    }

    /** Writes the low {@code count} bits of {@code value}, most significant first; count 0..24. */
    void bits(int value, int count) {
        if (count == 0) {
            return;
        }
        pending = pending << count | value & (1L << count) - 1;
        pendingBits += count;
        while (pendingBits >= 16) {
            pendingBits -= 16;
            word((int) (pending >>> pendingBits) & 0xFFFF);
        }
        pending &= (1L << pendingBits) - 1;
    }

    /** Pads with 0..15 zero bits to the next 16-bit boundary (the chunk end rule of [MS-PATCH] 2.2.1). */
    void align() {
        if (pendingBits > 0) {
            bits(0, 16 - pendingBits);
        }
    }

    /** True when the next bit would start a new 16-bit word. */
    boolean aligned() {
        return pendingBits == 0;
    }

    /** Appends raw bytes; only valid when {@link #aligned()}. */
    void bytes(byte[] data, int offset, int length) {
        if (!aligned()) {
            throw new IllegalStateException("raw bytes must start on a 16-bit boundary");
        }
        ensure(length);
        System.arraycopy(data, offset, out, size, length);
        size += length;
    }

    /** Appends a 32-bit little-endian value as raw bytes; only valid when {@link #aligned()}. */
    void int32le(int value) {
        byte[] b = {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)};
        bytes(b, 0, 4);
    }

    /** Length in bytes written so far; the stream must be {@link #aligned()}. */
    int byteLength() {
        if (!aligned()) {
            throw new IllegalStateException("bitstream is not aligned to 16 bits");
        }
        return size;
    }

    /** Length in bits written so far. */
    long bitLength() {
        return size * 8L + pendingBits;
    }

    /** The bytes written; the stream must be {@link #aligned()}. */
    byte[] toByteArray() {
        if (!aligned()) {
            throw new IllegalStateException("bitstream is not aligned to 16 bits");
        }
        return Arrays.copyOf(out, size);
    }

    private void word(int w) {
        ensure(2);
        out[size++] = (byte) w;
        out[size++] = (byte) (w >>> 8);
    }

    private void ensure(int more) {
        if (size + more > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, size + more));
        }
    }
}
