package ferry.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The published JSON Schema ({@code docs/manifest.schema.json}, draft 2020-12) agrees with the parser: manifests
 * ferry's writer produces and the specification's example are valid against it, and manifests the parser refuses
 * for a rule the schema can express are invalid against it too. Validated with networknt's json-schema-validator,
 * an implementation independent of ferry.
 */
class ManifestSchemaTest {
    private static final Path SCHEMA = Path.of("..", "docs", "manifest.schema.json");
    private static final Path SPEC = Path.of("..", "docs", "bundle-format.md");

    private static Schema schema;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadSchema() throws IOException {
        String text = Files.readString(SCHEMA);
        // the schema must itself be a valid draft 2020-12 schema
        Schema meta = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(com.networknt.schema.SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        assertEquals(List.of(), meta.validate(text, InputFormat.JSON), "the schema against the 2020-12 meta-schema");
        schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(text, InputFormat.JSON);
    }

    private static List<com.networknt.schema.Error> errors(String json) {
        return schema.validate(json, InputFormat.JSON);
    }

    private static void assertValid(String json, String what) {
        assertTrue(ManifestCodec.check(json.getBytes(StandardCharsets.UTF_8)).ok(), what + " is accepted by the parser");
        assertEquals(List.of(), errors(json), what + " against the schema");
    }

    @Test
    void manifestsTheWriterProducesAreValid() throws IOException {
        TestData.smallBundle(dir.resolve("multi-volume"));
        VolumeFuzzTest.writeBundle(dir.resolve("one-volume"));
        for (String b : List.of("multi-volume", "one-volume")) {
            assertValid(Files.readString(dir.resolve(b).resolve(BundleLayout.MANIFEST)), b);
        }
        assertValid(new String(ManifestCodec.write(ManifestCodecTest.sample()), StandardCharsets.UTF_8), "sample");
        Manifest reset = ChannelResetCodecTest.manifest(new ChannelReset(Long.MAX_VALUE,
                java.util.UUID.fromString("99999999-8888-4777-8666-555555555555")), null);
        String resetJson = new String(ManifestCodec.write(reset), StandardCharsets.UTF_8);
        assertValid(resetJson, "a channel reset");
        assertFalse(errors(resetJson.replace("\"channelReset\"", "\"baseSequence\":2,\"channelReset\"")).isEmpty(),
                "a channel reset with a base sequence is refused by the schema too");
        assertFalse(errors(resetJson.replace("\"fromSequence\":", "\"x\":1,\"fromSequence\":")).isEmpty(),
                "an unknown field in channelReset is refused");
    }

    @Test
    void specificationExampleIsValid() throws IOException {
        String md = Files.readString(SPEC);
        int start = md.indexOf("```json\n", md.indexOf("## 10. Example")) + "```json\n".length();
        String indented = md.substring(start, md.indexOf("```", start));
        ObjectMapper mapper = new ObjectMapper();
        JsonNode tree = mapper.readTree(indented);
        assertEquals(List.of(), errors(indented), "the example as shown");
        assertValid(new String(CanonicalJson.write(tree), StandardCharsets.UTF_8), "the example in canonical form");
    }

    @Test
    void manifestsTheParserRefusesAreInvalid() throws IOException {
        String good = new String(ManifestCodec.write(ManifestCodecTest.sample()), StandardCharsets.UTF_8);
        Manifest full = ManifestCodecTest.sample();
        assertValid(good, "the unchanged manifest");
        Map<String, String[]> cases = new LinkedHashMap<>();
        cases.put("unknown top-level field", new String[] {"\"volumes\":", "\"surplus\":1,\"volumes\":"});
        cases.put("unknown entry field", new String[] {"\"mediaType\":\"application/xml\"",
                "\"extra\":\"x\",\"mediaType\":\"application/xml\""});
        cases.put("format version 2", new String[] {"\"formatVersion\":1", "\"formatVersion\":2"});
        cases.put("upper-case bundle id", new String[] {"0f0e0d0c-0b0a", "0F0E0D0C-0B0A"});
        cases.put("channel with upper case", new String[] {"\"wsus-main\"", "\"Wsus-main\""});
        cases.put("sequence 0", new String[] {"\"sequence\":7", "\"sequence\":0"});
        cases.put("sequence above 2^63-1", new String[] {"\"sequence\":7", "\"sequence\":9223372036854775808"});
        cases.put("null base sequence", new String[] {"\"baseSequence\":6", "\"baseSequence\":null"});
        cases.put("time with offset", new String[] {"\"createdAt\":\"2024-05-14T10:00:00Z\"",
                "\"createdAt\":\"2024-05-14T10:00:00+00:00\""});
        cases.put("time in month 13", new String[] {"\"createdAt\":\"2024-05-14T10:00:00Z\"",
                "\"createdAt\":\"2024-13-14T10:00:00Z\""});
        cases.put("empty producer name", new String[] {"\"name\":\"ferry\"", "\"name\":\"\""});
        cases.put("producer with control character", new String[] {"\"name\":\"ferry\"", "\"name\":\"fe\\u0007rry\""});
        cases.put("missing entries", new String[] {",\"entries\":[", ",\"zzz\":["});
        cases.put("floating-point number in the selection", new String[] {"\"languages\":\"en\"", "\"languages\":1.5"});
        cases.put("selection nested 32 deep", new String[] {"\"languages\":\"en\"",
                "\"languages\":" + "[".repeat(31) + "]".repeat(31)});
        cases.put("short sha256", new String[] {"\"sha256\":\"" + "ab".repeat(32), "\"sha256\":\"" + "ab".repeat(31) + "a"});
        cases.put("upper-case sha1", new String[] {"cd".repeat(20), "CD".repeat(20)});
        cases.put("path with ..", new String[] {"\"wsus/metadata/x/1.xml\"", "\"wsus/../x/1.xml\""});
        cases.put("absolute path", new String[] {"\"wsus/metadata/x/1.xml\"", "\"/wsus/metadata/x/1.xml\""});
        cases.put("path with backslash", new String[] {"\"wsus/metadata/x/1.xml\"", "\"wsus\\\\metadata\\\\1.xml\""});
        cases.put("path with colon", new String[] {"\"wsus/metadata/x/1.xml\"", "\"c:/1.xml\""});
        cases.put("path with trailing slash", new String[] {"\"wsus/metadata/x/1.xml\"", "\"wsus/metadata/x/\""});
        cases.put("media type with upper case", new String[] {"\"application/xml\"", "\"Application/xml\""});
        cases.put("volume size not a multiple of 512", new String[] {"\"size\":4096", "\"size\":4000"});
        cases.put("volume smaller than 1024", new String[] {"\"size\":4096", "\"size\":512"});
        cases.put("volume name with five digits for 2", new String[] {"\"name\":\"volume-0002.tar\"",
                "\"name\":\"volume-00002.tar\""});
        cases.put("segment offset not a multiple of 512", new String[] {"\"offset\":1024", "\"offset\":1030"});
        cases.put("segment offset 0", new String[] {"\"offset\":512", "\"offset\":0"});
        cases.put("segment of length 0", new String[] {"\"length\":100", "\"length\":0"});
        cases.put("source key with a space", new String[] {"\"kind\":\"wsus-metadata\"", "\"k ind\":\"wsus-metadata\""});
        cases.put("source value not a string", new String[] {"\"kind\":\"wsus-metadata\"", "\"kind\":1"});
        cases.put("content without segments", new String[] {
                "[{\"length\":100,\"offset\":512,\"volume\":\"volume-0001.tar\"}]", "[]"});
        for (var c : cases.entrySet()) {
            String bad = good.replace(c.getValue()[0], c.getValue()[1]);
            assertNotEquals(good, bad, c.getKey() + ": the replacement must change the manifest");
            assertFalse(ManifestCodec.check(bad.getBytes(StandardCharsets.UTF_8)).ok(), c.getKey() + ": parser");
            assertFalse(errors(bad).isEmpty(), c.getKey() + ": the schema must refuse what the parser refuses");
        }
        assertEquals(full, ManifestCodecTest.sample());
    }

    @Test
    void selectionNested31DeepIsValid() {
        String good = new String(ManifestCodec.write(ManifestCodecTest.sample()), StandardCharsets.UTF_8);
        String deep = good.replace("\"languages\":\"en\"", "\"languages\":" + "[".repeat(30) + "]".repeat(30));
        assertNotEquals(good, deep);
        assertValid(deep, "a selection nested 31 deep");
    }

    @Test
    void emptyFileIsValidOnlyWithoutSegments() throws IOException {
        TestData.smallBundle(dir.resolve("b"));
        String m = Files.readString(dir.resolve("b").resolve(BundleLayout.MANIFEST));
        assertTrue(m.contains("\"path\":\"empty.txt\",\"segments\":[]"), m);
        assertValid(m, "a manifest with an empty file");
    }
}
