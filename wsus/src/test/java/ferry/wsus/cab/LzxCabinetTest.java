package ferry.wsus.cab;

import ferry.wsus.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every cabinet the LZX writer makes is decoded by two independent decoders, the CabParser path of
 * {@link CabBlob#decode} and the real cabextract (libmspack), and must give back exactly the input.
 */
class LzxCabinetTest {

    @TempDir
    Path tmp;

    @BeforeEach
    void needsCabextract() {
        Cabextract.assumeInstalled();
    }

    @Test
    void realDocumentsRoundTripThroughBothDecodersInTheRealServersShape() throws Exception {
        for (String name : Fixtures.DOC_NAMES) {
            String xml = Fixtures.doc(name);
            byte[] cab = CabBlob.encode(xml);
            CabLayout layout = CabLayout.inspect(cab);
            assertEquals(CabLayout.LZX, layout.compression(), name);
            assertEquals(21, layout.lzxWindowBits(), name);
            assertEquals("blob", layout.fileName(), name);
            assertEquals(xml, CabBlob.decode(cab), name);
            assertArrayEquals(xml.getBytes(StandardCharsets.UTF_16LE), Cabextract.extract(cab, tmp), name);
        }
        // the 69,570-byte document: three chunks in one aligned offset block (UTF-16 makes offsets even)
        byte[] big = Fixtures.doc("a2fef9b0-7951-4c2c-a42b-9e351dd1c1fe-r200").getBytes(StandardCharsets.UTF_16LE);
        LzxCompressor.Compressed compressed = LzxCompressor.compress(big);
        assertEquals(3, compressed.chunks().size());
        assertEquals(java.util.List.of(2), compressed.blockTypes());
    }

    @Test
    void edgeSizes() throws Exception {
        for (int size : new int[] {0, 1, 2, 3, 32767, 32768, 32769, 65536, 65537}) {
            byte[] data = new byte[size];
            new Random(size).nextBytes(data);
            roundTrip(data, "random " + size);
            roundTrip(text(size, size), "text " + size);
        }
        assertEquals("", CabBlob.decode(CabBlob.encode("")));
    }

    @Test
    void incompressibleDataGrowsByAFewBytesPerChunk() throws Exception {
        byte[] data = new byte[200_000];
        new Random(1).nextBytes(data);
        byte[] cab = roundTrip(data, "incompressible");
        int chunks = (data.length + 32767) / 32768;
        assertEquals(java.util.Collections.nCopies(chunks, 3), LzxCompressor.compress(data).blockTypes());
        // uncompressed blocks: 27-bit header, padding, R0..R2 (12 bytes), the bytes; plus the cabinet's headers
        assertTrue(cab.length <= data.length + chunks * (8 + 18) + 65, "cabinet of " + cab.length + " bytes");
    }

    @Test
    void repetitiveDataCompressesToUnderOnePercent() throws Exception {
        byte[] data = "<a/>".repeat(1 << 18).getBytes(StandardCharsets.UTF_16LE); // 2 MiB
        byte[] cab = roundTrip(data, "repetitive");
        assertTrue(cab.length * 100L < data.length, "cabinet of " + cab.length + " bytes");
    }

    @Test
    void threeMebibyteDocumentBeyondTheWindowRoundTrips() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < 3 << 20; i++) {
            String doc = Fixtures.doc(Fixtures.DOC_NAMES[i % Fixtures.DOC_NAMES.length]);
            sb.append(doc.replace("UpdateID=\"", "UpdateID=\"" + i + "-"));
        }
        String xml = sb.substring(0, 3 << 20); // 3 Mi characters, 6 MiB of UTF-16: three times the window
        byte[] cab = CabBlob.encode(xml);
        assertEquals(192, CabLayout.inspect(cab).blockCount());
        assertTrue(cab.length * 10L < xml.length() * 2L, "cabinet of " + cab.length + " bytes");
        assertEquals(xml, CabBlob.decode(cab));
        assertArrayEquals(xml.getBytes(StandardCharsets.UTF_16LE), Cabextract.extract(cab, tmp));
    }

    @Test
    void matchAtTheLargestOffsetTheWindowAllows() throws Exception {
        int window = 1 << 21;
        byte[] data = new byte[window + 40_000];
        byte[] filler = text(window, 5); // UTF-16 text never contains a stretch of the random bytes below
        System.arraycopy(filler, 0, data, 0, window);
        byte[] head = new byte[40_003];
        new Random(3).nextBytes(head);
        System.arraycopy(head, 0, data, 0, head.length);
        byte[] unrelated = data.clone();
        new Random(4).nextBytes(head);
        System.arraycopy(head, 0, unrelated, window - 3, head.length);
        // in data the bytes at window - 3 repeat those at 0: only the largest legal offset (window - 3) finds them
        System.arraycopy(data, 0, data, window - 3, head.length);
        byte[] cab = roundTrip(data, "largest offset");
        byte[] without = CabWriter.lzx("blob", unrelated);
        assertTrue(cab.length < without.length - 30_000,
                "the far match was not used: " + cab.length + " bytes against " + without.length);
    }

    @Test
    void seededRandomInputsOfManySizes() throws Exception {
        Random random = new Random(20261129);
        java.util.Set<Integer> blockTypes = new java.util.TreeSet<>();
        for (int i = 0; i < 120; i++) {
            int size = switch (i % 4) {
                case 0 -> random.nextInt(300);
                case 1 -> 32768 * (1 + random.nextInt(8)) + random.nextInt(5) - 2;
                default -> random.nextInt(300_000);
            };
            byte[] data = mixed(size, random, i % 2 == 0);
            roundTrip(data, "case " + i + ", " + size + " bytes");
            blockTypes.addAll(LzxCompressor.compress(data).blockTypes());
        }
        assertEquals(java.util.Set.of(1, 2, 3), blockTypes, "verbatim, aligned offset and uncompressed blocks all tried");
    }

    @Test
    void everyFormattedOffsetFallsInItsPositionSlot() {
        for (int f = 0; f < 1 << 21; f++) { // formatted offsets go up to the largest offset + 2
            int slot = LzxCompressor.slot(f);
            assertTrue(LzxCompressor.positionBase(slot) <= f, "offset " + f);
            assertTrue(slot == 49 || f < LzxCompressor.positionBase(slot + 1), "offset " + f);
        }
        assertEquals(49, LzxCompressor.slot((1 << 21) - 1));
    }

    /**
     * Text, random runs and copies of earlier stretches at near, far and repeated distances, so literals, new
     * offsets, the three repeated offsets, long matches and matches at chunk ends all occur; with even distances
     * (as UTF-16 text has) aligned offset blocks win.
     */
    static byte[] mixed(int size, Random random, boolean evenDistances) {
        byte[] out = new byte[size];
        int pos = 0;
        int[] recent = {1, 2, 3};
        while (pos < size) {
            int kind = random.nextInt(5);
            int len = Math.min(size - pos, 1 + random.nextInt(kind == 0 ? 40 : 400));
            if (kind == 0 || pos == 0) {
                for (int k = 0; k < len; k++) {
                    out[pos + k] = (byte) random.nextInt(256);
                }
            } else if (kind == 1) {
                byte[] t = text(len, random.nextLong());
                System.arraycopy(t, 0, out, pos, len);
            } else {
                int distance = kind == 2 ? recent[random.nextInt(3)] : 1 + random.nextInt(pos);
                distance = Math.min(distance, pos);
                if (evenDistances && distance > 1) {
                    distance &= ~1; // as in UTF-16 text, where aligned offset blocks pay off
                }
                for (int k = 0; k < len; k++) {
                    out[pos + k] = out[pos + k - distance];
                }
                recent[random.nextInt(3)] = distance;
            }
            pos += len;
        }
        return out;
    }

    static byte[] text(int size, long seed) {
        Random random = new Random(seed);
        StringBuilder sb = new StringBuilder();
        while (sb.length() * 2 < size) {
            sb.append("<File Digest=\"").append(Integer.toHexString(random.nextInt())).append("\" Size=\"")
                    .append(random.nextInt(100000)).append("\"/>\r\n");
        }
        return Arrays.copyOf(sb.toString().getBytes(StandardCharsets.UTF_16LE), size);
    }

    private byte[] roundTrip(byte[] data, String what) throws Exception {
        byte[] cab = CabWriter.lzx("blob", data);
        CabLayout layout = CabLayout.inspect(cab);
        assertEquals(Math.max(1, (data.length + 32767) / 32768), layout.blockCount(), what);
        assertArrayEquals(data, CabBlob.decodeBytes(cab), what + " (CabParser)");
        assertArrayEquals(data, Cabextract.extract(cab, tmp), what + " (cabextract)");
        return cab;
    }
}
