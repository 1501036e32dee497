package ferry.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The Jackson side of the manifest parser: types are not coerced, duplicate keys and unknown fields are refused at
 * every level, nulls and absent fields are told apart, the parser's limits hold, and each problem names its field
 * path while the other problems of the document are still collected.
 */
class ManifestStrictReadingTest {
    private static final String GOOD = new String(ManifestCodec.write(ManifestCodecTest.sample()), StandardCharsets.UTF_8);

    private static List<String> problems(String json) {
        ManifestCheck c = ManifestCodec.check(json.getBytes(StandardCharsets.UTF_8));
        if (!c.ok()) {
            assertNull(c.manifest());
        }
        return c.problems().stream().map(Throwable::getMessage).toList();
    }

    /** Replaces {@code from} (which must occur) and returns the problems of the result. */
    private static List<String> problems(String from, String to) {
        String bad = GOOD.replace(from, to);
        assertNotEquals(GOOD, bad, from);
        return problems(bad);
    }

    @Test
    void theSampleIsValid() {
        assertEquals(List.of(), problems(GOOD));
    }

    @Test
    void aNumberWhereAStringIsRequiredIsRefusedNamingTheField() {
        assertEquals(List.of("channel: must be a string, is an integer"), problems("\"wsus-main\"", "7"));
        assertEquals(List.of("entries[0].sha256: must be a string, is an integer"),
                problems("\"sha256\":\"" + ManifestCodecTest.SHA + "\",\"size\":100", "\"sha256\":5,\"size\":100"));
        assertEquals(List.of("entries[0].source.kind: must be a string, is an integer"),
                problems("\"kind\":\"wsus-metadata\"", "\"kind\":1"));
        assertEquals(List.of("producer.name: must be a string, is a boolean"),
                problems("\"name\":\"ferry\"", "\"name\":true"));
        assertEquals(List.of("bundleId: must be a string, is an object"),
                problems("\"0f0e0d0c-0b0a-4908-8706-050403020100\"", "{\"a\":[1]}"));
    }

    @Test
    void aStringOrAFractionWhereAnIntegerIsRequiredIsRefused() {
        assertEquals(List.of("sequence: must be an integer, is a string"), problems("\"sequence\":7", "\"sequence\":\"7\""));
        assertEquals(List.of("sequence: must be an integer, is a floating-point number"),
                problems("\"sequence\":7", "\"sequence\":7.0"));
        assertEquals(List.of("sequence: integer out of range"),
                problems("\"sequence\":7", "\"sequence\":9223372036854775808"));
        assertEquals(List.of("entries[0].segments[0].offset: must be an integer, is a boolean"),
                problems("\"offset\":512", "\"offset\":true"));
    }

    @Test
    void aDuplicateKeyIsRefusedAtItsField() {
        assertEquals(List.of("channel: malformed JSON: Duplicate field 'channel'"),
                problems("\"channel\":\"wsus-main\"", "\"channel\":\"wsus-main\",\"channel\":\"other\""));
        assertEquals(List.of("entries[0].source.kind: malformed JSON: Duplicate field 'kind'"),
                problems("\"kind\":\"wsus-metadata\"", "\"kind\":\"wsus-metadata\",\"kind\":\"x\""));
        List<String> inSelection = problems("\"languages\":\"en\"", "\"languages\":\"en\",\"languages\":\"de\"");
        assertEquals(List.of("selection.languages: malformed JSON: Duplicate field 'languages'"), inSelection);
    }

    @Test
    void anUnknownFieldIsRefusedAtEachLevel() {
        // before and after the known fields: Jackson binds records in two different ways depending on where it is
        assertEquals(List.of("aaa: unknown field"), problems("{\"baseSequence\"", "{\"aaa\":{\"x\":[1,{}]},\"baseSequence\""));
        assertEquals(List.of("zzz: unknown field"), problems(GOOD.substring(0, GOOD.length() - 1) + ",\"zzz\":null}"));
        assertEquals(List.of("producer.aaa: unknown field"), problems("\"name\":\"ferry\"", "\"aaa\":1,\"name\":\"ferry\""));
        assertEquals(List.of("volumes[1].zzz: unknown field"),
                problems("\"size\":4096}", "\"size\":4096,\"zzz\":[]}"));
        assertEquals(List.of("entries[0].aaa: unknown field"),
                problems("{\"mediaType\":\"application/xml\"", "{\"aaa\":1,\"mediaType\":\"application/xml\""));
        assertEquals(List.of("entries[1].zzz: unknown field"), problems("\"source\":{}}", "\"source\":{},\"zzz\":1}"));
        assertEquals(List.of("entries[0].segments[0].aaa: unknown field"),
                problems("{\"length\":100,", "{\"aaa\":\"x\",\"length\":100,"));
        Manifest reset = ChannelResetCodecTest.manifest(new ChannelReset(5,
                UUID.fromString("99999999-8888-4777-8666-555555555555")), null);
        String resetJson = new String(ManifestCodec.write(reset), StandardCharsets.UTF_8);
        assertEquals(List.of("channelReset.zzz: unknown field"),
                problems(resetJson.replace("\"fromSequence\":5", "\"fromSequence\":5,\"zzz\":1")));
    }

