package ferry.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void sortsKeysByUtf16AndUsesMinimalEscapes() throws Exception {
        String in = "{ \"b\": [1, true, null], \"a\": {\"z\": \"\\u00e9\\n\\u0001\\\"\\\\/\", \"\\ud83d\\ude00\": 0, \"\\uff5e\": -3}, \"B\": \"x\" }";
        String out = new String(CanonicalJson.write(json.readTree(in)), StandardCharsets.UTF_8);
        // U+1F600 is a surrogate pair starting 0xD83D, which sorts before U+FF5E in UTF-16 order
        assertEquals("{\"B\":\"x\",\"a\":{\"z\":\"é\\n\\u0001\\\"\\\\/\",\"\ud83d\ude00\":0,\"\uff5e\":-3},\"b\":[1,true,null]}", out);
    }

    @Test
    void refusesFloats() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.write(json.readTree("{\"a\":1.0}")));
    }
}
