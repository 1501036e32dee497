package ferry.exporter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ferry.exporter.wsus.CategoryRef;
import ferry.exporter.wsus.UnresolvedReference;
import ferry.format.BundleReader;
import ferry.format.Entry;
import ferry.format.Manifest;
import ferry.format.Progress;
import ferry.format.pgp.DetachedSignatures;
import ferry.format.pgp.PublicKeys;
import ferry.format.pgp.SignatureCheck;
import ferry.wsus.UpdateIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static ferry.exporter.TestDocs.*;
import static org.junit.jupiter.api.Assertions.*;

/** A first export against a real WsusServer: selection, closure, files, the bundle and its manifest. */
class ExportJobTest {

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
    void firstExportByTitleCarriesClosureAndVerifiedFiles() throws Exception {
        ExportResult r = ExportJob.run(fx.options("bundle").products("contoso WIDGET")
                .expiresIn(Duration.ofDays(30)).build(), Progress.NONE);

        assertTrue(r.bundleWritten());
        assertEquals(1L, r.sequence());
        assertNull(r.baseSequence());
        assertEquals(List.of(new CategoryRef(CONTOSO_WIDGET, "Contoso Widget")), Fixture.wsus(r).products());
        Path bundle = tmp.resolve("bundle");
        assertEquals(bundle.toAbsolutePath().toString(), r.bundleDir());

        Manifest m = BundleReader.open(bundle).manifest();
        assertEquals(r.bundleId(), m.bundleId().toString());
        assertEquals("default", m.channel());
        assertEquals(Fixture.NOW, m.createdAt());
        assertEquals(Fixture.NOW.plus(Duration.ofDays(30)), m.expiresAt());
        assertEquals("ferry", m.producer().name());
        assertNull(m.baseSequence());

        // listed: KB100 stack, KB101, KB102, KB103 bundle; closure adds both leaves, the detectoid, the product,
        // its family and company, and both classifications; the Gadget product is not referenced
        Set<String> ids = List.of(KB5000100_STACK, KB5000101, KB5000103_BUNDLE, KB5000103_X64, KB5000103_X86,
                WIDGET_DETECTOID, CONTOSO_WIDGET, CONTOSO_FAMILY, CONTOSO_COMPANY, SECURITY_UPDATES, CRITICAL_UPDATES)
                .stream().map(id -> Fixture.metadataPath(new UpdateIdentity(id, 100))).collect(Collectors.toSet());
        Set<String> expected = new java.util.HashSet<>(ids);
        expected.add(Fixture.metadataPath(new UpdateIdentity(KB5000102, 101)));
        fx.files.values().forEach(g -> expected.add(Fixture.contentPath(g)));

        Map<String, byte[]> entries = Fixture.read(bundle);
        assertEquals(expected, entries.keySet());
        for (String path : entries.keySet()) {
            if (path.startsWith("wsus/metadata/")) {
                String[] p = path.split("/");
                UpdateIdentity id = new UpdateIdentity(p[2], Integer.parseInt(p[3].replace(".xml", "")));
                assertArrayEquals(fx.catalog.xml(id).getBytes(StandardCharsets.UTF_8), entries.get(path), path);
            }
        }
        for (TestFiles.Generated g : fx.files.values()) {
            assertArrayEquals(Fixture.bytes(g.path()), entries.get(Fixture.contentPath(g)), g.fileName());
        }

        Entry cab = m.entries().stream().filter(e -> e.path().endsWith(".cab")).findFirst().orElseThrow();
        assertEquals("application/vnd.ms-cab-compressed", cab.mediaType());
        TestFiles.Generated x64 = fx.files.get("contoso-widget-kb5000103-x64.cab");
        assertEquals(Map.of("kind", "wsus-content", "sha1", x64.sha1Base64(), "fileName", x64.fileName(),
                "updateId", KB5000103_X64, "revisionNumber", "100"), cab.source());
        Entry meta = m.entries().get(0);
        assertEquals("application/xml", meta.mediaType());
        assertEquals("wsus-metadata", meta.source().get("kind"));
        assertTrue(m.volumes().size() > 1, "256 KiB volumes must split this bundle");

        // the signature verifies over the exact manifest bytes
        BundleReader reader = BundleReader.open(bundle);
        Path sig = reader.signatureFiles().get(0);
        assertEquals(Fixture.KEY.fingerprint() + ".asc", sig.getFileName().toString());
        List<SignatureCheck> checks = DetachedSignatures.verify(Files.readString(sig), reader.manifestBytes(),
                List.of(PublicKeys.parse(Fixture.GENERATED.armoredPublicKey())));
        assertTrue(checks.stream().allMatch(SignatureCheck::valid), checks.toString());

        JsonNode sel = m.selection();
        assertEquals("wsus", sel.get("source").asText());
        assertEquals(fx.server().uri().toString(), sel.get("upstream").asText());
        assertEquals(CONTOSO_WIDGET, sel.get("products").get(0).get("id").asText());
        assertEquals("Contoso Widget", sel.get("products").get(0).get("title").asText());
        assertEquals(2, sel.get("classifications").size());
        assertEquals("metadata+files", sel.get("mode").asText());
        assertEquals(0, sel.get("unresolvedReferences").size());
        assertEquals(12, sel.get("counts").get("revisions").asLong());
        assertEquals(5, sel.get("counts").get("files").asLong());

        assertEquals(6, Fixture.wsus(r).revisions().listed(), "4 updates in the selection plus the 2 leaves of its bundle");
        assertEquals(12, Fixture.wsus(r).revisions().added());
        assertEquals(Map.of("Software", 6, "Category", 5, "Detectoid", 1), Fixture.wsus(r).revisions().addedByType());
        assertEquals(5, Fixture.wsus(r).files().count());
        assertEquals(5, Fixture.wsus(r).files().downloaded());
        assertEquals(fx.files.values().stream().mapToLong(TestFiles.Generated::size).sum(), Fixture.wsus(r).files().bytesDownloaded());
        assertEquals(0, Fixture.wsus(r).files().fromCache());
        assertEquals(m.volumes().size(), r.volumes());
        assertTrue(Fixture.wsus(r).unresolvedReferences().isEmpty());

        // the JSON summary is plain Jackson and round-trips its key fields
        JsonNode json = new ObjectMapper().readTree(r.toJson());
        assertTrue(json.get("bundleWritten").asBoolean());
        assertEquals(1, json.get("sequence").asLong());
        assertEquals(12, json.get("revisions").get("added").asInt());

        assertTrue(Files.isRegularFile(tmp.resolve("state/state.json")));
        assertTrue(Files.isRegularFile(tmp.resolve("state/cache").resolve(x64.sha1Hex().substring(38)).resolve(x64.sha1Hex())));
        try (var s = Files.list(tmp.resolve("state"))) {
            assertEquals(Set.of("state.json", "lock", "cache", "wsus", "history"),
                    s.map(p -> p.getFileName().toString()).collect(Collectors.toSet()),
                    "no work directory left (wsus/ holds the upstream's category documents, history/ each bundle's"
                            + " state for receipts)");
        }
    }

