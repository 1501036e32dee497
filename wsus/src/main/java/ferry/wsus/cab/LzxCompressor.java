package ferry.wsus.cab;

import java.util.ArrayList;
import java.util.List;

/**
 * LZX compression as a Microsoft Cabinet folder carries it ([MS-CAB] 2.3 typeCompress LZX; bitstream as in
 * [MS-PATCH] 2 "LZXD", without its delta/reference-data extensions), with the 2 MiB window that real WSUS servers
 * use for {@code XmlUpdateBlobCompressed} (MS-WSUSSS 3.1.4.6.3.3; recorded cabinets have typeCompress 0x1503).
 *
 * <p>The output is one compressed chunk per 32 KiB of input, each ending on a 16-bit boundary ([MS-PATCH] 2.2.1:
 * the bitstream is padded with up to 15 zero bits after every 32 KiB), so chunk {@code i} becomes CFDATA block
 * {@code i}. The stream starts with the 1-bit E8-translation header, written as 0 (no translation; [MS-PATCH]
 * 2.2.2 "Header"). Every 128 KiB of input (four chunks; the last group shorter) is parsed by LZ77 with hash
 * chains, the three repeated offsets and one-step lazy matching, then written as whichever is smallest: one
 * verbatim block (type 1) or one aligned offset block (type 2) spanning the group's chunks, or one uncompressed
 * block (type 3) per chunk, so incompressible input grows by a few bytes per chunk only ([MS-PATCH] 2.3).
 * Matches never cross a chunk boundary: decoders (libmspack's among them) decode each chunk to exactly its
 * output size. Each uncompressed block starts its chunk, so its header is never already 16-bit aligned and
 * the 1..16 padding bits are unambiguous.
 */
final class LzxCompressor {

    /** Window size exponent: 2^21 bytes. */
    static final int WINDOW_BITS = 21;
    /** Uncompressed bytes per chunk (and per CFDATA block). */
    static final int CHUNK_SIZE = 32768;

    private static final int WINDOW_SIZE = 1 << WINDOW_BITS;
    /** [MS-PATCH] 2.1: 50 position slots for a 2^21 window. */
    private static final int POSITION_SLOTS = 50;
    private static final int MAIN_TREE_SIZE = 256 + 8 * POSITION_SLOTS;
    private static final int LENGTH_TREE_SIZE = 249;
    private static final int PRETREE_SIZE = 20;
    private static final int MAX_CODE_LENGTH = 16;
    /** Pretree lengths travel in 4 bits. */
    private static final int MAX_PRETREE_LENGTH = 15;
    private static final int MAX_MATCH = 257;
    /** Shortest match the parser emits (the format allows 2; a 2-byte match rarely beats two literals). */
    private static final int MIN_PARSE_MATCH = 3;
    /** [MS-PATCH] 2.1: the largest match offset is the window size minus 3. */
    private static final int MAX_OFFSET = WINDOW_SIZE - 3;
    private static final int ALIGNED_TREE_SIZE = 8;
    /** Aligned offset tree lengths travel in 3 bits. */
    private static final int MAX_ALIGNED_LENGTH = 7;
    private static final int BLOCK_VERBATIM = 1;
    private static final int BLOCK_ALIGNED = 2;
    /**
     * Uncompressed bytes per block: one set of trees serves this many chunks (a block may span chunks,
     * [MS-PATCH] 2.3.1); smaller blocks adapt their trees more often, larger ones send them less often.
     */
    private static final int BLOCK_SIZE = 4 * CHUNK_SIZE;
    private static final int BLOCK_UNCOMPRESSED = 3;

    /**
     * Hash table size exponent for the largest inputs (about two positions per bucket, so chains of random data
     * stay short); small inputs use a smaller table, cheaper to clear.
     */
    private static final int MAX_HASH_BITS = 20;
    /** Chain candidates examined per position: the speed/ratio trade-off (bench/lzx.sh). */
    private static final int MAX_CHAIN = 16;
    /** A match this long is taken at once, without looking for a better one one byte later. */
    private static final int NICE_LENGTH = 32;

    /** Position slot bases and footer bit counts ([MS-PATCH] 2.1, the position slot table). */
    private static final int[] POSITION_BASE = new int[POSITION_SLOTS];
    private static final int[] FOOTER_BITS = new int[POSITION_SLOTS];

    static {
        for (int s = 0; s < POSITION_SLOTS; s++) {
            FOOTER_BITS[s] = s < 4 ? 0 : s < 36 ? s / 2 - 1 : 17;
            POSITION_BASE[s] = s == 0 ? 0 : POSITION_BASE[s - 1] + (1 << FOOTER_BITS[s - 1]);
        }
    }

