package ferry.format.par2;

/**
 * The Galois field GF(2^16) of PAR 2.0 (specification, "Reed-Solomon coding"): elements are 16-bit words,
 * addition is XOR, multiplication is modulo the generator polynomial x^16 + x^12 + x^3 + x + 1 ({@code 0x1100B}).
 * Multiplication goes through log and antilog tables of the generator 2 (384 KiB, built once).
 */
final class Gf16 {
    private Gf16() { }

    /** The generator polynomial of PAR 2.0. */
    static final int POLYNOMIAL = 0x1100B;
    /** Order of the multiplicative group: 2^16 - 1. */
    static final int ORDER = 65535;

    private static final int[] LOG = new int[65536];
    /** Twice the group order long, so that {@code EXP[LOG[a] + LOG[b]]} needs no reduction. */
    private static final int[] EXP = new int[2 * ORDER];

    static {
        int x = 1;
        for (int i = 0; i < ORDER; i++) {
            EXP[i] = x;
            EXP[i + ORDER] = x;
            LOG[x] = i;
            x <<= 1;
            if ((x & 0x10000) != 0) {
                x ^= POLYNOMIAL;
            }
        }
    }

    /** a × b. */
    static int mul(int a, int b) {
        return a == 0 || b == 0 ? 0 : EXP[LOG[a] + LOG[b]];
    }

    /** a / b. @throws ArithmeticException if b is 0 */
    static int div(int a, int b) {
        if (b == 0) {
            throw new ArithmeticException("division by zero in GF(2^16)");
        }
        return a == 0 ? 0 : EXP[LOG[a] + ORDER - LOG[b]];
    }

    /** 2^n, for n &ge; 0. */
    static int exp(long n) {
        return EXP[(int) (n % ORDER)];
    }

    /** base^e, for e &ge; 0 (0^0 = 1). */
    static int pow(int base, long e) {
        if (e == 0) {
            return 1;
        }
        if (base == 0) {
            return 0;
        }
        return EXP[(int) (((long) LOG[base] * (e % ORDER)) % ORDER)];
    }

    /**
     * The constant of the {@code count} input slices, in recovery-set order (specification: "the input slices
     * are assigned constants 2^n where n is the i-th number with gcd(n, 65535) = 1", that is n not a multiple
     * of 3, 5, 17 or 257).
     *
     * @throws IllegalArgumentException for more input slices than there are such constants (32,768)
     */
    static int[] inputConstants(int count) {
        int[] c = new int[count];
        int n = 0;
        for (int i = 0; i < count; i++) {
            while (n % 3 == 0 || n % 5 == 0 || n % 17 == 0 || n % 257 == 0) {
                n++;
            }
            if (n >= ORDER) {
                throw new IllegalArgumentException("more input slices than PAR 2.0 has constants: " + count);
            }
            c[i] = EXP[n++];
        }
        return c;
    }

    /**
     * Product tables of one factor c: {@code c × w = table[w & 0xff] ^ table[256 + (w >>> 8)]} (multiplication
     * distributes over XOR), so a slice costs two loads and an XOR per word.
     */
    static int[] productTable(int c, int[] into) {
        // multiplication by c is linear over GF(2): 16 products of c by the powers of 2, the rest by XOR
        int[] basis = new int[16];
        int x = c;
        for (int k = 0; k < 16; k++) {
            basis[k] = x;
            x <<= 1;
            if ((x & 0x10000) != 0) {
                x ^= POLYNOMIAL;
            }
        }
        into[0] = 0;
        into[256] = 0;
        for (int b = 1; b < 256; b++) {
            int low = Integer.numberOfTrailingZeros(b);
            into[b] = into[b & (b - 1)] ^ basis[low];
            into[256 + b] = into[256 + (b & (b - 1))] ^ basis[8 + low];
        }
        return into;
    }

    /** acc[k] ^= c × words[k] for k &lt; n, through {@link #productTable}. */
    static void mulAdd(int[] table, char[] words, char[] acc, int n) {
        for (int k = 0; k < n; k++) {
            int w = words[k];
            acc[k] ^= (char) (table[w & 0xff] ^ table[256 + (w >>> 8)]);
        }
    }

    /**
     * Inverts a square matrix by Gauss-Jordan elimination.
     *
     * @return the inverse (a new array)
     * @throws ArithmeticException if the matrix is singular
     */
    static int[][] invert(int[][] m) {
        int n = m.length;
        int[][] a = new int[n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(m[i], 0, a[i], 0, n);
            a[i][n + i] = 1;
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            while (pivot < n && a[pivot][col] == 0) {
                pivot++;
            }
            if (pivot == n) {
                throw new ArithmeticException("singular matrix");
            }
            int[] t = a[pivot];
            a[pivot] = a[col];
            a[col] = t;
            int inv = div(1, a[col][col]);
            for (int k = 0; k < 2 * n; k++) {
                a[col][k] = mul(a[col][k], inv);
            }
            for (int r = 0; r < n; r++) {
                if (r != col && a[r][col] != 0) {
                    int f = a[r][col];
                    for (int k = 0; k < 2 * n; k++) {
                        a[r][k] ^= mul(f, a[col][k]);
                    }
                }
            }
        }
        int[][] out = new int[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], n, out[i], 0, n);
        }
        return out;
    }
}
