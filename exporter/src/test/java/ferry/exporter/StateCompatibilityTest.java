package ferry.exporter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ferry.format.BundleReader;
import ferry.format.Manifest;
import ferry.format.Progress;
import ferry.wsus.UpdateIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static ferry.exporter.TestDocs.KB5000104;
import static org.junit.jupiter.api.Assertions.*;

/**
 * State files written by the exporter before source types had their own part (format 1, kept as written in
 * {@code src/test/resources/state-v1/}) still continue their channel: the next sequence number, a base on the
 * recorded bundle, only what changed, a burned reservation kept burned.
 */
class StateCompatibilityTest {

    /** The upstream the format-1 files were written against (a port of a fixture long gone). */
    private static final String OLD_UPSTREAM = "http://127.0.0.1:41697/";

    @TempDir
    Path tmp;
    Fixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = Fixture.contoso(tmp);
        Files.createDirectories(tmp.resolve("state"));
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    @Test
    void format1StateContinuesTheChannelWithOnlyWhatChanged() throws Exception {
        byte[] old = install("files/state.json", "state.json");

        ExportResult same = ExportJob.run(fx.options("b2").build(), Progress.NONE);
        assertFalse(same.bundleWritten(), "every revision and file the old state records is known as exported");
        assertEquals(0, Fixture.wsus(same).revisions().added());
        assertEquals(0, fx.content.requests.get(), "no file downloaded again");
        assertTrue(same.warnings().stream().anyMatch(w -> w.contains(OLD_UPSTREAM)),
                "the old state's upstream is read: " + same.warnings());
        assertArrayEquals(old, Files.readAllBytes(tmp.resolve("state/state.json")), "state untouched");

        TestFiles.Generated kb104 = fx.addKb5000104();
        ExportResult next = ExportJob.run(fx.options("b3").build(), Progress.NONE);
        assertTrue(next.bundleWritten());
        assertEquals(2L, next.sequence());
        assertEquals(1L, next.baseSequence());
        Manifest m = BundleReader.open(tmp.resolve("b3")).manifest();
        assertEquals(2L, m.sequence());
        assertEquals(1L, m.baseSequence());
        assertEquals(Set.of(Fixture.metadataPath(new UpdateIdentity(KB5000104, 100)), Fixture.contentPath(kb104)),
                Fixture.read(tmp.resolve("b3")).keySet());
        assertEquals(1, fx.content.requests.get(), "only the new file is downloaded");

        JsonNode now = json(tmp.resolve("state/state.json"));
        assertEquals(ExportState.FORMAT_VERSION, now.get("formatVersion").asInt(), "recorded in the current format");
        assertEquals("wsus", now.get("source").asText());
        assertEquals(2, now.get("lastSequence").asLong());
        JsonNode before = json(resource("files/state.json"));
        List<String> revisions = texts(now.get("sourceState").get("exportedRevisions"));
        assertTrue(revisions.containsAll(texts(before.get("exportedRevisions"))));
        assertTrue(revisions.contains(KB5000104 + "-r100"));
        assertEquals(before.get("exportedRevisions").size() + 1, revisions.size());
        assertEquals(before.get("products"), now.get("sourceState").get("products"));

        assertFalse(ExportJob.run(fx.options("b4").build(), Progress.NONE).bundleWritten(),
                "the upgraded state continues too");
    }

    @Test
    void format2StateContinuesAndIsRecordedInFormat3WithTheConfigAnchor() throws Exception {
        Path state = tmp.resolve("state/state.json");
        Files.copy(Path.of(StateCompatibilityTest.class.getResource("/state-v2/files/state.json").toURI()), state);
        assertFalse(ExportJob.run(fx.options("b2").build(), Progress.NONE).bundleWritten(),
                "every revision and file the format-2 state records is known as exported");

        fx.addKb5000104();
        ExportResult next = ExportJob.run(fx.options("b3").build(), Progress.NONE);
        assertEquals(2L, next.sequence());
        assertEquals(1L, next.baseSequence());
        JsonNode now = json(state);
        assertEquals(3, now.get("formatVersion").asInt());
        assertEquals(ExportState.FORMAT_VERSION, now.get("formatVersion").asInt());
        assertTrue(now.get("sourceState").get("configAnchor").asText().matches("\\d+,\\d{4}-.*"),
                "the upstream's NewConfigAnchor is kept: " + now.get("sourceState"));
        assertEquals(fx.catalog.anchor(), now.get("sourceState").get("upstreamAnchor").asText());
    }

