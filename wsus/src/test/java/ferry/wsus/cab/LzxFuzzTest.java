package ferry.wsus.cab;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Fuzzes the LZX cabinet writer: whatever the member bytes, the CabParser decoder must give them back exactly.
 * The first input byte repeats the rest up to 255 times (with a changing byte per copy), so inputs reach past
 * the 32 KiB chunk boundary. Seeds: {@code LzxFuzzTestInputs/roundTrip/}. The cabextract cross-check of the same
 * writer is in {@link LzxCabinetTest}.
 */
class LzxFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void roundTrip(byte[] input) throws Exception {
        byte[] data = input;
        if (input.length > 1) {
            int copies = 1 + (input[0] & 0xFF);
            byte[] body = Arrays.copyOfRange(input, 1, input.length);
            data = new byte[body.length * copies];
            for (int c = 0; c < copies; c++) {
                System.arraycopy(body, 0, data, c * body.length, body.length);
                data[c * body.length] ^= (byte) c;
            }
        }
        byte[] cab = CabWriter.lzx("blob", data);
        assertArrayEquals(data, CabBlob.decodeBytes(cab));
    }
}
