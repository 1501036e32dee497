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
