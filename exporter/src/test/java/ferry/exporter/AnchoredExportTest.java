package ferry.exporter;

import ferry.exporter.wsus.WsusFigures;
import ferry.format.Progress;
import ferry.samples.SampleUpstream;
import ferry.samples.SyntheticUpdates;
import ferry.wsus.UpdateIdentity;
import ferry.wsus.client.WsusClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Nightly runs against ferry's sample upstream (a real WSUS server half on loopback whose anchors move when a
 * revision is published), counted on the wire by a relay: the second run sends the anchors it kept and asks
 * GetUpdateData only for what changed, taking the category documents from the ones it holds.
 */
class AnchoredExportTest {

    @TempDir
    Path tmp;
    SampleUpstream upstream;
    RecordingRelay relay;

    @BeforeEach
    void start() throws Exception {
        upstream = SampleUpstream.start(tmp.resolve("upstream-files"), "127.0.0.1", 0);
        relay = new RecordingRelay(upstream.uri());
    }

    @AfterEach
    void stop() throws Exception {
        relay.close();
        upstream.close();
    }

    private ExportOptions.Builder options(String out) {
        return ExportOptions.builder().upstream(relay.uri()).products("Contoso Widget").outputDir(tmp.resolve(out))
                .volumeSize(1 << 20).stateDir(tmp.resolve("state")).signingKey(Fixture.KEY).producerVersion("test")
                .clientOptions(WsusClientOptions.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30)));
    }

    @Test
    void secondRunSendsTheAnchorsAndFetchesOnlyWhatChanged() throws Exception {
        ExportResult first = ExportJob.run(options("b1").build(), Progress.NONE);
        String firstTraffic = relay.take();
        WsusFigures.MetadataCounts m1 = Fixture.wsus(first).metadata();
        assertFalse(m1.incremental());
        assertEquals(0, m1.categoriesHeld());
        assertTrue(m1.categoriesFetched() >= 10, "every category and detectoid fetched once: " + m1);
        int firstIds = RecordingRelay.updateDataIds(firstTraffic);
        assertEquals(m1.categoriesFetched() + m1.updatesFetched(), firstIds, "the figures count what went on the wire");
        assertFalse(firstTraffic.contains("<configAnchor>"), "a first run has no anchor to send");
        try (Stream<Path> s = Files.list(tmp.resolve("state/wsus/config"))) {
            assertEquals(m1.categoriesFetched() + 1, s.count(), "the category documents are held, plus their index");
        }

        UpdateIdentity kb102 = new UpdateIdentity(SyntheticUpdates.KB5000102, 101);
        upstream.catalog().add(upstream.catalog().metadata(kb102).orElseThrow()
                .replace("RevisionNumber=\"101\"", "RevisionNumber=\"102\""));
        ExportResult second = ExportJob.run(options("b2").build(), Progress.NONE);
        String traffic = relay.take();
        WsusFigures.MetadataCounts m2 = Fixture.wsus(second).metadata();
        assertTrue(second.bundleWritten());
        assertTrue(m2.incremental(), m2.toString());
        assertEquals(0, m2.categoriesFetched(), "no category document fetched again");
        assertEquals(m1.categoriesFetched(), m2.categoriesHeld());
        assertEquals(1, m2.updatesFetched(), "only the republished revision");
        assertEquals(1, RecordingRelay.updateDataIds(traffic), "one revision id asked for on the wire");
        assertEquals(1, Fixture.wsus(second).revisions().listed(), "the upstream listed only what changed");
        assertEquals(1, Fixture.wsus(second).revisions().added());
        assertTrue(traffic.contains("<configAnchor>"), "GetConfigData carries the kept config anchor");
        assertTrue(traffic.contains("<Anchor>" + Fixture.wsus(first).upstreamAnchor() + "</Anchor>"),
                "GetRevisionIdList carries the anchor of the first run");
        assertTrue(traffic.contains("<Delta>true</Delta>"), "Delta=true for the products selected at the anchor");
        assertEquals(0, Fixture.wsus(second).files().downloaded(), "the republished revision's file was exported");

        ExportResult third = ExportJob.run(options("b3").build(), Progress.NONE);
        assertFalse(third.bundleWritten());
        assertEquals(0, RecordingRelay.updateDataIds(relay.take()), "nothing new: no GetUpdateData at all");

        // a newly selected classification is listed whole (Delta=false) while the product stays a delta
        ExportResult widened = ExportJob.run(options("b4").classifications("Security Updates", "Critical Updates").build(),
                Progress.NONE);
        assertFalse(widened.bundleWritten(), "nothing in the narrower selection is new: " + Fixture.wsus(widened));
        assertTrue(relay.take().contains("<Delta>false</Delta>"));

        // a full export lists everything and still takes the held category documents
        ExportResult full = ExportJob.run(options("b5").full(true).build(), Progress.NONE);
        assertFalse(Fixture.wsus(full).metadata().incremental());
        assertEquals(0, Fixture.wsus(full).metadata().categoriesFetched());
    }

    @Test
    void languagesLeftOutOfAnAnchoredConfigAnswerAreAskedForAgain() throws Exception {
        assertTrue(ExportJob.run(options("b1").languages(java.util.List.of("en")).build(), Progress.NONE).bundleWritten());
        relay.take();
        upstream.catalog().add(upstream.catalog().metadata(new UpdateIdentity(SyntheticUpdates.KB5000102, 101))
                .orElseThrow().replace("RevisionNumber=\"101\"", "RevisionNumber=\"102\""));
        ExportResult r = ExportJob.run(options("b2").languages(java.util.List.of("en")).build(), Progress.NONE);
        assertTrue(r.bundleWritten());
        assertEquals(java.util.List.of("en"), Fixture.wsus(r).languages());
        String[] configCalls = relay.take().split("<GetConfigData ");
        assertEquals(3, configCalls.length, "GetConfigData with the kept anchor, then once more without it");
        assertTrue(configCalls[1].contains("<configAnchor>"));
        assertFalse(configCalls[2].substring(0, configCalls[2].indexOf("</GetConfigData>")).contains("<configAnchor>"));
    }

    @Test
    void damagedHeldDocumentIsFetchedAgainAndAnchorRefusedByTheUpstreamFallsBackToAWholeListing() throws Exception {
        ExportJob.run(options("b1").build(), Progress.NONE);
        Path held;
        try (Stream<Path> s = Files.list(tmp.resolve("state/wsus/config"))) {
            held = s.filter(p -> p.toString().endsWith(".xml")).sorted().findFirst().orElseThrow();
        }
        Files.writeString(held, Files.readString(held).replace("<", "< "));
        relay.take();
        ExportResult again = ExportJob.run(options("x").build(), Progress.NONE);
        assertFalse(again.bundleWritten());
        assertEquals(1, Fixture.wsus(again).metadata().categoriesFetched(), "only the damaged document is fetched again");
        assertEquals(1, RecordingRelay.updateDataIds(relay.take()));

        // a state whose anchor the upstream never issued: refused (InvalidParameters), then listed whole
        Path state = tmp.resolve("state/state.json");
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode tree = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(state.toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("sourceState")).put("upstreamAnchor", "999999,2026-01-01 00:00:00.000");
        json.writeValue(state.toFile(), tree);
        relay.take();
        upstream.catalog().add(upstream.catalog().metadata(new UpdateIdentity(SyntheticUpdates.KB5000102, 101)).orElseThrow()
                .replace("RevisionNumber=\"101\"", "RevisionNumber=\"103\""));
        ExportResult r = ExportJob.run(options("b2").build(), Progress.NONE);
        WsusFigures.MetadataCounts m = Fixture.wsus(r).metadata();
        assertTrue(r.bundleWritten());
        assertFalse(m.incremental(), "the refused anchor was dropped");
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("refused the anchor 999999")), r.warnings().toString());
        assertEquals(1, Fixture.wsus(r).revisions().added());
    }
}
