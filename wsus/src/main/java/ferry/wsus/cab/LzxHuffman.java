package ferry.wsus.cab;

import java.util.Arrays;

/**
 * Huffman code lengths and canonical codes as LZX transmits them ([MS-PATCH] 2.2.2): only the lengths travel;
 * codes are assigned shortest length first and, within a length, in increasing symbol order.
 */
final class LzxHuffman {

    private LzxHuffman() {
    }

    /**
     * Code lengths for the given symbol frequencies, none longer than {@code maxLength}. At least two symbols
     * always get a length (a dummy is added) so the code is complete: decoders refuse a lone one-bit code.
     */
    static int[] lengths(int[] frequencies, int maxLength) {
        int n = frequencies.length;
        int[] freq = frequencies.clone();
        int used = 0;
        for (int f : freq) {
            if (f > 0) {
                used++;
            }
        }
        for (int s = 0; used < 2 && s < n; s++) {
            if (freq[s] == 0) {
                freq[s] = 1;
                used++;
            }
        }
        while (true) {
            int[] lengths = unlimited(freq);
            int max = 0;
            for (int l : lengths) {
                max = Math.max(max, l);
            }
            if (max <= maxLength) {
                return lengths;
            }
            // flatten the distribution and try again; halving keeps every used symbol at frequency >= 1
            for (int s = 0; s < n; s++) {
                if (freq[s] > 0) {
                    freq[s] = (freq[s] + 1) >>> 1;
                }
            }
        }
    }

    /** Canonical codes for the lengths (0 = symbol unused). */
    static int[] codes(int[] lengths) {
        int max = 0;
        for (int l : lengths) {
            max = Math.max(max, l);
        }
        int[] count = new int[max + 2];
        for (int l : lengths) {
            if (l > 0) {
                count[l]++;
            }
        }
        int[] next = new int[max + 2];
        int code = 0;
        for (int len = 1; len <= max; len++) {
            next[len] = code;
            code = (code + count[len]) << 1;
        }
        int[] codes = new int[lengths.length];
        for (int s = 0; s < lengths.length; s++) {
            if (lengths[s] > 0) {
                codes[s] = next[lengths[s]]++;
            }
        }
        return codes;
    }

    /** Plain Huffman construction (two-queue method over symbols sorted by frequency). */
    private static int[] unlimited(int[] freq) {
        int n = freq.length;
        long[] keyed = new long[n];
        int used = 0;
        for (int s = 0; s < n; s++) {
            if (freq[s] > 0) {
                keyed[used++] = (long) freq[s] << 32 | s;
            }
        }
        Arrays.sort(keyed, 0, used); // by frequency, then by symbol
        int[] order = new int[used];
        for (int i = 0; i < used; i++) {
            order[i] = (int) keyed[i];
        }
        // nodes 0..used-1 are leaves (in sorted order), used.. are internal
        long[] weight = new long[2 * used];
        int[] parent = new int[2 * used];
        for (int i = 0; i < used; i++) {
            weight[i] = freq[order[i]];
        }
        int leaf = 0;
        int internalHead = used;
        int internalTail = used;
        for (int k = 0; k < used - 1; k++) {
            int a = pick(weight, leaf, used, internalHead, internalTail);
            if (a < used) {
                leaf++;
            } else {
                internalHead++;
            }
            int b = pick(weight, leaf, used, internalHead, internalTail);
            if (b < used) {
                leaf++;
            } else {
                internalHead++;
            }
            weight[internalTail] = weight[a] + weight[b];
            parent[a] = internalTail;
            parent[b] = internalTail;
            internalTail++;
        }
        int root = internalTail - 1;
        int[] depth = new int[2 * used];
        for (int node = root - 1; node >= 0; node--) {
            depth[node] = depth[parent[node]] + 1;
        }
        int[] lengths = new int[n];
        for (int i = 0; i < used; i++) {
            lengths[order[i]] = depth[i];
        }
        return lengths;
    }

    private static int pick(long[] weight, int leaf, int leaves, int internalHead, int internalTail) {
        if (leaf < leaves && (internalHead >= internalTail || weight[leaf] <= weight[internalHead])) {
            return leaf;
        }
        return internalHead;
    }
}