    @Test
    void nullIsRefusedAndAnAbsentFieldIsMissing() {
        assertEquals(List.of("baseSequence: must not be null (omit optional fields instead)"),
                problems("\"baseSequence\":6", "\"baseSequence\":null"));
        assertEquals(List.of("entries[1].segments[0]: must not be null (omit optional fields instead)"),
                problems("\"segments\":[{\"length\":62976", "\"segments\":[null,{\"length\":62976"));
        assertEquals(List.of("entries[0].sha1: missing required field"),
                problems("\"sha1\":\"" + ManifestCodecTest.SHA1 + "\",\"sha256\":\"" + ManifestCodecTest.SHA + "\",\"size\":100",
                        "\"sha256\":\"" + ManifestCodecTest.SHA + "\",\"size\":100"));
        assertEquals(List.of("(document): must be an object, is null"), problems("null"));
        assertEquals(List.of("(document): must be an object, is an array"), problems("[]"));
    }

    @Test
    void refusedValuesDoNotHideTheOtherProblems() {
        String bad = GOOD.replace("\"channel\":\"wsus-main\"", "\"channel\":7")
                .replace("{\"mediaType\":\"application/xml\"", "{\"aaa\":1,\"mediaType\":\"application/xml\"")
                .replace("\"offset\":1536", "\"offset\":\"1536\"")
                .replace("\"size\":4096", "\"size\":4000")
                .replace("wsus/metadata/x/1.xml", "../up");
        List<String> fields = ManifestCodec.check(bad.getBytes(StandardCharsets.UTF_8)).problems().stream()
                .map(BundleFormatException::field).sorted().toList();
        assertEquals(List.of("channel", "entries[0].aaa", "entries[0].path", "entries[1].segments[0].offset",
                "volumes[1].size"), fields);
    }

    @Test
    void aSelectionNestedDeeperThanTheLimitIsRefused() {
        String deep = "[".repeat(Limits.MAX_JSON_DEPTH - 1) + "]".repeat(Limits.MAX_JSON_DEPTH - 1);
        List<String> p = problems("\"languages\":\"en\"", "\"languages\":" + deep);
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("selection.languages"), p.get(0));
        assertTrue(p.get(0).contains("malformed JSON: Document nesting depth (33) exceeds the maximum allowed (32"), p.get(0));
    }

    @Test
    void anArrayLongerThanItsLimitIsRefusedAtTheArray() {
        // empty objects: the cheapest elements that Jackson binds without a problem of their own
        String segments = "\"segments\":[" + "{},".repeat(Limits.MAX_VOLUMES) + "{}]";
        List<String> p = problems("\"segments\":[{\"length\":100,\"offset\":512,\"volume\":\"volume-0001.tar\"}]",
                segments);
        assertEquals(List.of("entries[0].segments: more than 99999 elements"), p);
        List<String> atTheLimit = problems("\"segments\":[{\"length\":100,\"offset\":512,\"volume\":\"volume-0001.tar\"}]",
                "\"segments\":[" + "{},".repeat(Limits.MAX_VOLUMES - 1) + "{}]");
        assertEquals(Limits.MAX_REPORTED_FIELD_ERRORS + 1, atTheLimit.size(), "each element is read and checked");
        assertEquals("entries[0].segments[0].volume: missing required field", atTheLimit.get(0));
    }

    @Test
    void problemsAreBoundedAndTheReadStops() {
        StringBuilder bad = new StringBuilder(GOOD.substring(0, GOOD.length() - 1));
        for (int i = 0; i < 2 * Limits.MAX_REPORTED_FIELD_ERRORS; i++) {
            bad.append(",\"x").append(i).append("\":1");
        }
        List<String> p = problems(bad.append('}').toString());
        assertEquals(Limits.MAX_REPORTED_FIELD_ERRORS + 1, p.size());
        assertEquals("(document): too many problems; stopped reading", p.get(p.size() - 1));
    }
}
