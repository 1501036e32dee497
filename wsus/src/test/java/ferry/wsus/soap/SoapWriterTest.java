package ferry.wsus.soap;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SoapWriter#base64Element} writes exactly what the StAX path writes for the same base64 text. */
class SoapWriterTest {

    @Test
    void base64ElementIsByteForByteTheEscapedTextPathInMemoryAndStreamed() {
        Random random = new Random(7);
        for (int size : new int[]{0, 1, 2, 3, 4, 57, 58, 1000, 8191, 100_000}) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            for (SoapVersion v : SoapVersion.values()) {
                byte[] expected = message(v, null, (w, name, d) -> w.element(name, Base64.getEncoder().encodeToString(d)),
                        data);
                byte[] direct = message(v, null, SoapWriter::base64Element, data);
                assertArrayEquals(expected, direct, "in memory, " + size + " bytes, " + v);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                message(v, out, SoapWriter::base64Element, data);
                assertArrayEquals(expected, out.toByteArray(), "streamed, " + size + " bytes, " + v);
            }
        }
    }

    @Test
    void textEscapedBeforeTheBase64StaysBeforeIt() {
        byte[] data = {1, 2, 3, 4, 5};
        String xml = new String(message(SoapVersion.SOAP_11, null, SoapWriter::base64Element, data),
                java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(xml.contains("<Before>a &amp; b &lt;c&gt;</Before><Blob>AQIDBAU=</Blob><After>z</After>"), xml);
    }

    private static byte[] message(SoapVersion v, ByteArrayOutputStream out, BlobWriter blob, byte[] data) {
        SoapWriter w = new SoapWriter(v, true, out).operation("GetUpdateDataResponse", "http://example.invalid/ns");
        w.element("Before", "a & b <c>");
        blob.accept(w, "Blob", data);
        w.element("After", "z").end();
        if (out == null) {
            return w.finish();
        }
        w.finishStream();
        return null;
    }

    @FunctionalInterface
    private interface BlobWriter {
        void accept(SoapWriter w, String name, byte[] data);
    }
}
