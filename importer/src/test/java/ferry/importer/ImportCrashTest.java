package ferry.importer;

import ferry.format.CrashPoints;
import ferry.format.Progress;
import ferry.format.trust.TrustStore;
import ferry.store.ChannelState;
import ferry.store.Store;
import ferry.store.StoreCounts;
import ferry.wsus.catalog.WsusCatalog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static ferry.importer.TestBundles.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The import half of the crash harness: a real import in a child JVM, stopped dead ({@link CrashPoints}) at one
 * step after another: while volumes are read and copied, after the copy, after the metadata is parsed, inside the
 * store's object writes and commit, after the commit. After each kill the test checks that the catalog shows the
 * bundle entirely or not at all (nothing half-visible), then runs the next import of a different bundle to
 * completion and checks the store is exactly what it would be without the crash: same catalog, same objects, no
 * leftover from the killed run, nothing in {@code tmp/}.
 *
 * <p>{@value #CI_POINTS} points by default; {@code -Dferry.crash.points=100} (or {@code FERRY_CRASH_POINTS=100})
 * runs the long mode.
 */
class ImportCrashTest {
    static final int CI_POINTS = 20;

    @TempDir
    static Path root;
    static Path trustDir;
    static Path base;
    static Path b2;
    static Path b3;
    static State afterB2;
    static State afterB3Only;

    /** What a crash must leave equal: catalog contents (not import times) and objects on disk. */
    record State(StoreCounts counts, List<ChannelState> channels, List<String> bundles, long changeNumber,
                 List<String> objects, List<String> tmp) {
        static State of(Path storeDir) {
            try (Store s = StoreSnapshot.open(storeDir)) {
                List<String> bundles = s.bundles().stream().map(b -> b.bundleId() + "@" + b.sequenceNumber())
                        .sorted().toList();
                return new State(StoreSnapshot.counts(s), s.channels(), bundles, new WsusCatalog(s).currentChangeNumber(),
                        StoreSnapshot.objects(storeDir), files(storeDir.resolve("tmp")));
            }
        }

        State catalog() {
            return new State(counts, channels, bundles, 0, List.of(), List.of());
        }

        State withChangeNumber(long n) {
            return new State(counts, channels, bundles, n, objects, tmp);
        }
    }

    @BeforeAll
    static void prepare() throws Exception {
        trustDir = root.resolve("trust");
        TrustStore trust = TestBundles.trust(trustDir, 1, ALICE);
        base = root.resolve("base");
        Importer.importBundle(bundle().real(CATEGORIES.toArray(String[]::new)).write(root.resolve("b1")), base, trust,
                NOW, Progress.NONE);
        Synthetic d = defenderUpdate(200);
        Synthetic big = new Synthetic(d.updateId(), d.revision(), d.title(), d.kb(), d.product(), d.classification(),
                d.fileName(), bytes(3 << 20, 11));
        b2 = bundle().sequence(2).real(KB2267602, STUB).update(big).update(securityUpdate()).write(root.resolve("b2"));
        b3 = bundle().sequence(3).update(defenderUpdate(300)).write(root.resolve("b3"));

        Path ref = copy(base, root.resolve("ref-b2"));
        Importer.importBundle(b2, ref, trust, NOW, Progress.NONE);
        afterB2 = State.of(ref);
        Path refB3 = copy(base, root.resolve("ref-b3"));
        Importer.importBundle(b3, refB3, trust, NOW, Progress.NONE);
        afterB3Only = State.of(refB3);
    }

    @Test
    void anImportKilledAtAnyPointLeavesNothingHalfVisibleAndNoLeftovers() throws Exception {
        State before = State.of(base);
        List<String> trace = traceSteps();
        List<String> points = choose(trace, pointCount());
        assertTrue(points.size() >= Math.min(CI_POINTS, trace.size()), "points: " + points);
        assertTrue(points.size() >= CI_POINTS, "the import passes only " + trace.size() + " crash points: " + trace);
        // Points are independent (each gets its own copy of the store): run them on every core.
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                Math.max(1, Runtime.getRuntime().availableProcessors()));
        try {
            List<java.util.concurrent.Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < points.size(); i++) {
                String point = points.get(i);
                Path store = root.resolve("crash-" + i);
                runs.add(pool.submit(() -> {
                    String failure = crashAndRecover(point, store, before);
                    if (failure != null) {
                        failures.add(failure);
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : runs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(), failures, failures.size() + " of " + points.size() + " crash points failed");
    }

    /** Kills an import of b2 at {@code point}, runs the next import, and says what is wrong (null: nothing). */
    static String crashAndRecover(String point, Path storeCopy, State before) throws Exception {
        Path store = copy(base, storeCopy);
        Run killed = child(store, b2, "-D" + CrashPoints.HALT_PROPERTY + "=" + point);
        if (killed.exit != CrashPoints.HALT_STATUS) {
            return point + ": expected the child to be killed, exit " + killed.exit + ": " + killed.out;
        }
        State crashed = State.of(store).catalog();
        boolean committed = crashed.equals(afterB2.catalog());
        if (!committed && !crashed.equals(before.catalog())) {
            return point + ": half-visible catalog " + crashed;
        }
        // The next run imports another bundle; the killed run's objects must not survive it.
        Run next = child(store, committed ? null : b3);
        if (next.exit != 0) {
            return point + ": the next run failed, exit " + next.exit + ": " + next.out;
        }
        State after = State.of(store);
        State expected = committed ? afterB2 : afterB3Only;
        // Change numbers come from an H2 sequence, which a killed transaction may advance (and H2 caches a
        // block of values): a gap is harmless, anchors only need them to grow.
        if (after.changeNumber() < expected.changeNumber()) {
            return point + ": change number went back to " + after.changeNumber();
        }
        after = after.withChangeNumber(expected.changeNumber());
        return after.equals(expected) ? null : point + ": after the next run " + after + ", expected " + expected;
    }

    /** Every step a complete import of b2 passes, in order, numbered per step: "import.copy#3". */
    static List<String> traceSteps() throws Exception {
        Path store = copy(base, root.resolve("trace"));
        Path trace = root.resolve("trace.txt");
        Run r = child(store, b2, "-D" + CrashPoints.TRACE_PROPERTY + "=" + trace);
        assertEquals(0, r.exit, r.out);
        Map<String, Integer> counts = new HashMap<>();
        List<String> out = new ArrayList<>();
        for (String step : Files.readAllLines(trace)) {
            out.add(step + "#" + counts.merge(step, 1, Integer::sum));
        }
        return out;
    }

    /** The first occurrence of every step, then evenly spread others, {@code n} in all (or all there are). */
    static List<String> choose(List<String> trace, int n) {
        LinkedHashMap<String, Boolean> chosen = new LinkedHashMap<>();
        for (String t : trace) {
            if (t.endsWith("#1")) {
                chosen.put(t, true);
            }
        }
        for (int k = 0; chosen.size() < Math.min(n, trace.size()) && k < trace.size(); k++) {
            int step = Math.max(1, trace.size() / Math.max(1, n - chosen.size()));
            for (int j = k; j < trace.size() && chosen.size() < n; j += step) {
                chosen.putIfAbsent(trace.get(j), true);
            }
        }
        return new ArrayList<>(chosen.keySet());
    }

    static int pointCount() {
        String v = System.getProperty("ferry.crash.points", System.getenv("FERRY_CRASH_POINTS"));
        return v == null || v.isBlank() ? CI_POINTS : Integer.parseInt(v.trim());
    }

    record Run(int exit, String out) {
    }

    /** Imports {@code bundle} (or nothing, just opens the store, when null) in a child JVM. */
    static Run child(Path store, Path bundle, String... jvmArgs) throws Exception {
        Process p = new ProcessBuilder(childCommand(store, trustDir, bundle, jvmArgs)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child import hung: " + out);
        }
        return new Run(p.exitValue(), out);
    }

    /** The command line of a child JVM importing {@code bundle} (null: just opening the store) with {@link ImportChild}. */
    static List<String> childCommand(Path store, Path trustDir, Path bundle, String... jvmArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Nothing in the child is timed: C1 only and the serial collector cut its start's CPU time by 40 %.
        cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        cmd.addAll(List.of(jvmArgs));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ImportChild.class.getName(),
                store.toString(), trustDir.toString(), bundle == null ? "-" : bundle.toString(), NOW.toString()));
        return cmd;
    }

    /** The child: one import, exit 0 on success. */
    public static final class ImportChild {
        public static void main(String[] args) throws Exception {
            Path store = Path.of(args[0]);
            TrustStore trust = TrustStore.load(Path.of(args[1]));
            if (args[2].equals("-")) {
                StoreSnapshot.open(store).close();
                return;
            }
            ImportResult r = Importer.importBundle(Path.of(args[2]), store, trust, Instant.parse(args[3]),
                    Progress.NONE);
            System.out.println(r.message());
        }
    }

    static Path copy(Path from, Path to) {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.sorted(Comparator.naturalOrder()).toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else if (!p.getFileName().toString().endsWith(".lock")) {
                    Files.copy(p, t);
                }
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
