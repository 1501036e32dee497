package ferry.exporter;

import ferry.format.CrashPoints;
import com.fasterxml.jackson.databind.JsonNode;
import ferry.format.BundleReader;
import ferry.format.BundleWriter;
import ferry.format.Entry;
import ferry.format.Manifest;
import ferry.format.Volume;
import ferry.format.pgp.DetachedSignatures;
import ferry.format.pgp.SignatureCheck;
import ferry.format.Progress;
import ferry.samples.SampleUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The export half of the crash harness: a real export against the sample upstream, in a child JVM, stopped
 * dead at one named step after another ({@link CrashPoints}); then the next run goes to completion and the
 * test checks what the package documentation promises: the output holds only complete bundles that verify, no
 * staging directory or temporary file is left anywhere, and no two bundles share a (channel, sequence).
 *
 * <p>Every step the run passes is listed by a traced run first; the test kills at the first occurrence of each
 * step name and at evenly spread others, {@value #CI_POINTS} points in all, or as many as the system property or
 * environment variable {@code ferry.crash.points} / {@code FERRY_CRASH_POINTS} asks (the long mode runs 100).
 */
class ExportCrashTest {

    static final int CI_POINTS = 20;
    static final List<String> FIRST = List.of("Critical Updates");
    static final List<String> SECOND = List.of("Critical Updates", "Security Updates");

    @TempDir
    static Path root;
    static SampleUpstream upstream;
    static Path keyFile;
    /** State directory and output after a first, complete export of the critical updates only. */
    static Path baseline;

    @BeforeAll
    static void start() throws Exception {
        upstream = SampleUpstream.start(root.resolve("upstream-files"), "127.0.0.1", 0);
        keyFile = root.resolve("signer.sec.asc");
        Files.writeString(keyFile, Fixture.GENERATED.armoredSecretKey());
        baseline = root.resolve("baseline");
        ExportResult first = ExportJob.run(ExportChild.options(upstream.uri(), baseline.resolve("state"),
                baseline.resolve("out/b1"), Fixture.KEY, FIRST).build(), Progress.NONE);
        assertTrue(first.bundleWritten());
    }

    @AfterAll
    static void stop() throws Exception {
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void anExportKilledAtAnyPointLeavesNothingHalfVisibleAndNoReusedSequence() throws Exception {
        List<String> trace = tracedSteps();
        List<String> points = choose(trace, crashPointCount());
        assertTrue(trace.size() >= 100, "the long mode needs 100 distinct points: " + trace);
        assertEquals(Math.max(CI_POINTS, crashPointCount()), points.size(), points.toString());
        System.out.println("crash harness: a run passes " + trace.size() + " steps; killing at " + points.size()
                + ": " + points);
        // Points are independent (each works on its own copy of the baseline): run them on every core.
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
        try {
            List<Future<?>> runs = new ArrayList<>();
            int i = 0;
            for (String point : points) {
                String name = "kill-" + i++;
                runs.add(pool.submit(() -> {
                    Path dir = copyOfBaseline(name);
                    ExportChild.Outcome o = ExportChild.run(point, null, childArgs(dir, "b2"));
                    if (o.status() != CrashPoints.HALT_STATUS) {
                        failures.add(point + ": the child was not halted there, exit " + o.status() + ": " + o.output());
                        return null;
                    }
                    try {
                        finishAndCheck(dir, point);
                    } catch (AssertionError | Exception e) {
                        failures.add(point + ": " + e.getMessage());
                    }
                    deleteTree(dir);
                    return null;
                }));
            }
            for (Future<?> f : runs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(), failures, "killed at " + points.size() + " points");
    }

    /** Finding 8: killed after the bundle was placed, before the state: the next run adopts it. */
    @Test
    void aBundlePlacedButNotRecordedIsAdoptedNotWrittenAgainUnderItsNumber() throws Exception {
        Path dir = copyOfBaseline("adopt");
        assertEquals(CrashPoints.HALT_STATUS, ExportChild.run("bundle.placed#1", null, childArgs(dir, "b2")).status());
        assertTrue(Files.exists(dir.resolve("state/pending.json")), "the reservation survives the kill");
        ExportResult next = run(dir, "b3");
        assertFalse(next.bundleWritten(), "everything new is in the adopted bundle");
        assertTrue(next.warnings().stream().anyMatch(w -> w.contains("was finished by an interrupted export")),
                next.warnings().toString());
        Map<Long, Manifest> bundles = checkOutput(dir, "adopt");
        assertEquals(Set.of(1L, 2L), bundles.keySet());
        assertFalse(Files.exists(dir.resolve("state/pending.json")));
    }

    /**
     * Finding 8, the other way: killed after the bundle was signed in staging, before the rename. That number is
     * never used again, the staging directory (a complete signed bundle) is gone, and the next bundle builds on
     * the last recorded one.
     */
    @Test
    void aBundleSignedButNeverPlacedBurnsItsNumberAndItsStagingIsRemoved() throws Exception {
        Path dir = copyOfBaseline("lost");
        assertEquals(CrashPoints.HALT_STATUS, ExportChild.run("bundle.rename#1", null, childArgs(dir, "b2")).status());
        List<Path> staging = stagingLeftovers(dir).stream()
                .filter(p -> p.getFileName().toString().contains(BundleWriter.STAGING_INFIX)).toList();
        assertEquals(1, staging.size(), "the killed run left its staging directory: " + staging);
        assertTrue(Files.exists(staging.get(0).resolve("manifest.json")), "with a complete signed bundle in it");
        // a staging directory no reservation of this channel names is not ours to delete
        Path foreign = BundleWriter.stagingDir(dir.resolve("out/b2"), "someone-else");
        Files.createDirectories(foreign.resolve("volumes"));
        Files.writeString(foreign.resolve("volumes/keep"), "keep");

        ExportResult next = run(dir, "b3");
        assertTrue(Files.exists(foreign.resolve("volumes/keep")), "only the reserved staging directory is removed");
        Spool.deleteTree(foreign);
        assertTrue(next.bundleWritten());
        assertEquals(3L, next.sequence(), "sequence 2 was reserved by the killed run and is not reused");
        assertTrue(next.warnings().stream().anyMatch(w -> w.contains("sequence number is not used again")),
                next.warnings().toString());
        assertEquals(1L, next.baseSequence());
        assertEquals(List.of(), stagingLeftovers(dir));
        assertEquals(Set.of(1L, 3L), checkOutput(dir, "lost").keySet());
    }

    /** Killed once while writing, then again while the next run adopts: the third run still ends clean. */
    @Test
    void aRunKilledWhileSettlingAKilledRunIsSettledByTheNext() throws Exception {
        Path dir = copyOfBaseline("twice");
        assertEquals(CrashPoints.HALT_STATUS, ExportChild.run("bundle.placed#1", null, childArgs(dir, "b2")).status());
        assertEquals(CrashPoints.HALT_STATUS, ExportChild.run("recover.adopted#1", null, childArgs(dir, "b3")).status());
        finishAndCheck(dir, "twice");
        assertEquals(Set.of(1L, 2L), checkOutput(dir, "twice").keySet());
    }

    // ---------------------------------------------------------------------------------------------------------

    static int crashPointCount() {
        String v = System.getProperty("ferry.crash.points", System.getenv("FERRY_CRASH_POINTS"));
        return v == null || v.isBlank() ? CI_POINTS : Integer.parseInt(v.trim());
    }

    /** Every step a complete run of the crash scenario passes, in order, as {@code <step>#<n>}. */
    private static List<String> tracedSteps() throws Exception {
        Path dir = copyOfBaseline("trace");
        Path trace = root.resolve("trace.txt");
        ExportChild.Outcome o = ExportChild.run(null, trace, childArgs(dir, "b2"));
        assertEquals(0, o.status(), o.output());
        List<String> steps = new ArrayList<>();
        Map<String, Integer> counts = new HashMap<>();
        for (String name : Files.readAllLines(trace)) {
            steps.add(name + "#" + counts.merge(name, 1, Integer::sum));
        }
        deleteTree(dir);
        return steps;
    }

    /** The first occurrence of every step name, then evenly spread others, {@code n} in all (fewer if the run has fewer). */
    static List<String> choose(List<String> steps, int n) {
        Set<Integer> chosen = new LinkedHashSet<>();
        Set<String> names = new TreeSet<>();
        for (int k = 0; k < steps.size(); k++) {
            if (names.add(steps.get(k).substring(0, steps.get(k).lastIndexOf('#')))) {
                chosen.add(k);
            }
        }
        int want = Math.min(n, steps.size());
        while (chosen.size() < want) {
            // the middle of the widest stretch of steps not chosen yet
            List<Integer> sorted = new ArrayList<>(new TreeSet<>(chosen));
            sorted.add(0, -1);
            sorted.add(steps.size());
            int best = 0;
            for (int k = 1; k < sorted.size() - 1; k++) {
                if (sorted.get(k + 1) - sorted.get(k) > sorted.get(best + 1) - sorted.get(best)) {
                    best = k;
                }
            }
            chosen.add((sorted.get(best) + sorted.get(best + 1)) / 2);
        }
        return new TreeSet<>(chosen).stream().map(steps::get).toList();
    }

    private static List<String> childArgs(Path dir, String out) {
        List<String> args = new ArrayList<>(List.of(upstream.uri().toString(), dir.resolve("state").toString(),
                dir.resolve("out").resolve(out).toString(), keyFile.toString()));
        args.addAll(SECOND);
        return args;
    }

    private static ExportResult run(Path dir, String out) throws Exception {
        return ExportJob.run(ExportChild.options(upstream.uri(), dir.resolve("state"), dir.resolve("out").resolve(out),
                Fixture.KEY, SECOND).build(), Progress.NONE);
    }

    /** The next runs, to completion; then everything the promises say about what is left. */
    private static void finishAndCheck(Path dir, String point) throws Exception {
        run(dir, "b3");
        ExportResult again = run(dir, "b4");
        assertFalse(again.bundleWritten(), point + ": after a completed run nothing is new");
        checkOutput(dir, point);
    }

    /** @return the bundles in the output by sequence, each verified */
    private static Map<Long, Manifest> checkOutput(Path dir, String point) throws Exception {
        assertEquals(List.of(), stagingLeftovers(dir), point + ": staging directories left");
        Path state = dir.resolve("state");
        try (Stream<Path> s = Files.list(state)) {
            assertEquals(Set.of("lock", "state.json", "cache", "wsus", "history"), s.map(p -> p.getFileName().toString())
                    .collect(java.util.stream.Collectors.toSet()), point + ": state directory");
        }
        try (Stream<Path> s = Files.list(state.resolve("history"))) {
            assertEquals(List.of(), s.filter(p -> !p.getFileName().toString().matches("[0-9]+\\.json")).toList(),
                    point + ": temporary files of the state history left");
        }
        try (Stream<Path> s = Files.walk(state.resolve("wsus"))) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList(),
                    point + ": temporary files of the held category documents left");
        }
        try (Stream<Path> s = Files.walk(state.resolve("cache/.partial"))) {
            assertEquals(List.of(), s.filter(Files::isRegularFile).toList(), point + ": partial downloads left");
        }
        Map<Long, Manifest> bySequence = new TreeMap<>();
        Set<String> carried = new TreeSet<>();
        try (Stream<Path> s = Files.list(dir.resolve("out"))) {
            for (Path b : s.sorted().toList()) {
                Manifest m = verify(b, point);
                assertNull(bySequence.put(m.sequence(), m), point + ": two bundles with sequence " + m.sequence()
                        + " on channel " + m.channel());
                assertEquals("default", m.channel());
                for (Entry e : m.entries()) {
                    carried.add(e.path());
                }
            }
        }
        for (Manifest m : bySequence.values()) {
            assertTrue(m.baseSequence() == null || bySequence.containsKey(m.baseSequence()),
                    point + ": bundle " + m.sequence() + " builds on " + m.baseSequence() + ", which is not in the output");
        }
        ExportState st = new StateStore(state).read("default");
        long last = ((TreeMap<Long, Manifest>) bySequence).lastKey();
        assertEquals(last, st.lastSequence(), point + ": the state records the last bundle");
        assertEquals(bySequence.get(last).bundleId().toString(), st.lastBundleId(), point);
        assertEquals("wsus", st.source(), point);
        for (JsonNode n : st.sourceState().get("exportedRevisions")) {
            String rev = n.asText();
            int r = rev.lastIndexOf("-r");
            String path = "wsus/metadata/" + rev.substring(0, r) + "/" + rev.substring(r + 2) + ".xml";
            assertTrue(carried.contains(path), point + ": the state says " + rev + " was exported, but no bundle carries it");
        }
        for (JsonNode n : st.sourceState().get("exportedFiles")) {
            String sha1 = n.asText();
            assertTrue(carried.stream().anyMatch(p -> p.contains("/" + sha1 + ".")),
                    point + ": the state says file " + sha1 + " was exported, but no bundle carries it");
        }
        return bySequence;
    }

    /** Signature by the test key over the manifest, every volume's size and SHA-256, every entry's digests. */
    private static Manifest verify(Path bundle, String point) throws Exception {
        assertFalse(BundleWriter.isStagingName(bundle.getFileName().toString()), point + ": " + bundle);
        assertTrue(Files.isDirectory(bundle, LinkOption.NOFOLLOW_LINKS), point + ": " + bundle + " is not a bundle");
        BundleReader r = BundleReader.open(bundle);
        Manifest m = r.manifest();
        List<Path> sigs = r.signatureFiles();
        assertEquals(1, sigs.size(), point + ": signatures of " + bundle);
        List<SignatureCheck> checks = DetachedSignatures.verify(Files.readAllBytes(sigs.get(0)), r.manifestBytes(),
                List.of(Fixture.KEY.publicKey()));
        assertTrue(checks.stream().allMatch(SignatureCheck::valid), point + ": " + checks);
        for (Volume v : m.volumes()) {
            Path f = r.volumeFile(v);
            assertEquals(v.size(), Files.size(f), point + ": size of " + f);
            assertEquals(v.sha256(), sha256(f), point + ": SHA-256 of " + f);
        }
        for (Entry e : m.entries()) {
            try (InputStream in = r.openEntry(e)) {
                in.transferTo(OutputStream.nullOutputStream()); // throws on a size or digest mismatch
            }
        }
        return m;
    }

    private static List<Path> stagingLeftovers(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().contains(BundleWriter.STAGING_INFIX)
                    || p.getFileName().toString().startsWith(Spool.PREFIX)
                    || p.getFileName().toString().contains(".tmp-")).toList();
        }
    }

    private static String sha256(Path f) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(f)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static Path copyOfBaseline(String name) throws Exception {
        Path dir = root.resolve(name);
        try (Stream<Path> s = Files.walk(baseline)) {
            for (Path p : s.toList()) {
                Path t = dir.resolve(baseline.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        return dir;
    }

    private static void deleteTree(Path dir) throws Exception {
        Spool.deleteTree(dir);
    }
}
