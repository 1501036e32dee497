package ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ferry.format.BundleReader;
import ferry.format.Entry;
import ferry.format.Manifest;
import ferry.format.audit.AuditLog;
import ferry.format.audit.AuditRecord;
import ferry.format.pgp.PublicKeys;
import ferry.importer.Importer;
import ferry.samples.SampleUpstream;
import ferry.samples.SyntheticUpdates;
import ferry.store.Store;
import ferry.wsus.UpdateIdentity;
import ferry.wsus.catalog.WsusCatalog;
import ferry.wsus.metadata.UpdateDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9's first "done when": a scheduled job from ferry.yml, run with no terminal (a child JVM whose standard input
 * is closed), exports a full bundle and two deltas from a changing upstream; each delta carries exactly the changes;
 * importing delta 2 before delta 1 is refused naming the missing sequence; after all three the store equals one built
 * from a single full export of the final state. Both audit logs and the summaries record every run.
 */
class ScheduledJobTest {
    private static final String JOB = "widget-nightly";

    @TempDir
    Path dir;

    @Test
    void aScheduledJobCarriesAFullBundleAndTwoDeltasThatRebuildTheFinalState() throws Exception {
        Path keys = dir.resolve("keys");
        Path trust = dir.resolve("trust");
        InProcess.signerTrustedIn(keys, trust, "job <job@ferry.invalid>");
        String fingerprint = PublicKeys.load(keys.resolve("signer.pub.asc")).fingerprint();
        Path state = dir.resolve("etc/state");
        Path summary = dir.resolve("etc/last-run.json");
        Path store = dir.resolve("store");

        try (SampleUpstream upstream = SampleUpstream.start(dir.resolve("upstream-files"), "127.0.0.1", 0)) {
            Path config = Files.writeString(Files.createDirectories(dir.resolve("etc")).resolve("ferry.yml"), """
                    upstreams:
                      sample:
                        url: %s
                        retries: 1
                    selections:
                      widget:
                        products: ["Contoso Widget"]
                        classifications: ["Security Updates", "Critical Updates"]
                    keys:
                      signer:
                        file: ../keys/signer.sec.asc
                    outputs:
                      outbox:
                        dir: ../outbox
                    media:
                      small:
                        volumeSize: 1MiB
                    jobs:
                      %s:
                        upstream: sample
                        selection: widget
                        keys: [signer]
                        output: outbox
                        media: small
                        state: state
                        summaryJson: last-run.json
                    """.formatted(upstream.uri(), JOB));
            assertEquals(0, ferry("config", "check", "--config", config.toString()).code);

            JsonNode full = scheduledExport(config, summary, 0);
            assertTrue(full.at("/baseSequence").isNull(), full.toString());
            assertEquals(1, full.at("/sequence").asLong());

            JsonNode nothing = scheduledExport(config, summary, ExitCodes.NOTHING_NEW);
            assertFalse(nothing.at("/bundleWritten").asBoolean());
            try (Stream<Path> s = Files.list(dir.resolve("outbox"))) {
                assertEquals(1, s.count(), "nothing new writes no bundle directory");
            }

            // change 1: a new update with two new files
            String packs = SyntheticUpdates.languagePacks(upstream.catalog().filesDir(), 2, 4096);
            UpdateIdentity packsId = upstream.catalog().add(packs);
            JsonNode delta1 = scheduledExport(config, summary, 0);
            assertEquals(1L, delta1.at("/baseSequence").asLong());
            Set<String> packFiles = UpdateDocument.parse(packs).files().stream().map(f -> f.fileName())
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(2, packFiles.size());
            assertEquals(Set.of(metadataPath(packsId)), entries(delta1, "wsus-metadata", "path"), "delta 1: the new update");
            assertEquals(packFiles, entries(delta1, "wsus-content", "fileName"), "delta 1: its two files, nothing else");

            // change 2: a new revision of an update whose file the channel already carried
            UpdateIdentity kb102 = new UpdateIdentity(SyntheticUpdates.KB5000102, 101);
            UpdateIdentity republished = upstream.catalog().add(upstream.catalog().metadata(kb102).orElseThrow()
                    .replace("RevisionNumber=\"101\"", "RevisionNumber=\"102\""));
            JsonNode delta2 = scheduledExport(config, summary, 0);
            assertEquals(2L, delta2.at("/baseSequence").asLong());
            assertEquals(Set.of(metadataPath(republished)), entries(delta2, "wsus-metadata", "path"), "delta 2: the new revision");
            assertEquals(Set.of(), entries(delta2, "wsus-content", "fileName"), "delta 2: no file (carried before)");

            // the isolated side: delta 2 before delta 1 is refused, naming the missing sequence
            assertEquals(0, importBundle(full, store, trust).code);
            Run early = importBundle(delta2, store, trust);
            assertEquals(ExitCodes.REFUSED, early.code, early.err);
            assertTrue(early.err.contains("is a delta on sequence 2, but the channel's last imported is 1"), early.err);
            assertEquals(0, importBundle(delta1, store, trust).code);
            assertEquals(0, importBundle(delta2, store, trust).code);

            // one full export of the final state, into a store of its own
            Path finalBundle = dir.resolve("final-full");
            Run finalExport = ferry("export", "--upstream", upstream.uri().toString(), "--product", "Contoso Widget",
                    "--classification", "Security Updates", "--classification", "Critical Updates",
                    "--key", keys.resolve("signer.sec.asc").toString(), "--state", dir.resolve("state-final").toString(),
                    "--channel", JOB, "--out", finalBundle.toString(), "--volume-size", "1MiB", "--quiet", "--retries", "1");
            assertEquals(0, finalExport.code, finalExport.err);
            Path store2 = dir.resolve("store-final");
            Run finalImport = ferry("import", finalBundle.toString(), "--store", store2.toString(), "--trust-store",
                    trust.toString(), "--quiet");
            assertEquals(0, finalImport.code, finalImport.err);

            Map<UpdateIdentity, WsusCatalog.ServedRevision> stepwise = served(store);
            Map<UpdateIdentity, WsusCatalog.ServedRevision> once = served(store2);
            assertEquals(once.keySet(), stepwise.keySet(), "the same latest revisions");
            assertEquals(once, stepwise, "the same metadata and files for each");
            assertTrue(stepwise.containsKey(republished) && stepwise.containsKey(packsId));
            // the same objects, plus the one the store keeps on purpose: the superseded revision's document
            Set<String> extra = new TreeSet<>(objects(store));
            assertTrue(extra.containsAll(objects(store2)), "every object of the single full export");
            extra.removeAll(objects(store2));
            assertEquals(Set.of(sha256(upstream.catalog().metadata(kb102).orElseThrow())), extra,
                    "nothing else: only KB5000102 revision 101's metadata, which delta 2 superseded");
        }

        // the export side's audit log: every scheduled run, with its result, user, job, bundle and signer
        List<AuditRecord> exports = AuditLog.read(state.resolve(AuditLog.FILE_NAME)).records();
        assertEquals(List.of("ok", "nothing-new", "ok", "ok"), exports.stream().map(AuditRecord::result).toList());
        assertEquals(List.of(0, 7, 0, 0), exports.stream().map(AuditRecord::exitCode).toList());
        assertEquals(List.of(1L, 2L, 3L), exports.stream().filter(r -> r.result().equals("ok")).map(AuditRecord::sequence).toList());
        for (AuditRecord r : exports) {
            assertEquals("export", r.command());
            assertEquals(System.getProperty("user.name"), r.user());
            assertEquals(List.of("export", "--job", JOB, "--quiet", "--json"), r.commandLine());
            assertEquals(List.of(fingerprint), r.signers());
            assertEquals(JOB, r.channel());
        }
        assertNull(exports.get(1).bundleId());
        // the import side's: the refusal with its reason, then the three imports
        List<AuditRecord> imports = AuditLog.read(store.resolve(AuditLog.FILE_NAME)).records();
        assertEquals(List.of("ok", "refused", "ok", "ok"), imports.stream().map(AuditRecord::result).toList());
        assertEquals(List.of(1L, 3L, 2L, 3L), imports.stream().map(AuditRecord::sequence).toList());
        assertTrue(imports.get(1).reason().contains("is a delta on sequence 2"), imports.get(1).reason());
        assertEquals(List.of(fingerprint), imports.get(3).signers());

        Run audit = ferry("audit", "--state", state.toString(), "--result", "nothing-new");
        assertEquals(0, audit.code, audit.err);
        assertEquals(1, audit.out.lines().count(), audit.out);
        assertTrue(audit.out.contains("export  nothing-new (7)  channel " + JOB), audit.out);
    }