    private final byte[] data;
    private final int hashShift;
    private final int[] head;
    private final int[] prev;
    private final int chainMask;
    private int insertedUpTo;

    // repeated offsets R0..R2 ([MS-PATCH] 2.3.2.2: all start at 1)
    private int r0 = 1;
    private int r1 = 1;
    private int r2 = 1;
    // the previous block's tree lengths, against which the next trees are delta-coded (all 0 at the start)
    private int[] mainPrevious = new int[MAIN_TREE_SIZE];
    private int[] lengthPrevious = new int[LENGTH_TREE_SIZE];

    // tokens of the block being encoded (up to four chunks)
    private int tokenCount;
    private final int[] tokenMain;
    private final int[] tokenLength;
    private final int[] tokenFooter;
    private final List<Integer> blockTypes = new ArrayList<>();

    private LzxCompressor(byte[] data) {
        this.data = data;
        int chain = Integer.highestOneBit(Math.max(1, Math.min(data.length, WINDOW_SIZE)) - 1) << 1;
        chain = Math.max(chain, 1);
        this.prev = new int[chain];
        this.chainMask = chain - 1;
        int hashBits = Math.max(10, Math.min(MAX_HASH_BITS, 32 - Integer.numberOfLeadingZeros(data.length) - 1));
        this.hashShift = 32 - hashBits;
        this.head = new int[1 << hashBits];
        java.util.Arrays.fill(head, -1);
        int tokens = Math.max(1, Math.min(BLOCK_SIZE, data.length));
        tokenMain = new int[tokens];
        tokenLength = new int[tokens];
        tokenFooter = new int[tokens];
    }

    /**
     * The compressed stream.
     *
     * @param chunks     one per started 32 KiB of input (one holding only the stream header for empty input),
     *                   each at most 32 KiB + 24 bytes
     * @param blockTypes the type of each block written, in order (1 verbatim, 2 aligned offset, 3 uncompressed)
     */
    record Compressed(List<byte[]> chunks, List<Integer> blockTypes) {
    }

    /** Compresses {@code data} into LZX chunks. */
    static Compressed compress(byte[] data) {
        LzxCompressor c = new LzxCompressor(data);
        return new Compressed(c.run(), List.copyOf(c.blockTypes));
    }

    private List<byte[]> run() {
        List<byte[]> chunks = new ArrayList<>();
        if (data.length == 0) {
            LzxBitWriter w = new LzxBitWriter(2);
            w.bits(0, 1); // E8 translation header: off
            w.align();
            chunks.add(w.toByteArray());
            return chunks;
        }
        for (int start = 0; start < data.length; start += BLOCK_SIZE) {
            int end = Math.min(data.length, start + BLOCK_SIZE);
            int savedR0 = r0;
            int savedR1 = r1;
            int savedR2 = r2;
            int[] chunkEnds = new int[(end - start + CHUNK_SIZE - 1) / CHUNK_SIZE];
            tokenCount = 0;
            for (int c = 0; c < chunkEnds.length; c++) {
                parse(start + c * CHUNK_SIZE, Math.min(end, start + (c + 1) * CHUNK_SIZE));
                chunkEnds[c] = tokenCount;
            }
            boolean first = start == 0;
            Encoded verbatim = writeCompressed(first, end - start, chunkEnds, false);
            Encoded aligned = writeCompressed(first, end - start, chunkEnds, true);
            Encoded compressed = aligned.bits < verbatim.bits ? aligned : verbatim;
            Encoded stored = writeStored(first, start, end, savedR0, savedR1, savedR2);
            if (stored.bits < compressed.bits) {
                r0 = savedR0;
                r1 = savedR1;
                r2 = savedR2;
                chunks.addAll(stored.chunks);
                stored.chunks.forEach(chunk -> blockTypes.add(BLOCK_UNCOMPRESSED));
            } else {
                blockTypes.add(compressed == aligned ? BLOCK_ALIGNED : BLOCK_VERBATIM);
                mainPrevious = compressed.mainLengths;
                lengthPrevious = compressed.lengthLengths;
                chunks.addAll(compressed.chunks);
            }
        }
        return chunks;
    }

    /** One way of writing a block's chunks, its size in bits, and the tree lengths it transmitted. */
    private record Encoded(List<byte[]> chunks, long bits, int[] mainLengths, int[] lengthLengths) {
    }

    // ---- LZ77 parse -------------------------------------------------------------------------------------

