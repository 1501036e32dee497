package ferry.exporter;

import ferry.format.BundleReader;
import ferry.format.Manifest;
import ferry.format.Progress;
import ferry.wsus.UpdateIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static ferry.exporter.TestDocs.*;
import static org.junit.jupiter.api.Assertions.*;

/** Later runs on a channel: nothing new, a delta, a changed selection, a full re-export, the file cache. */
class IncrementalExportTest {

    @TempDir
    Path tmp;
    Fixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = Fixture.contoso(tmp);
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    @Test
    void nothingNewWritesNoBundleThenADeltaCarriesOnlyTheNewRevision() throws Exception {
        ExportResult first = ExportJob.run(fx.options("b1").build(), Progress.NONE);
        assertEquals(1L, first.sequence());
        byte[] state = Files.readAllBytes(tmp.resolve("state/state.json"));
        int requests = fx.content.requests.get();

        ExportResult second = ExportJob.run(fx.options("b2").build(), Progress.NONE);
        assertFalse(second.bundleWritten());
        assertNull(second.sequence());
        assertNull(second.bundleDir());
        assertEquals(0, Fixture.wsus(second).revisions().added());
        assertEquals(6, Fixture.wsus(second).revisions().listed());
        assertFalse(Files.exists(tmp.resolve("b2")));
        assertArrayEquals(state, Files.readAllBytes(tmp.resolve("state/state.json")), "state untouched");
        assertEquals(requests, fx.content.requests.get());

        TestFiles.Generated kb104 = fx.addKb5000104();
        ExportResult third = ExportJob.run(fx.options("b3").build(), Progress.NONE);
        assertTrue(third.bundleWritten());
        assertEquals(2L, third.sequence());
        assertEquals(1L, third.baseSequence());
        assertEquals(1, Fixture.wsus(third).revisions().added());
        assertEquals(1, Fixture.wsus(third).files().downloaded());
        assertEquals(kb104.size(), Fixture.wsus(third).files().bytesDownloaded());

        Manifest m = BundleReader.open(tmp.resolve("b3")).manifest();
        assertEquals(2L, m.sequence());
        assertEquals(1L, m.baseSequence());
        UpdateIdentity id = new UpdateIdentity(KB5000104, 100);
        Map<String, byte[]> entries = Fixture.read(tmp.resolve("b3"));
        assertEquals(Set.of(Fixture.metadataPath(id), Fixture.contentPath(kb104)), entries.keySet());
        assertArrayEquals(fx.catalog.xml(id).getBytes(StandardCharsets.UTF_8), entries.get(Fixture.metadataPath(id)));
        assertArrayEquals(Fixture.bytes(kb104.path()), entries.get(Fixture.contentPath(kb104)));
        assertEquals(requests + 1, fx.content.requests.get(), "only the new file is downloaded");
    }

    @Test
    void newRevisionOfAnExportedUpdateIsExported() throws Exception {
        ExportJob.run(fx.options("b1").build(), Progress.NONE);
        TestFiles.Generated f = fx.files.get("contoso-widget-kb5000102-x64.msu");
        fx.catalog.add(software(KB5000102, 102, "Security Update for Contoso Widget 1.1 (KB5000102), revised",
                java.util.List.of(WIDGET_DETECTOID), SECURITY_UPDATES, CONTOSO_WIDGET, java.util.List.of(),
                java.util.List.of(f)));

        ExportResult r = ExportJob.run(fx.options("b2").build(), Progress.NONE);
        assertEquals(Set.of(Fixture.metadataPath(new UpdateIdentity(KB5000102, 102))),
                Fixture.read(tmp.resolve("b2")).keySet(), "its file was exported before and is not carried again");
        assertEquals(0, Fixture.wsus(r).files().count());
    }

    @Test
    void widenedSelectionExportsTheNewlySelectedUpdates() throws Exception {
        ExportJob.run(fx.options("b1").classifications("Security Updates").build(), Progress.NONE);
        ExportResult r = ExportJob.run(fx.options("b2").build(), Progress.NONE);

        assertEquals(1L, r.baseSequence());
        Set<String> paths = Fixture.read(tmp.resolve("b2")).keySet();
        // the bundle, its leaves, the stack update (a prerequisite now resolvable) and the Critical classification
        assertTrue(paths.contains(Fixture.metadataPath(new UpdateIdentity(KB5000103_BUNDLE, 100))));
        assertTrue(paths.contains(Fixture.metadataPath(new UpdateIdentity(KB5000103_X64, 100))));
        assertTrue(paths.contains(Fixture.metadataPath(new UpdateIdentity(KB5000100_STACK, 100))));
        assertTrue(paths.contains(Fixture.metadataPath(new UpdateIdentity(CRITICAL_UPDATES, 100))));
        assertFalse(paths.contains(Fixture.metadataPath(new UpdateIdentity(KB5000101, 100))));
        assertFalse(paths.contains(Fixture.metadataPath(new UpdateIdentity(CONTOSO_WIDGET, 100))));
        assertEquals(3, Fixture.wsus(r).files().count());
    }