    /**
     * Runs the job as a scheduler would: a child JVM, configuration from FERRY_CONFIG, standard input closed, no
     * terminal. Checks the exit code and that --summary-json holds exactly what --json printed.
     */
    private JsonNode scheduledExport(Path config, Path summary, int expectedCode) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "export", "--job", JOB, "--quiet", "--json");
        pb.environment().keySet().removeIf(k -> k.startsWith("FERRY_"));
        pb.environment().put("FERRY_CONFIG", config.toString());
        pb.redirectError(dir.resolve("export-stderr.txt").toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the export did not finish");
        String err = Files.readString(dir.resolve("export-stderr.txt"));
        assertEquals(expectedCode, p.exitValue(), out + err);
        ObjectMapper json = new ObjectMapper();
        JsonNode printed = json.readTree(out);
        assertEquals(printed, json.readTree(summary.toFile()), "--summary-json holds what --json printed");
        return printed;
    }

    private static String metadataPath(UpdateIdentity id) {
        return "wsus/metadata/" + id.updateId() + "/" + id.revisionNumber() + ".xml";
    }

    /** The manifest's entries of one kind, by path or by a source field. */
    private static Set<String> entries(JsonNode exported, String kind, String field) throws Exception {
        Manifest m = BundleReader.open(Path.of(exported.at("/bundleDir").asText())).manifest();
        Set<String> out = new TreeSet<>();
        for (Entry e : m.entries()) {
            if (kind.equals(e.source().get("kind"))) {
                out.add(field.equals("path") ? e.path() : e.source().get(field));
            }
        }
        return out;
    }

    private static Map<UpdateIdentity, WsusCatalog.ServedRevision> served(Path storeDir) {
        try (Store s = Store.openExisting(storeDir, Importer.catalogs())) {
            WsusCatalog c = new WsusCatalog(s);
            List<UpdateIdentity> latest = new ArrayList<>(c.latestRevisions(true, Set.of(), Set.of(), 0));
            latest.addAll(c.latestRevisions(false, Set.of(), Set.of(), 0));
            return new HashMap<>(c.servedRevisions(latest));
        }
    }

    private static String sha256(String text) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static Set<String> objects(Path storeDir) throws Exception {
        try (Stream<Path> s = Files.walk(storeDir.resolve("objects"))) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private Run importBundle(JsonNode exported, Path store, Path trust) {
        return ferry("import", exported.at("/bundleDir").asText(), "--store", store.toString(), "--trust-store",
                trust.toString(), "--quiet");
    }

    record Run(int code, String out, String err) {
    }

    private static Run ferry(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }
}