    @Test
    void format1MetadataOnlyStateStillOwesItsFiles() throws Exception {
        install("metadata-only/state.json", "state.json");

        ExportResult r = ExportJob.run(fx.options("b2").build(), Progress.NONE);
        assertTrue(r.bundleWritten());
        assertEquals(2L, r.sequence());
        assertEquals(1L, r.baseSequence());
        assertEquals(0, Fixture.wsus(r).revisions().added(), "the metadata went in the old bundle");
        assertEquals(5, Fixture.wsus(r).files().count(), "the files the metadata-only bundle left out");
        assertTrue(Fixture.read(tmp.resolve("b2")).keySet().stream().allMatch(p -> p.startsWith("wsus/content/")));
    }

    @Test
    void format1ReservationKeepsItsSequenceNumberBurned() throws Exception {
        install("pending/state.json", "state.json");
        install("pending/pending.json", "pending.json");

        ExportResult r = ExportJob.run(fx.options("b2").build(), Progress.NONE);
        assertFalse(r.bundleWritten());
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("sequence 2") && w.contains("not used again")),
                r.warnings().toString());
        JsonNode pending = json(tmp.resolve("state/pending.json"));
        assertTrue(pending.get("lost").asBoolean());
        assertEquals(2, pending.get("sequence").asLong());
        assertEquals(ExportState.FORMAT_VERSION, pending.get("state").get("formatVersion").asInt());

        fx.addKb5000104();
        ExportResult next = ExportJob.run(fx.options("b3").build(), Progress.NONE);
        assertEquals(3L, next.sequence(), "sequence 2 was reserved by the old run and is never used");
        assertEquals(1L, next.baseSequence());
        assertFalse(Files.exists(tmp.resolve("state/pending.json")));
    }

    @Test
    void unknownFormatAndAnotherSourceTypeAreRefusedNamingTheFile() throws Exception {
        Path state = tmp.resolve("state/state.json");
        String v1 = Files.readString(resource("files/state.json"));
        Files.writeString(state, v1.replace("\"formatVersion\" : 1", "\"formatVersion\" : 4"));
        ExportConfigException e = assertThrows(ExportConfigException.class,
                () -> ExportJob.run(fx.options("b2").build(), Progress.NONE));
        assertTrue(e.getMessage().contains(state.toString()) && e.getMessage().contains("format version 4"),
                e.getMessage());

        Files.writeString(state, "{\"formatVersion\":2,\"channel\":\"default\",\"lastSequence\":4,\"lastBundleId\":"
                + "\"6a1f3a2e-9b7c-4d0e-8f21-3c5b7a9d1e40\",\"lastExportAt\":\"2026-11-21T10:00:00Z\",\"source\":\"apt\","
                + "\"sourceState\":{}}");
        e = assertThrows(ExportConfigException.class, () -> ExportJob.run(fx.options("b2").build(), Progress.NONE));
        assertTrue(e.getMessage().contains(state.toString()) && e.getMessage().contains("apt"), e.getMessage());

        Files.writeString(state, v1.replace("-r100\"", "-rX\""));
        e = assertThrows(ExportConfigException.class, () -> ExportJob.run(fx.options("b2").build(), Progress.NONE));
        assertTrue(e.getMessage().contains(state.toString()) && e.getMessage().contains("not <updateId>-r<revision>"),
                e.getMessage());
        assertFalse(Files.exists(tmp.resolve("b2")));
        assertEquals(0, fx.content.requests.get());
    }

    private byte[] install(String resource, String name) throws Exception {
        byte[] bytes = Files.readAllBytes(resource(resource));
        Files.write(tmp.resolve("state").resolve(name), bytes);
        return bytes;
    }

    private static Path resource(String name) throws Exception {
        return Path.of(StateCompatibilityTest.class.getResource("/state-v1/" + name).toURI());
    }

    private static JsonNode json(Path p) throws Exception {
        try (InputStream in = Files.newInputStream(p)) {
            return new ObjectMapper().readTree(in);
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