    @Test
    void fullReExportsEverythingFromTheCache() throws Exception {
        ExportResult first = ExportJob.run(fx.options("b1").build(), Progress.NONE);
        int requests = fx.content.requests.get();

        ExportResult full = ExportJob.run(fx.options("b2").full(true).build(), Progress.NONE);
        assertEquals(2L, full.sequence(), "sequence numbers keep rising across full bundles");
        assertNull(full.baseSequence());
        assertNull(BundleReader.open(tmp.resolve("b2")).manifest().baseSequence());
        assertEquals(Fixture.read(tmp.resolve("b1")).keySet(), Fixture.read(tmp.resolve("b2")).keySet());
        assertEquals(0, Fixture.wsus(full).files().downloaded());
        assertEquals(0, Fixture.wsus(full).files().bytesDownloaded());
        assertEquals(Fixture.wsus(first).files().count(), Fixture.wsus(full).files().fromCache());
        assertEquals(Fixture.wsus(first).files().bytes(), Fixture.wsus(full).files().bytesFromCache());
        assertEquals(requests, fx.content.requests.get(), "the upstream saw no content request");

        ExportResult after = ExportJob.run(fx.options("b3").build(), Progress.NONE);
        assertFalse(after.bundleWritten(), "the full bundle's content is the new baseline");
    }

    @Test
    void damagedCacheEntryIsDownloadedAgain() throws Exception {
        ExportJob.run(fx.options("b1").build(), Progress.NONE);
        TestFiles.Generated g = fx.files.get("contoso-widget-kb5000101-x64.msu");
        Path cached = tmp.resolve("state/cache").resolve(g.sha1Hex().substring(38)).resolve(g.sha1Hex());
        Files.write(cached, new byte[] {1, 2, 3});

        ExportResult r = ExportJob.run(fx.options("b2").full(true).build(), Progress.NONE);
        assertEquals(1, Fixture.wsus(r).files().downloaded());
        assertEquals(g.size(), Fixture.wsus(r).files().bytesDownloaded());
        assertArrayEquals(Fixture.bytes(g.path()), Fixture.read(tmp.resolve("b2")).get(Fixture.contentPath(g)));
    }

    @Test
    void sharedCacheServesAnotherChannel() throws Exception {
        Path cache = tmp.resolve("shared-cache");
        ExportJob.run(fx.options("b1").cacheDir(cache).build(), Progress.NONE);
        int requests = fx.content.requests.get();
        ExportResult other = ExportJob.run(fx.options("b2").cacheDir(cache).channel("lab-2")
                .stateDir(tmp.resolve("state-lab-2")).build(), Progress.NONE);
        assertEquals(1L, other.sequence());
        assertEquals("lab-2", BundleReader.open(tmp.resolve("b2")).manifest().channel());
        assertEquals(0, Fixture.wsus(other).files().downloaded());
        assertEquals(requests, fx.content.requests.get());
    }

    @Test
    void filesOwedByAMetadataOnlyRunAreCarriedLater() throws Exception {
        ExportJob.run(fx.options("b1").mode(ExportMode.METADATA_ONLY).build(), Progress.NONE);
        ExportResult r = ExportJob.run(fx.options("b2").build(), Progress.NONE);

        assertTrue(r.bundleWritten());
        assertEquals(0, Fixture.wsus(r).revisions().added(), "every revision went in the metadata-only bundle");
        Set<String> paths = Fixture.read(tmp.resolve("b2")).keySet();
        assertEquals(5, paths.size());
        assertTrue(paths.stream().allMatch(p -> p.startsWith("wsus/content/")), paths.toString());
        assertFalse(ExportJob.run(fx.options("b3").build(), Progress.NONE).bundleWritten());
    }

    @Test
    void stateOfAnotherChannelIsRefused() throws Exception {
        ExportJob.run(fx.options("b1").build(), Progress.NONE);
        ExportConfigException e = assertThrows(ExportConfigException.class,
                () -> ExportJob.run(fx.options("b2").channel("other").build(), Progress.NONE));
        assertTrue(e.getMessage().contains("belongs to channel \"default\""), e.getMessage());
    }
}