    @Test
    void progressTasksAreBracketedAndCountBytes() throws Exception {
        List<String> events = new java.util.ArrayList<>();
        long[] advanced = new long[1];
        Progress p = new Progress() {
            String open;

            @Override
            public void begin(String task, long totalBytes) {
                assertNull(open, "tasks do not nest: " + open + " / " + task);
                open = task;
                events.add(task);
            }

            @Override
            public void advance(long bytes) {
                assertNotNull(open, "advance outside a task");
                assertTrue(bytes >= 0);
                advanced[0] += bytes;
            }

            @Override
            public void end() {
                assertNotNull(open);
                open = null;
            }

            @Override
            public void info(String line) {
                assertFalse(line.contains("\n"));
            }
        };
        ExportResult r = ExportJob.run(fx.options("bundle").build(), p);
        assertEquals(List.of("download 5 files"), events.stream().filter(e -> e.startsWith("download ")).toList(),
                "parallel downloads report as one task");
        assertEquals("write bundle bundle", events.get(events.size() - 1));
        long xml = BundleReader.open(tmp.resolve("bundle")).manifest().entries().stream()
                .filter(e -> e.path().startsWith("wsus/metadata/")).mapToLong(Entry::size).sum();
        assertEquals(2 * Fixture.wsus(r).files().bytes() + xml, advanced[0], "downloaded once, copied into the bundle once");
    }

    @Test
    void selectionByGuidMetadataOnly() throws Exception {
        ExportResult r = ExportJob.run(fx.options("bundle").products(CONTOSO_WIDGET.toUpperCase())
                .classifications(CRITICAL_UPDATES).mode(ExportMode.METADATA_ONLY).build(), Progress.NONE);

        Map<String, byte[]> entries = Fixture.read(tmp.resolve("bundle"));
        assertTrue(entries.keySet().stream().noneMatch(p -> p.startsWith("wsus/content/")));
        assertTrue(entries.containsKey(Fixture.metadataPath(new UpdateIdentity(KB5000103_X86, 100))));
        assertTrue(entries.containsKey(Fixture.metadataPath(new UpdateIdentity(KB5000100_STACK, 100))));
        assertFalse(entries.containsKey(Fixture.metadataPath(new UpdateIdentity(KB5000101, 100))),
                "a security update is outside a Critical-only selection");
        assertEquals(List.of(new CategoryRef(CRITICAL_UPDATES, "Critical Updates")), Fixture.wsus(r).classifications());
        assertEquals(0, fx.content.requests.get(), "metadata only downloads nothing");
        assertEquals("metadata", BundleReader.open(tmp.resolve("bundle")).manifest().selection().get("mode").asText());
    }