    /** Appends the tokens of one chunk {@code [start, end)}; matches stay inside it. */
    private void parse(int start, int end) {
        int pos = start;
        long cur = best(pos, end);
        while (pos < end) {
            int len = length(cur);
            if (len == 0) {
                literal(pos);
                pos++;
                cur = best(pos, end);
                continue;
            }
            if (len < NICE_LENGTH && pos + 1 < end) {
                long next = best(pos + 1, end);
                if (gain(next) > gain(cur)) {
                    literal(pos);
                    pos++;
                    cur = next;
                    continue;
                }
            }
            match(len, offset(cur));
            pos += len;
            cur = best(pos, end);
        }
    }

    /**
     * The best match at {@code pos} not extending past {@code end}: a repeated offset (R0..R2) or the best
     * hash-chain candidate, whichever saves more estimated bits. Packed as length (high) and offset (low 32);
     * 0 when none is worth taking.
     */
    private long best(int pos, int end) {
        insertUpTo(pos);
        int limit = Math.min(MAX_MATCH, end - pos);
        if (limit < MIN_PARSE_MATCH) {
            return 0;
        }
        long bestPacked = 0;
        int bestGain = 0;
        int[] repeats = {r0, r1, r2};
        for (int r : repeats) {
            if (r <= pos) {
                int len = matchLength(pos - r, pos, limit);
                if (len >= MIN_PARSE_MATCH) {
                    int g = gain(len, r);
                    if (g > bestGain) {
                        bestGain = g;
                        bestPacked = pack(len, r);
                    }
                }
            }
        }
        if (pos + 3 >= data.length) {
            return bestPacked;
        }
        int candidate = head[hash(pos)];
        int chain = MAX_CHAIN;
        int bestLen = MIN_PARSE_MATCH - 1;
        while (candidate >= 0 && chain-- > 0) {
            int distance = pos - candidate;
            if (distance > MAX_OFFSET || distance > chainMask) {
                break;
            }
            if (data[candidate + bestLen] == data[pos + bestLen] && data[candidate] == data[pos]) {
                int len = matchLength(candidate, pos, limit);
                if (len > bestLen) {
                    bestLen = len;
                    int g = gain(len, distance);
                    if (g > bestGain) {
                        bestGain = g;
                        bestPacked = pack(len, distance);
                    }
                    if (len >= limit) {
                        break;
                    }
                }
            }
            candidate = prev[candidate & chainMask];
        }
        return bestPacked;
    }

    private int matchLength(int from, int pos, int limit) {
        int n = 0;
        while (n < limit && data[from + n] == data[pos + n]) {
            n++;
        }
        return n;
    }

    private void insertUpTo(int pos) {
        int last = Math.min(pos, data.length - 3);
        for (int p = insertedUpTo; p < last; p++) {
            int h = hash(p);
            prev[p & chainMask] = head[h];
            head[h] = p;
        }
        insertedUpTo = Math.max(insertedUpTo, last);
    }

    private int hash(int p) {
        // four bytes, not three: in UTF-16 text every other byte is mostly 0, so three bytes at an odd position
        // hold one character and their chains ran through every occurrence of it
        int v = (data[p] & 0xFF) << 24 | (data[p + 1] & 0xFF) << 16 | (data[p + 2] & 0xFF) << 8 | data[p + 3] & 0xFF;
        return v * 0x9E3779B1 >>> hashShift;
    }

    private int gain(long packed) {
        return length(packed) == 0 ? 0 : gain(length(packed), offset(packed));
    }

    /**
     * Rough bits saved by a match over literals: about 6 bits per byte of the (mostly UTF-16) text, minus the
     * main element and, for a new offset, its footer bits.
     */
    private int gain(int len, int offset) {
        boolean repeat = offset == r0 || offset == r1 || offset == r2;
        return repeat ? len * 6 - 8 : len * 6 - 10 - FOOTER_BITS[slot(offset + 2)];
    }

    private static long pack(int len, int offset) {
        return (long) len << 32 | offset & 0xFFFFFFFFL;
    }

    private static int length(long packed) {
        return (int) (packed >>> 32);
    }

    private static int offset(long packed) {
        return (int) packed;
    }

    // ---- tokens -----------------------------------------------------------------------------------------

    private void literal(int pos) {
        tokenMain[tokenCount] = data[pos] & 0xFF;
        tokenLength[tokenCount] = -1;
        tokenFooter[tokenCount] = 0;
        tokenCount++;
    }

