package ferry.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestCodecTest {
    static final String SHA = "ab".repeat(32);
    static final String SHA1 = "cd".repeat(20);

    static Manifest sample() {
        Volume v1 = new Volume("volume-0001.tar", 65536, SHA);
        Volume v2 = new Volume("volume-0002.tar", 4096, SHA);
        Entry a = new Entry("wsus/metadata/x/1.xml", 100, SHA, SHA1, "application/xml",
                List.of(new Segment("volume-0001.tar", 512, 100)), Map.of("updateId", "x", "kind", "wsus-metadata"));
        Entry b = new Entry("wsus/content/AB/f.cab", 65000, SHA, SHA1, "application/vnd.ms-cab-compressed",
                List.of(new Segment("volume-0001.tar", 1536, 62976), new Segment("volume-0002.tar", 1024, 2024)), Map.of());
        return Manifest.of(TestData.header(), List.of(v1, v2), List.of(a, b));
    }

    @Test
    void roundTripIsByteExactAndCanonical() throws Exception {
        Manifest m = sample();
        byte[] bytes = ManifestCodec.write(m);
        assertEquals(m, ManifestCodec.read(bytes));
        assertArrayEquals(bytes, ManifestCodec.write(ManifestCodec.read(bytes)));
        String s = new String(bytes, StandardCharsets.UTF_8);
        assertTrue(s.startsWith("{\"baseSequence\":6,\"bundleId\":\"0f0e0d0c-0b0a-4908-8706-050403020100\",\"channel\":\"wsus-main\","
                + "\"createdAt\":\"2024-05-14T10:00:00Z\",\"entries\":[{\"mediaType\":\"application/xml\""), s);
        assertTrue(s.contains("\"source\":{\"kind\":\"wsus-metadata\",\"updateId\":\"x\"}"), s);
        assertTrue(s.endsWith("\"sequence\":7,\"volumes\":[{\"name\":\"volume-0001.tar\",\"sha256\":\"" + SHA
                + "\",\"size\":65536},{\"name\":\"volume-0002.tar\",\"sha256\":\"" + SHA + "\",\"size\":4096}]}"), s);
        assertTrue(!s.contains(" ") || s.contains("Windows 11"), "no insignificant whitespace");
    }

    @Test
    void errorsNameTheFieldPath() {
        String good = new String(ManifestCodec.write(sample()), StandardCharsets.UTF_8);
        assertField("entries[1].size", good.replace("\"size\":65000", "\"size\":\"65000\""));
        assertField("entries[0].surprise", good.replace("{\"mediaType\":\"application/xml\"",
                "{\"mediaType\":\"application/xml\",\"surprise\":1"));
        assertField("entries[0].path", good.replace("wsus/metadata/x/1.xml", "../x/1.xml"));
        assertField("entries[0].path", good.replace("wsus/metadata/x/1.xml", "/etc/passwd"));
        assertField("entries[0].path", good.replace("wsus/metadata/x/1.xml", "a\\\\b"));
        assertField("entries[0].path", good.replace("wsus/metadata/x/1.xml", "a\\u0000b"));
        assertField("entries[0].path", good.replace("wsus/metadata/x/1.xml", "C:x"));
        assertField("entries[1].segments[1].volume", good.replace("\"volume\":\"volume-0002.tar\"", "\"volume\":\"volume-0003.tar\""));
        assertField("volumes[1].name", good.replace("\"name\":\"volume-0002.tar\"", "\"name\":\"volume-0005.tar\""));
        assertField("createdAt", good.replace("2024-05-14T10:00:00Z", "2024-05-14T10:00:00+01:00"));
        assertField("bundleId", good.replace("0f0e0d0c-0b0a", "0F0E0D0C-0B0A"));
        assertField("channel", good.replace("wsus-main", "WSUS main"));
        assertField("sequence", good.replace("\"sequence\":7", "\"sequence\":7.0"));
        assertField("baseSequence", good.replace("\"baseSequence\":6", "\"baseSequence\":9"));
        assertField("entries[0].sha256", good.replaceFirst(SHA, SHA.toUpperCase()));
        assertField("producer.name", good.replace("\"name\":\"ferry\",", ""));
        assertField("entries[1].segments", good.replace("\"length\":2024", "\"length\":2023"));
        assertField("entries[1].segments", good.replace("\"offset\":1536", "\"offset\":512"));
        assertField("formatVersion", good.replace("\"formatVersion\":1", "\"formatVersion\":2"));
        assertField("(document)", good.replace(",", ", "));
        assertField("(document)", good + " ");
    }

    @Test
    void duplicateKeysAndSizeLimitAreRefused() {
        String good = new String(ManifestCodec.write(sample()), StandardCharsets.UTF_8);
        BundleFormatException e = assertThrows(BundleFormatException.class, () -> ManifestCodec.read(
                good.replace("\"channel\":\"wsus-main\"", "\"channel\":\"wsus-main\",\"channel\":\"other\"").getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("channel"), e.getMessage());
        byte[] huge = new byte[(int) Limits.MAX_MANIFEST_BYTES + 1];
        assertThrows(BundleFormatException.class, () -> ManifestCodec.read(huge));
    }

    @Test
    void checkCollectsAllProblems() {
        String good = new String(ManifestCodec.write(sample()), StandardCharsets.UTF_8);
        String bad = good.replace("wsus/metadata/x/1.xml", "../up").replace("\"size\":65000", "\"size\":-5")
                .replace("\"channel\":\"wsus-main\"", "\"channel\":7");
        ManifestCheck c = ManifestCodec.check(bad.getBytes(StandardCharsets.UTF_8));
        List<String> fields = c.problems().stream().map(BundleFormatException::field).toList();
        assertTrue(fields.containsAll(List.of("channel", "entries[0].path", "entries[1].size")), fields.toString());
    }

    @Test
    void selectionMayNotHoldFloats() {
        var sel = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("x", 1.5);
        assertThrows(IllegalArgumentException.class, () -> new ManifestHeader(java.util.UUID.randomUUID(), "c", 1, null,
                Instant.now(), null, new Producer("p", "1"), sel));
    }

    private static void assertField(String field, String json) {
        BundleFormatException e = assertThrows(BundleFormatException.class,
                () -> ManifestCodec.read(json.getBytes(StandardCharsets.UTF_8)), field);
        assertEquals(field, e.field(), e.getMessage());
    }
}
