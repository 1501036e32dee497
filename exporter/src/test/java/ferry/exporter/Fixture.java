package ferry.exporter;

import ferry.exporter.wsus.WsusFigures;
import ferry.format.BundleReader;
import ferry.format.Entry;
import ferry.format.pgp.GeneratedKey;
import ferry.format.pgp.KeyGenerator;
import ferry.format.pgp.SigningKey;
import ferry.wsus.UpdateIdentity;
import ferry.wsus.client.WsusClientOptions;
import ferry.wsus.server.WsusServer;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static ferry.exporter.TestDocs.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A real {@link WsusServer} on 127.0.0.1 serving a {@link TestCatalog} and {@link TestContent}, plus the
 * Contoso updates (fictional product, generated files) and helpers to read what an export wrote.
 */
final class Fixture {

    static final GeneratedKey GENERATED = KeyGenerator.generateEd25519("ferry test <test@example.org>", null);
    static final SigningKey KEY;
    static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

    static {
        try {
            KEY = SigningKey.parse(GENERATED.armoredSecretKey(), null);
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Path root;
    final TestCatalog catalog = new TestCatalog();
    final TestContent content = new TestContent();
    final Map<String, TestFiles.Generated> files = new LinkedHashMap<>();
    private WsusServer server;

    private Fixture(Path root) {
        this.root = root;
    }

    /** Contoso Widget: company, family, product, two classifications, a detectoid, and five software updates. */
    static Fixture contoso(Path root) throws Exception {
        Fixture f = new Fixture(root);
        TestCatalog c = f.catalog;
        c.add(category(CONTOSO_COMPANY, 100, "Company", "Contoso", null));
        c.add(category(CONTOSO_FAMILY, 100, "ProductFamily", "Contoso Tools", CONTOSO_COMPANY));
        c.add(category(CONTOSO_WIDGET, 100, "Product", "Contoso Widget", CONTOSO_FAMILY));
        c.add(category(CONTOSO_GADGET, 100, "Product", "Contoso Gadget", CONTOSO_FAMILY));
        c.add(category(SECURITY_UPDATES, 100, "UpdateClassification", "Security Updates", null));
        c.add(category(CRITICAL_UPDATES, 100, "UpdateClassification", "Critical Updates", null));
        c.add(detectoid(WIDGET_DETECTOID, 100, "Contoso Widget is installed"));
        List<String> det = List.of(WIDGET_DETECTOID);
        c.add(software(KB5000100_STACK, 100, "Servicing Stack Update for Contoso Widget (KB5000100)", det,
                CRITICAL_UPDATES, CONTOSO_WIDGET, List.of(), List.of(f.file("stack-kb5000100.msu", 50 * 1024 + 9, 100))));
        c.add(software(KB5000101, 100, "Security Update for Contoso Widget 1.0 (KB5000101)",
                List.of(WIDGET_DETECTOID, KB5000100_STACK), SECURITY_UPDATES, CONTOSO_WIDGET, List.of(),
                List.of(f.file("contoso-widget-kb5000101-x64.msu", 150 * 1024 + 17, 101))));
        c.add(software(KB5000102, 101, "Security Update for Contoso Widget 1.1 (KB5000102)", det,
                SECURITY_UPDATES, CONTOSO_WIDGET, List.of(),
                List.of(f.file("contoso-widget-kb5000102-x64.msu", 300 * 1024 + 5, 102))));
        c.add(software(KB5000103_BUNDLE, 100, "Critical Update for Contoso Widget (KB5000103)", det,
                CRITICAL_UPDATES, CONTOSO_WIDGET,
                List.of(new Bundled(KB5000103_X64, 100), new Bundled(KB5000103_X86, 100)), List.of()));
        c.add(software(KB5000103_X64, 100, "KB5000103 x64 package", det, null, null, List.of(),
                List.of(f.file("contoso-widget-kb5000103-x64.cab", 200 * 1024 + 3, 1031))));
        c.add(software(KB5000103_X86, 100, "KB5000103 x86 package", det, null, null, List.of(),
                List.of(f.file("contoso-widget-kb5000103-x86.exe", 100 * 1024 + 1, 1032))));
        return f.start();
    }

    /** The real recorded documents plus stand-ins for the categories and detectoids they name. */
    static Fixture realDefender(Path root) throws Exception {
        Fixture f = new Fixture(root);
        f.catalog.add(category(DEFENDER_PRODUCT, 200, "Product", "Microsoft Defender Antivirus", WINDOWS_FAMILY));
        f.catalog.add(category(DEFINITION_UPDATES, 200, "UpdateClassification", "Definition Updates", null));
        for (String d : DEFENDER_DETECTOIDS) {
            f.catalog.add(detectoid(d, 200, "stand-in detectoid " + d.substring(0, 8)));
        }
        for (String name : REAL_DOCS) {
            f.catalog.add(realDoc(name));
        }
        return f.start();
    }

    static final List<String> REAL_DOCS = List.of(
            "1f9bd9bb-7390-4aa3-bbdb-ded99fac2583-r200", "266f6222-c89d-43f2-9f8a-69340271e677-r200",
            "56309036-4c77-4dd9-951a-99ee9c246a94-r101", "6964aab4-c5b5-43bd-a17d-ffb4346a8e1d-r100",
            "7366a74a-ef29-44e1-b738-570b516aca1f-r200", "a2fef9b0-7951-4c2c-a42b-9e351dd1c1fe-r200",
            "ccb78947-6453-4ecc-9de8-bc0305c98f2d-r200", "dd78b8a1-0b20-45c1-add6-4da72e9364cf-r202",
            "ff36f0b5-dded-4780-8664-cd78af8b62c1-r200");

    static String realDoc(String name) throws Exception {
        try (InputStream in = Fixture.class.getResourceAsStream("/wsus-real/" + name + ".xml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Adds KB5000104: a new security update for the widget with a new file. */
    TestFiles.Generated addKb5000104() throws Exception {
        TestFiles.Generated g = file("contoso-widget-kb5000104-x64.msu", 120 * 1024 + 7, 104);
        catalog.add(software(KB5000104, 100, "Security Update for Contoso Widget 1.2 (KB5000104)",
                List.of(WIDGET_DETECTOID), SECURITY_UPDATES, CONTOSO_WIDGET, List.of(), List.of(g)));
        return g;
    }

    TestFiles.Generated file(String name, long size, long seed) throws Exception {
        TestFiles.Generated g = TestFiles.generate(root.resolve("served"), name, size, seed);
        files.put(name, g);
        content.put(g);
        return g;
    }

    private Fixture start() throws Exception {
        server = WsusServer.start("127.0.0.1", 0, catalog, content);
        return this;
    }

    WsusServer server() {
        return server;
    }

    /** Options against this upstream; the state directory is {@code root/state}, output {@code root/<out>}. */
    ExportOptions.Builder options(String out) {
        return ExportOptions.builder()
                .upstream(server.uri())
                .products("Contoso Widget")
                .classifications("Security Updates", "Critical Updates")
                .mode(ExportMode.METADATA_AND_FILES)
                .outputDir(root.resolve(out))
                .volumeSize(256 * 1024)
                .stateDir(root.resolve("state"))
                .signingKey(KEY)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .producerVersion("test")
                .clientOptions(WsusClientOptions.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30)))
                .downloadAttempts(2)
                .retryBackoff(Duration.ZERO);
    }

    /** Every entry of a bundle by path, read through {@link BundleReader#openEntry} (which checks digests). */
    static Map<String, byte[]> read(Path bundle) throws Exception {
        BundleReader r = BundleReader.open(bundle);
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Entry e : r.manifest().entries()) {
            try (InputStream in = r.openEntry(e)) {
                out.put(e.path(), in.readAllBytes());
            }
        }
        return out;
    }

    static String metadataPath(UpdateIdentity id) {
        return "wsus/metadata/" + id.updateId() + "/" + id.revisionNumber() + ".xml";
    }

    static String contentPath(TestFiles.Generated g) {
        String ext = g.fileName().substring(g.fileName().lastIndexOf('.'));
        return "wsus/content/" + g.sha1Hex().substring(38) + "/" + g.sha1Hex() + ext;
    }

    /** The WSUS figures of a run's result. */
    static WsusFigures wsus(ExportResult r) {
        assertEquals("wsus", r.source());
        return (WsusFigures) r.figures();
    }

    static byte[] bytes(Path p) throws Exception {
        return Files.readAllBytes(p);
    }

    void close() throws Exception {
        if (server != null) {
            server.close();
        }
    }
}