    @Test
    void prerequisiteOutsideTheSelectionIsReportedNotFatal() throws Exception {
        ExportResult r = ExportJob.run(fx.options("bundle").classifications("security updates").build(), Progress.NONE);

        assertTrue(r.bundleWritten());
        assertEquals(1, Fixture.wsus(r).unresolvedReferences().size());
        UnresolvedReference u = Fixture.wsus(r).unresolvedReferences().get(0);
        assertEquals(KB5000100_STACK, u.updateId());
        assertNull(u.revisionNumber());
        assertEquals("prerequisite", u.relation());
        assertEquals(KB5000101 + "-r100", u.referencedBy());
        assertFalse(r.warnings().isEmpty());
        JsonNode listed = BundleReader.open(tmp.resolve("bundle")).manifest().selection().get("unresolvedReferences");
        assertEquals(KB5000100_STACK, listed.get(0).get("updateId").asText());
    }

    @Test
    void unknownTitleListsCloseNames() {
        SelectionException e = assertThrows(SelectionException.class,
                () -> ExportJob.run(fx.options("bundle").products("Contoso Widgets").build(), Progress.NONE));
        assertTrue(e.getMessage().contains("no product \"Contoso Widgets\""), e.getMessage());
        assertTrue(e.getMessage().contains("Contoso Widget (" + CONTOSO_WIDGET + ")"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertTrue(e.candidates().contains("Contoso Widget (" + CONTOSO_WIDGET + ")"));
        assertFalse(Files.exists(tmp.resolve("bundle")));
        assertFalse(Files.exists(tmp.resolve("state/state.json")));
    }

    @Test
    void unrelatedTitleListsAvailableProducts() {
        SelectionException e = assertThrows(SelectionException.class,
                () -> ExportJob.run(fx.options("bundle").products("Office").build(), Progress.NONE));
        assertTrue(e.getMessage().contains("available: Contoso Gadget (" + CONTOSO_GADGET + "), Contoso Widget"),
                e.getMessage());
    }

    @Test
    void productFamilyIsRefusedWithItsProducts() {
        SelectionException e = assertThrows(SelectionException.class,
                () -> ExportJob.run(fx.options("bundle").products("contoso tools").build(), Progress.NONE));
        assertTrue(e.getMessage().contains("is a ProductFamily, not a Product"), e.getMessage());
        assertTrue(e.getMessage().contains("Contoso Widget (" + CONTOSO_WIDGET + ")"), e.getMessage());
        assertEquals(2, e.candidates().size());
    }

    @Test
    void unknownGuidAndUnknownClassificationAndLanguageAreRefused() {
        assertThrows(SelectionException.class, () -> ExportJob.run(fx.options("b")
                .products("00000000-0000-0000-0000-000000000001").build(), Progress.NONE));
        SelectionException c = assertThrows(SelectionException.class, () -> ExportJob.run(fx.options("b")
                .classifications("Security Update").build(), Progress.NONE));
        assertTrue(c.getMessage().contains("Security Updates (" + SECURITY_UPDATES + ")"), c.getMessage());
        SelectionException l = assertThrows(SelectionException.class, () -> ExportJob.run(fx.options("b")
                .languages(List.of("xx")).build(), Progress.NONE));
        // the upstream's LanguageUpdateList is the recorded server's (39 entries), listed by short name
        assertTrue(l.getMessage().contains("available: all, ar, bg,") && l.getMessage().contains(", en, "), l.getMessage());
    }

    @Test
    void knownLanguageIsRecorded() throws Exception {
        ExportResult r = ExportJob.run(fx.options("bundle").languages(List.of("en")).build(), Progress.NONE);
        assertEquals(List.of("en"), Fixture.wsus(r).languages());
        assertEquals("en", BundleReader.open(tmp.resolve("bundle")).manifest().selection()
                .get("languages").get(0).asText());
    }

    @Test
    void nonEmptyOutputDirectoryIsAConfigurationError() throws Exception {
        Files.createDirectories(tmp.resolve("bundle"));
        Files.writeString(tmp.resolve("bundle/keep.txt"), "x");
        ExportConfigException e = assertThrows(ExportConfigException.class,
                () -> ExportJob.run(fx.options("bundle").build(), Progress.NONE));
        assertTrue(e.getMessage().contains("is not empty"), e.getMessage());
        assertEquals(0, fx.content.requests.get());
    }

    @Test
    void emptyOutputDirectoryIsUsed() throws Exception {
        Files.createDirectories(tmp.resolve("bundle"));
        assertTrue(ExportJob.run(fx.options("bundle").build(), Progress.NONE).bundleWritten());
        assertTrue(Files.isRegularFile(tmp.resolve("bundle/manifest.json")));
    }

    @Test
    void badOptionsAreRefusedWithOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fx.options("b").products(List.of()).build());
        assertEquals("select at least one product", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> fx.options("b").channel("Bad Channel").build());
        assertThrows(IllegalArgumentException.class, () -> fx.options("b").volumeSize(1000).build());
        assertThrows(IllegalArgumentException.class, () -> fx.options("b").signingKeys(List.of()).build());
    }
}
