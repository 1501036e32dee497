package ferry.wsus.cab;

import ferry.wsus.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CabBlobTest {

    @ParameterizedTest
    @ValueSource(strings = {"000013", "000014", "000016"})
    void realLzxBlobsDecodeToTheRecordedDocumentsExactly(String exchange) throws Exception {
        List<byte[]> blobs = Fixtures.compressedBlobs(exchange);
        assertEquals(1, blobs.size());
        assertEquals(3, CabLayout.inspect(blobs.get(0)).compression(), "real servers send LZX");
        assertEquals(21, CabLayout.inspect(blobs.get(0)).lzxWindowBits(), "2 MiB window, MS-WSUSSS 3.1.4.6.3.3");
        String decoded = CabBlob.decode(blobs.get(0));
        assertEquals(Fixtures.doc(Fixtures.firstId(exchange)), decoded);
    }

    @Test
    void encodeDecodeRoundTripsEveryRealDocument() throws Exception {
        for (String name : Fixtures.DOC_NAMES) {
            String xml = Fixtures.doc(name);
            byte[] cab = CabBlob.encode(xml);
            CabLayout layout = CabLayout.inspect(cab);
            assertEquals(CabLayout.LZX, layout.compression());
            assertEquals("blob", layout.fileName());
            assertEquals(xml.length() * 2, layout.uncompressedSize());
            assertEquals(xml, CabBlob.decode(cab), name);
        }
    }

    @Test
    void multiBlockLzxWithAwkwardCharactersRoundTrips() throws Exception {
        StringBuilder sb = new StringBuilder();
        Random random = new Random(42);
        while (sb.length() < 200_000) {
            sb.append("<x a=\"").append(random.nextInt()).append("\">\r\n\u00e9\u4e2d\ud83d\ude00</x>");
        }
        String text = sb.toString();
        byte[] cab = CabBlob.encode(text);
        assertTrue(CabLayout.inspect(cab).blockCount() > 10);
        assertEquals(text, CabBlob.decode(cab));
        assertEquals("", CabBlob.decode(CabBlob.encode("")));
    }

    @Test
    void checksumMatchesTheRealServersAndZeroChecksumsAreAccepted() throws Exception {
        for (String exchange : new String[] {"000013", "000014", "000016"}) {
            byte[] real = Fixtures.compressedBlobs(exchange).get(0);
            CabLayout layout = CabLayout.inspect(real);
            ByteBuffer b = ByteBuffer.wrap(real).order(ByteOrder.LITTLE_ENDIAN);
            int at = layout.firstBlockOffset();
            for (int i = 0; i < layout.blockCount(); i++) {
                assertEquals(b.getInt(at), CabChecksum.compute(real, at), exchange + " block " + i);
                at += 8 + Short.toUnsignedInt(b.getShort(at + 4));
            }
            byte[] zeroed = real.clone();
            le32(zeroed, layout.firstBlockOffset(), 0);
            assertEquals(Fixtures.doc(Fixtures.firstId(exchange)), CabBlob.decode(zeroed));
        }
    }

    @Test
    void encodingIsDeterministic() {
        String xml = Fixtures.doc(Fixtures.DOC_NAMES[5]);
        assertTrue(Arrays.equals(CabBlob.encode(xml), CabBlob.encode(xml)));
    }

    @Test
    void byteOrderMarkIsRemoved() throws Exception {
        assertEquals("<a/>", CabBlob.decode(CabBlob.encode("\uFEFF<a/>")));
    }

    @Test
    void hostileHeadersAreRefusedBeforeDecompression() {
        byte[] good = CabBlob.encode("<a>hello</a>");
        assertRefused(Arrays.copyOf(good, 10), "too short");
        byte[] sig = good.clone();
        sig[0] = 'X';
        assertRefused(sig, "signature");
        byte[] truncated = Arrays.copyOf(good, good.length - 1);
        assertRefused(truncated, "declares");
        byte[] folders = good.clone();
        le16(folders, 26, 2);
        assertRefused(folders, "folders");
        byte[] files = good.clone();
        le16(files, 28, 3);
        assertRefused(files, "files");
        byte[] huge = good.clone();
        le32(huge, 44, 1 << 30);
        assertRefused(huge, "limit");
        byte[] quantum = good.clone();
        le16(quantum, 42, 2);
        assertRefused(quantum, "compression type");
        byte[] lying = good.clone();
        le32(lying, 44, 100);
        assertRefused(lying, "declares");
        byte[] multi = good.clone();
        le16(multi, 30, 2);
        assertRefused(multi, "multi-volume");
        byte[] blockOverrun = good.clone();
        le16(blockOverrun, 65 + 4, 30000);
        assertRefused(blockOverrun, "block");
        assertRefused(null, "too short");
    }

    @Test
    void oddLengthOrInvalidUtf16IsRefused() {
        byte[] odd = CabWriter.lzx("blob", new byte[] {'<', 0, 'a'});
        assertRefused(odd, "odd length");
        byte[] loneSurrogate = CabWriter.lzx("blob", new byte[] {0x00, (byte) 0xD8, 'a', 0});
        assertRefused(loneSurrogate, "UTF-16");
    }

    @Test
    void corruptedRealCabinetsFailCleanlyAndQuickly() throws Exception {
        byte[] real = Fixtures.compressedBlobs("000013").get(0);
        int dataStart = 65 + 8;
        Random random = new Random(7);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < 300; i++) {
                byte[] bad = real.clone();
                int flips = 1 + random.nextInt(8);
                for (int f = 0; f < flips; f++) {
                    int at = dataStart + random.nextInt(bad.length - dataStart);
                    bad[at] ^= (byte) (1 << random.nextInt(8));
                }
                try {
                    String s = CabBlob.decode(bad);
                    assertEquals(real.length, bad.length);
                    assertTrue(s.length() <= 34785);
                } catch (CabException expected) {
                    // fine: refused with a checked, explained error
                }
            }
        });
    }

    @Test
    void corruptedLzxIsRefused() throws Exception {
        byte[] cab = CabBlob.encode("<a>" + "x".repeat(5000) + "</a>");
        int block = CabLayout.inspect(cab).firstBlockOffset();
        byte[] flipped = cab.clone();
        flipped[block + 8 + 20] ^= 0x10; // the stored checksum no longer matches
        assertThrows(CabException.class, () -> CabBlob.decode(flipped));
        byte[] badType = cab.clone();
        badType[block + 8 + 1] &= (byte) ~0x70; // block type 0, invalid; checksum made to match
        le32(badType, block, CabChecksum.compute(badType, block));
        assertThrows(CabException.class, () -> CabBlob.decode(badType));
    }

    private static void assertRefused(byte[] cab, String messagePart) {
        CabException e = assertThrows(CabException.class, () -> CabBlob.decode(cab));
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }

    private static void le16(byte[] b, int at, int v) {
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(at, (short) v);
    }

    private static void le32(byte[] b, int at, int v) {
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, v);
    }

    @SuppressWarnings("unused")
    private static String utf16(byte[] b) {
        return new String(b, StandardCharsets.UTF_16LE);
    }
}