    /**
     * A match as [MS-PATCH] 2.3.2.2 encodes it: the formatted offset is 0..2 for R0..R2, else offset + 2; the
     * main element is 256 + slot * 8 + min(length - 2, 7); lengths over 8 add a length-tree element.
     */
    private void match(int len, int offset) {
        int formatted;
        if (offset == r0) {
            formatted = 0;
        } else if (offset == r1) {
            formatted = 1;
            r1 = r0;
            r0 = offset;
        } else if (offset == r2) {
            formatted = 2;
            r2 = r0;
            r0 = offset;
        } else {
            formatted = offset + 2;
            r2 = r1;
            r1 = r0;
            r0 = offset;
        }
        int slot = slot(formatted);
        int header = Math.min(len - 2, 7);
        tokenMain[tokenCount] = 256 + slot * 8 + header;
        tokenLength[tokenCount] = header == 7 ? len - 9 : -1;
        tokenFooter[tokenCount] = formatted - POSITION_BASE[slot];
        tokenCount++;
    }

    /**
     * The position slot of a formatted offset: slots 4..35 come in pairs per power of two (the top two bits of
     * the offset select the slot); from slot 36 on every slot spans 2^17.
     */
    static int slot(int formatted) {
        if (formatted < 4) {
            return formatted;
        }
        int top = 31 - Integer.numberOfLeadingZeros(formatted);
        int slot = 2 * top + (formatted >>> top - 1 & 1);
        return slot < 36 ? slot : 36 + (formatted - POSITION_BASE[36] >>> 17);
    }

    static int positionBase(int slot) {
        return POSITION_BASE[slot];
    }

    // ---- blocks -----------------------------------------------------------------------------------------

    /** Block header ([MS-PATCH] 2.3.1): 3-bit type, then the 24-bit uncompressed size, high byte first. */
    private static void blockHeader(LzxBitWriter w, int type, int size) {
        w.bits(type, 3);
        w.bits(size >>> 16 & 0xFF, 8);
        w.bits(size >>> 8 & 0xFF, 8);
        w.bits(size & 0xFF, 8);
    }

    /**
     * A verbatim block ([MS-PATCH] 2.3.2.2) or an aligned offset block (2.3.2.3) holding all tokens parsed for the
     * block: header; for an aligned offset block the aligned offset tree's 8 lengths of 3 bits; the main tree's
     * first 256 lengths and its remaining lengths, then the length tree's lengths, each through its own pretree;
     * then the tokens, padded to 16 bits at each chunk end. In an aligned offset block a footer of 3 bits or more
     * sends its low 3 bits through the aligned offset tree (UTF-16 text makes offsets even, so that saves bits).
     */
    private Encoded writeCompressed(boolean first, int size, int[] chunkEnds, boolean alignedBlock) {
        int[] mainFreq = new int[MAIN_TREE_SIZE];
        int[] lengthFreq = new int[LENGTH_TREE_SIZE];
        int[] alignedFreq = new int[ALIGNED_TREE_SIZE];
        for (int i = 0; i < tokenCount; i++) {
            int m = tokenMain[i];
            mainFreq[m]++;
            if (tokenLength[i] >= 0) {
                lengthFreq[tokenLength[i]]++;
            }
            if (m >= 256 && FOOTER_BITS[(m - 256) >>> 3] >= 3) {
                alignedFreq[tokenFooter[i] & 7]++;
            }
        }
        int[] mainLengths = LzxHuffman.lengths(mainFreq, MAX_CODE_LENGTH);
        int[] lengthLengths = LzxHuffman.lengths(lengthFreq, MAX_CODE_LENGTH);
        int[] alignedLengths = LzxHuffman.lengths(alignedFreq, MAX_ALIGNED_LENGTH);
        int[] mainCodes = LzxHuffman.codes(mainLengths);
        int[] lengthCodes = LzxHuffman.codes(lengthLengths);
        int[] alignedCodes = LzxHuffman.codes(alignedLengths);

        LzxBitWriter w = new LzxBitWriter(size / 4);
        if (first) {
            w.bits(0, 1); // E8 translation header: off
        }
        blockHeader(w, alignedBlock ? BLOCK_ALIGNED : BLOCK_VERBATIM, size);
        if (alignedBlock) {
            for (int s = 0; s < ALIGNED_TREE_SIZE; s++) {
                w.bits(alignedLengths[s], 3);
            }
        }
        writeTreeLengths(w, mainLengths, mainPrevious, 0, 256);
        writeTreeLengths(w, mainLengths, mainPrevious, 256, MAIN_TREE_SIZE);
        writeTreeLengths(w, lengthLengths, lengthPrevious, 0, LENGTH_TREE_SIZE);
        int[] marks = new int[chunkEnds.length];
        int i = 0;
        for (int c = 0; c < chunkEnds.length; c++) {
            for (; i < chunkEnds[c]; i++) {
                int m = tokenMain[i];
                w.bits(mainCodes[m], mainLengths[m]);
                if (m < 256) {
                    continue;
                }
                int l = tokenLength[i];
                if (l >= 0) {
                    w.bits(lengthCodes[l], lengthLengths[l]);
                }
                int footerBits = FOOTER_BITS[(m - 256) >>> 3];
                int footer = tokenFooter[i];
                if (alignedBlock && footerBits >= 3) {
                    w.bits(footer >>> 3, footerBits - 3);
                    w.bits(alignedCodes[footer & 7], alignedLengths[footer & 7]);
                } else {
                    w.bits(footer, footerBits);
                }
            }
            w.align(); // [MS-PATCH] 2.2.1: realign after each 32 KiB of output
            marks[c] = w.byteLength();
        }
        return new Encoded(split(w.toByteArray(), marks), w.bitLength(), mainLengths, lengthLengths);
    }

    /**
     * One uncompressed block ([MS-PATCH] 2.3.2.1) per chunk: header, 1..16 bits of padding to a 16-bit boundary,
     * R0..R2 as 32-bit little-endian values (unchanged by such a block), the bytes, and one padding byte when
     * their count is odd.
     */
    private Encoded writeStored(boolean first, int start, int end, int rep0, int rep1, int rep2) {
        LzxBitWriter w = new LzxBitWriter(end - start + 32);
        if (first) {
            w.bits(0, 1); // E8 translation header: off
        }
        int[] marks = new int[(end - start + CHUNK_SIZE - 1) / CHUNK_SIZE];
        for (int c = 0; c < marks.length; c++) {
            int from = start + c * CHUNK_SIZE;
            int to = Math.min(end, from + CHUNK_SIZE);
            blockHeader(w, BLOCK_UNCOMPRESSED, to - from);
            if (w.aligned()) {
                w.bits(0, 16);
            } else {
                w.align();
            }
            w.int32le(rep0);
            w.int32le(rep1);
            w.int32le(rep2);
            w.bytes(data, from, to - from);
            if ((to - from) % 2 != 0) {
                w.bytes(new byte[1], 0, 1);
            }
            marks[c] = w.byteLength();
        }
        return new Encoded(split(w.toByteArray(), marks), w.bitLength(), null, null);
    }

    private static List<byte[]> split(byte[] stream, int[] marks) {
        List<byte[]> out = new ArrayList<>(marks.length);
        int from = 0;
        for (int mark : marks) {
            out.add(java.util.Arrays.copyOfRange(stream, from, mark));
            from = mark;
        }
        return out;
    }

    /**
     * Tree lengths {@code [from, to)} through a pretree ([MS-PATCH] 2.2.2, 2.3.2.2): 20 pretree lengths of 4 bits,
     * then per element a pretree code 0..16 meaning (previous - new) mod 17, or 17 (4 + 4-bit count zeros) or 18
     * (20 + 5-bit count zeros). Code 19 (a run of one value) is not used.
     */
    private static void writeTreeLengths(LzxBitWriter w, int[] lengths, int[] previous, int from, int to) {
        int[] codes = new int[to - from];
        int[] extra = new int[to - from];
        int n = 0;
        int[] freq = new int[PRETREE_SIZE];
        int i = from;
        while (i < to) {
            if (lengths[i] == 0) {
                int run = 1;
                while (i + run < to && lengths[i + run] == 0 && run < 51) {
                    run++;
                }
                if (run >= 20) {
                    codes[n] = 18;
                    extra[n++] = run - 20;
                    freq[18]++;
                    i += run;
                    continue;
                }
                if (run >= 4) {
                    codes[n] = 17;
                    extra[n++] = run - 4;
                    freq[17]++;
                    i += run;
                    continue;
                }
            }
            int delta = Math.floorMod(previous[i] - lengths[i], 17);
            codes[n] = delta;
            extra[n++] = 0;
            freq[delta]++;
            i++;
        }
        int[] preLengths = LzxHuffman.lengths(freq, MAX_PRETREE_LENGTH);
        int[] preCodes = LzxHuffman.codes(preLengths);
        for (int s = 0; s < PRETREE_SIZE; s++) {
            w.bits(preLengths[s], 4);
        }
        for (int k = 0; k < n; k++) {
            int c = codes[k];
            w.bits(preCodes[c], preLengths[c]);
            if (c == 17) {
                w.bits(extra[k], 4);
            } else if (c == 18) {
                w.bits(extra[k], 5);
            }
        }
    }
}
