package ferry.cli;

import ferry.format.CrashPoints;
import ferry.samples.SyntheticUpdates;
import ferry.wsus.UpdateIdentity;
import ferry.wsus.client.RevisionFilter;
import ferry.wsus.client.ServerSyncSession;
import ferry.wsus.client.SyncedUpdate;
import ferry.wsus.client.WsusClient;
import ferry.wsus.client.WsusClientOptions;
import ferry.wsus.metadata.UpdateDocument;
import ferry.wsus.metadata.UpdateFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Import while serving, with real processes: {@code ferry serve} runs in its own JVM, each {@code ferry import} in
 * another, both through the real entry point ({@link Main#main}), while a downstream server stands in this JVM:
 * ferry's MS-WSUSSS client synchronizing over loopback HTTP in a loop (config and product revision lists, update
 * data for every listed revision) and downloading every file of every listed update, checking its SHA-256.
 *
 * <p>Every answer must be wholly the old state or wholly the new one (a revision list equal to the list before or
 * after the import, update data for every listed revision, every listed file downloadable and intact), answers
 * while the import is in flight must be the old state, answers after the import process exited the new one, and
 * no request may fail. Imports are held in flight, or killed, at named steps ({@link CrashPoints}).
 */
class ImportWhileServingTest {
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    static Path dir;
    static Path trust;
    /** Contoso Widget security updates (channel "security"): what the store holds before. */
    static Path bundleA;
    /** Contoso Widget critical updates (channel "critical"): what the import brings while serving. */
    static Path bundleB;
    private static ConnectedSide side;

    @BeforeAll
    static void exportBundles() throws Exception {
        side = ConnectedSide.start(dir, "iws <iws@ferry.invalid>");
        Path keys = side.keys();
        trust = side.trust();
        bundleA = dir.resolve("bundle-a");
        bundleB = dir.resolve("bundle-b");
        for (String[] e : List.of(new String[] {"security", "Security Updates", bundleA.toString()},
                new String[] {"critical", "Critical Updates", bundleB.toString()})) {
            ok(ferry("export", "--upstream", side.upstream().uri().toString(), "--channel", e[0], "--state",
                    dir.resolve("state-" + e[0]).toString(), "--key", keys.resolve("signer.sec.asc").toString(),
                    "--out", e[2], "--quiet", "--product", "Contoso Widget", "--classification", e[1],
                    "--volume-size", "256KiB"));
        }
    }

    @AfterAll
    static void stopUpstream() throws Exception {
        side.close();
    }

    @Test
    void anImportWhileServingIsSeenWhole_andASecondImportMeanwhileIsRefused() throws Exception {
        Path store = storeWithA("whole");
        try (Served served = Served.start(store, dir.resolve("whole-serve"))) {
            State old = State.observe(served.uri);
            Path pause = dir.resolve("whole-pause");
            try (Downstream client = Downstream.start(served.uri, 2)) {
                Child imp = Child.start(dir.resolve("whole-import"), List.of(pauseAt("import.copied#1", pause)),
                        "import", bundleB.toString(), "--store", store.toString(), "--trust-store", trust.toString(),
                        "--quiet");
                imp.awaitFile(pause);
                client.awaitObservationsAfter(System.nanoTime(), 3);

                // (2) a second import while the first holds the store: refused, "locked", one line.
                Child second = Child.start(dir.resolve("whole-second"), List.of(), "import", bundleB.toString(),
                        "--store", store.toString(), "--trust-store", trust.toString(), "--quiet");
                assertEquals(ExitCodes.LOCKED, second.await(), second.output());
                List<String> lines = second.err().lines().filter(l -> !l.isBlank()).toList();
                assertEquals(1, lines.size(), "one line: " + second.err());
                assertTrue(lines.get(0).startsWith("ferry import: ") && lines.get(0).contains("in use by another ferry run")
                        && lines.get(0).contains("store.lock"), lines.get(0));

                client.awaitObservationsAfter(System.nanoTime(), 2);
                long resumed = System.nanoTime();
                Files.delete(pause);
                assertEquals(0, imp.await(), imp.output());
                long exited = System.nanoTime();
                client.awaitObservationsAfter(exited, 3);
                client.close();

                State fresh = State.observe(served.uri);
                assertNotEquals(old.product, fresh.product, "the import brought new revisions");
                assertTrue(fresh.product.containsAll(old.product), "and kept the old ones");
                client.assertWhole(old, fresh);
                client.assertState(old, Long.MIN_VALUE, resumed, "while the import was in flight");
                client.assertState(fresh, exited, Long.MAX_VALUE, "after the import exited");
            }
            assertEquals(List.of(), journals(store), "no import journal left");
        }
    }

    @Test
    void anImportKilledWhileServing_leavesServingUnaffected_andTheNextImportRecovers() throws Exception {
        Path store = storeWithA("killed");
        try (Served served = Served.start(store, dir.resolve("killed-serve"))) {
            State old = State.observe(served.uri);
            try (Downstream client = Downstream.start(served.uri, 1)) {
                // Killed inside the commit transaction, which it runs through the serving process's catalog.
                for (String point : List.of("import.copied#1", "store.commit#1")) {
                    Child killed = Child.start(dir.resolve("killed-" + point.replace('#', '-')),
                            List.of("-D" + CrashPoints.HALT_PROPERTY + "=" + point), "import", bundleB.toString(),
                            "--store", store.toString(), "--trust-store", trust.toString(), "--quiet");
                    assertEquals(CrashPoints.HALT_STATUS, killed.await(), point + ": " + killed.output());
                    client.awaitObservationsAfter(System.nanoTime(), 2);
                }
                long killedAll = System.nanoTime();
                assertTrue(!journals(store).isEmpty(), "the killed runs left journals");

                Child next = Child.start(dir.resolve("killed-next"), List.of(), "import", bundleB.toString(),
                        "--store", store.toString(), "--trust-store", trust.toString(), "--quiet");
                assertEquals(0, next.await(), next.output());
                long exited = System.nanoTime();
                client.awaitObservationsAfter(exited, 2);
                client.close();

                State fresh = State.observe(served.uri);
                assertNotEquals(old.product, fresh.product);
                client.assertWhole(old, fresh);
                client.assertState(old, Long.MIN_VALUE, killedAll, "up to the kills");
                client.assertState(fresh, exited, Long.MAX_VALUE, "after the next import");
            }
            assertEquals(List.of(), journals(store), "the next import gave back what the killed ones left");
            try (Stream<Path> tmp = Files.list(store.resolve("tmp"))) {
                assertEquals(0, tmp.count(), "nothing left in tmp/");
            }
        }
    }

    @Test
    void serveStoppedWhileAnImportIsInFlight_theImportStillCommits() throws Exception {
        Path store = storeWithA("stopped");
        Path pause = dir.resolve("stopped-pause");
        Child imp;
        State old;
        try (Served served = Served.start(store, dir.resolve("stopped-serve"))) {
            old = State.observe(served.uri);
            // The import's catalog connections go through the serving process, which owns the catalog file.
            imp = Child.start(dir.resolve("stopped-import"), List.of(pauseAt("import.copied#1", pause)), "import",
                    bundleB.toString(), "--store", store.toString(), "--trust-store", trust.toString(), "--quiet");
            imp.awaitFile(pause);
        }
        Files.delete(pause);
        assertEquals(0, imp.await(), imp.output());
        try (Served again = Served.start(store, dir.resolve("stopped-serve2"))) {
            State fresh = State.observe(again.uri);
            assertTrue(fresh.product.containsAll(old.product) && fresh.product.size() > old.product.size(),
                    "the import committed: " + fresh.product);
        }
    }

    @Test
    void serveStoppedInTheMiddleOfTheCommit_theImportFailsCleanly_andTheNextOneImports() throws Exception {
        Path store = storeWithA("midcommit");
        Path pause = dir.resolve("midcommit-pause");
        Child imp;
        State old;
        try (Served served = Served.start(store, dir.resolve("midcommit-serve"))) {
            old = State.observe(served.uri);
            // Held inside the commit transaction, which runs in the serving process's catalog.
            imp = Child.start(dir.resolve("midcommit-import"), List.of(pauseAt("store.commit#1", pause)), "import",
                    bundleB.toString(), "--store", store.toString(), "--trust-store", trust.toString(), "--quiet");
            imp.awaitFile(pause);
        }
        Files.delete(pause);
        assertEquals(ExitCodes.LOCKED, imp.await(), imp.output());
        List<String> lines = imp.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), imp.err());
        assertTrue(lines.get(0).contains("the catalog went away during the commit") && lines.get(0).contains("run the import again"),
                lines.get(0));
        assertEquals(List.of(), journals(store), "the failed import gave back what it wrote");
        try (Served again = Served.start(store, dir.resolve("midcommit-serve2"))) {
            assertEquals(old, State.observe(again.uri), "nothing of the cut-off commit is visible");
            Child next = Child.start(dir.resolve("midcommit-next"), List.of(), "import", bundleB.toString(),
                    "--store", store.toString(), "--trust-store", trust.toString(), "--quiet");
            assertEquals(0, next.await(), next.output());
            State fresh = State.observe(again.uri);
            assertTrue(fresh.product.containsAll(old.product) && fresh.product.size() > old.product.size());
        }
    }

    @Test
    void serveStartedWhileAnImportHoldsTheCatalog_keepsServingWhenThatImportIsKilled() throws Exception {
        Path store = storeWithA("failover");
        Path pause = dir.resolve("failover-pause");
        // The import opens the catalog first, so H2 serves it from the import's process ...
        Child imp = Child.start(dir.resolve("failover-import"), List.of(pauseAt("import.decided#1", pause)),
                "import", bundleB.toString(), "--store", store.toString(), "--trust-store", trust.toString(), "--quiet");
        imp.awaitFile(pause);
        assertCatalogSharedOnLoopbackOnly(store);
        try (Served served = Served.start(store, dir.resolve("failover-serve"))) {
            State old = State.observe(served.uri);
            try (Downstream client = Downstream.start(served.uri, 1)) {
                client.awaitObservationsAfter(System.nanoTime(), 2);
                // ... until that process dies: serving must carry on from the file itself, no request failing.
                imp.process.destroyForcibly();
                imp.process.waitFor(60, TimeUnit.SECONDS);
                long killed = System.nanoTime();
                client.awaitObservationsAfter(killed, 3);
                Child next = Child.start(dir.resolve("failover-next"), List.of(), "import", bundleB.toString(),
                        "--store", store.toString(), "--trust-store", trust.toString(), "--quiet");
                assertEquals(0, next.await(), next.output());
                long exited = System.nanoTime();
                client.awaitObservationsAfter(exited, 2);
                client.close();
                State fresh = State.observe(served.uri);
                assertNotEquals(old.product, fresh.product);
                client.assertWhole(old, fresh);
                client.assertState(fresh, exited, Long.MAX_VALUE, "after the next import");
            }
        } finally {
            Files.deleteIfExists(pause);
        }
    }

    // ---- helpers ----

    /**
     * H2 writes where it serves the open catalog, and the key a client must name, into catalog.lock.db: the address
     * must be loopback, the port closed on every other address of this host, the file its owner's alone.
     */
    private static void assertCatalogSharedOnLoopbackOnly(Path store) throws Exception {
        Path lock = store.resolve("catalog.lock.db");
        java.util.Properties p = new java.util.Properties();
        try (var in = Files.newInputStream(lock)) {
            p.load(in);
        }
        String server = p.getProperty("server");
        assertTrue(server != null && server.matches("(localhost|127\\.0\\.0\\.1):\\d+"), "H2 server at " + server);
        int port = Integer.parseInt(server.substring(server.indexOf(':') + 1));
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            assertTrue(s.isConnected(), "the catalog is served on loopback");
        }
        for (var nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            for (var a : java.util.Collections.list(nic.getInetAddresses())) {
                if (a.isLoopbackAddress() || a.isLinkLocalAddress()) {
                    continue;
                }
                try (java.net.Socket s = new java.net.Socket()) {
                    s.connect(new java.net.InetSocketAddress(a, port), 2000);
                    throw new AssertionError("the catalog's TCP port " + port + " answers on " + a);
                } catch (IOException expected) {
                    // refused: not listening there
                }
            }
        }
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(lock)), "the lock file holds the key: owner only");
    }

    private static Path storeWithA(String name) {
        Path store = dir.resolve(name + "-store");
        ok(ferry("import", bundleA.toString(), "--store", store.toString(), "--trust-store", trust.toString(), "--quiet"));
        return store;
    }

    private static String pauseAt(String step, Path file) {
        return "-D" + CrashPoints.PAUSE_PROPERTY + "=" + step + "=" + file;
    }

    private static List<String> journals(Path store) throws IOException {
        Path j = store.resolve("journal");
        if (!Files.isDirectory(j)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(j)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    private record Result(int code, String out, String err) {
    }

    private static Result ferry(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Result(cl.execute(args), out.toString(), err.toString());
    }

    private static void ok(Result r) {
        assertEquals(0, r.code, r.out + r.err);
    }

    /** What a downstream server sees in one synchronization. */
    record State(Set<UpdateIdentity> config, Set<UpdateIdentity> product) {
        static State observe(URI uri) throws Exception {
            return Downstream.sync(new WsusClient(uri, WsusClientOptions.defaults()), HttpClient.newHttpClient(),
                    new ArrayList<>());
        }
    }

    /** A child JVM running the real {@code ferry} entry point, its output in files. */
    static final class Child {
        final Process process;
        final Path out;
        final Path err;

        private Child(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        static Child start(Path logs, List<String> jvmArgs, String... args) throws IOException {
            Files.createDirectories(logs);
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-Xmx256m");
            // Nothing here is timed: C1 only and the serial collector cut each start's CPU time by 40 %.
            cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
            cmd.addAll(jvmArgs);
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
            cmd.addAll(List.of(args));
            Path out = logs.resolve("stdout");
            Path err = logs.resolve("stderr");
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            return new Child(p, out, err);
        }

        int await() throws Exception {
            if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("child did not finish: " + output());
            }
            return process.exitValue();
        }

        void awaitFile(Path file) throws Exception {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!Files.exists(file)) {
                assertTrue(process.isAlive(), "the child ended before reaching " + file + ": " + output());
                assertTrue(System.nanoTime() < deadline, "the child never reached " + file);
                Thread.sleep(20);
            }
        }

        String err() throws IOException {
            return Files.readString(err, StandardCharsets.UTF_8);
        }

        String output() throws IOException {
            return Files.readString(out, StandardCharsets.UTF_8) + Files.readString(err, StandardCharsets.UTF_8);
        }
    }

    /** {@code ferry serve} in a child JVM on a free loopback port; closing it stops it as Ctrl-C would. */
    static final class Served implements AutoCloseable {
        final Child child;
        final URI uri;

        private Served(Child child, URI uri) {
            this.child = child;
            this.uri = uri;
        }

        static Served start(Path store, Path logs) throws Exception {
            Child c = Child.start(logs, List.of(), "serve", "--store", store.toString(), "--bind", "127.0.0.1",
                    "--port", "0");
            Pattern at = Pattern.compile("at http://127\\.0\\.0\\.1:(\\d+)/");
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                Matcher m = at.matcher(Files.readString(c.out, StandardCharsets.UTF_8));
                if (m.find()) {
                    return new Served(c, URI.create("http://127.0.0.1:" + m.group(1) + "/"));
                }
                assertTrue(c.process.isAlive(), "serve ended: " + c.output());
                assertTrue(System.nanoTime() < deadline, "serve did not start: " + c.output());
                Thread.sleep(50);
            }
        }

        @Override
        public void close() throws Exception {
            child.process.destroy(); // SIGTERM: the shutdown hook stops serving
            if (!child.process.waitFor(60, TimeUnit.SECONDS)) {
                child.process.destroyForcibly();
                throw new AssertionError("serve did not stop: " + child.output());
            }
        }
    }

    /** Downstream servers synchronizing in a loop, each answer recorded with when its synchronization began. */
    static final class Downstream implements AutoCloseable {
        record Observation(long startedNanos, long endedNanos, State state) {
        }

        private final URI uri;
        private final List<Observation> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        private final List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        private final List<String> mixed = java.util.Collections.synchronizedList(new ArrayList<>());
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean stop;

        private Downstream(URI uri) {
            this.uri = uri;
        }

        static Downstream start(URI uri, int threads) {
            Downstream d = new Downstream(uri);
            for (int i = 0; i < threads; i++) {
                Thread t = new Thread(d::loop, "downstream-" + i);
                t.setDaemon(true);
                d.threads.add(t);
                t.start();
            }
            return d;
        }

        private void loop() {
            // One client each, as a downstream server keeps its connections: a new session per synchronization.
            HttpClient http = HttpClient.newHttpClient();
            WsusClient wsus = new WsusClient(uri, WsusClientOptions.defaults());
            while (!stop) {
                long started = System.nanoTime();
                try {
                    State st = sync(wsus, http, mixed);
                    seen.add(new Observation(started, System.nanoTime(), st));
                } catch (Exception e) {
                    errors.add(e.toString());
                }
            }
        }

        /**
         * One synchronization as a downstream server runs it, then every file of every listed update downloaded.
         * Whatever is inconsistent within it goes to {@code mixed}.
         */
        static State sync(WsusClient wsus, HttpClient http, List<String> mixed) throws Exception {
            ServerSyncSession s = wsus.open();
            Set<UpdateIdentity> config = new HashSet<>(s.getRevisionIdList(true, RevisionFilter.everything()).newRevisions());
            List<UpdateIdentity> ids = s.getRevisionIdList(false,
                    RevisionFilter.full(List.of(SyntheticUpdates.CONTOSO_WIDGET), List.of())).newRevisions();
            List<SyncedUpdate> data = s.getUpdateData(ids);
            Set<UpdateIdentity> got = new HashSet<>();
            data.forEach(u -> got.add(u.identity()));
            if (!got.equals(new HashSet<>(ids))) {
                mixed.add("update data for " + got + " after the list " + ids);
            }
            for (SyncedUpdate u : data) {
                for (UpdateFile f : UpdateDocument.parse(u.xml()).files()) {
                    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(s.contentUri(f.sha1Base64(), f.fileName()))
                            .build(), HttpResponse.BodyHandlers.ofByteArray());
                    if (r.statusCode() != 200) {
                        mixed.add(f.fileName() + " of listed update " + u.identity() + ": HTTP " + r.statusCode());
                    } else if (f.sha256Base64() != null && !f.sha256Base64().equals(sha256(r.body()))) {
                        mixed.add(f.fileName() + " of listed update " + u.identity() + ": wrong bytes");
                    }
                }
            }
            return new State(config, new HashSet<>(ids));
        }

        void awaitObservationsAfter(long nanos, int count) throws Exception {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                long n;
                synchronized (seen) {
                    n = seen.stream().filter(o -> o.startedNanos > nanos).count();
                }
                if (n >= count) {
                    return;
                }
                assertTrue(errors.isEmpty(), "requests failed: " + errors);
                assertTrue(System.nanoTime() < deadline, "the downstream loop made no progress; errors " + errors);
                Thread.sleep(20);
            }
        }

        /** Zero errors, nothing mixed, every answer wholly {@code old} or wholly {@code fresh}. */
        void assertWhole(State old, State fresh) {
            assertEquals(List.of(), errors, "failed requests");
            assertEquals(List.of(), mixed, "inconsistent answers");
            List<String> neither = new ArrayList<>();
            synchronized (seen) {
                for (Observation o : seen) {
                    boolean configOk = o.state.config().equals(old.config()) || o.state.config().equals(fresh.config());
                    boolean productOk = o.state.product().equals(old.product()) || o.state.product().equals(fresh.product());
                    if (!configOk || !productOk) {
                        neither.add(o.state.toString());
                    }
                }
            }
            assertEquals(List.of(), neither, "answers that were neither the old nor the new state");
            assertTrue(seen.size() >= 5, "synchronizations: " + seen.size());
        }

        /** Every synchronization that began after {@code startedAfter} and ended before {@code endedBefore} saw {@code state}. */
        void assertState(State state, long startedAfter, long endedBefore, String when) {
            int n = 0;
            synchronized (seen) {
                for (Observation o : seen) {
                    if (o.startedNanos > startedAfter && o.endedNanos < endedBefore) {
                        assertEquals(state.product(), o.state.product(), when);
                        assertEquals(state.config(), o.state.config(), when);
                        n++;
                    }
                }
            }
            assertTrue(n >= 1, "no synchronization " + when);
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            for (Thread t : threads) {
                t.join(WAIT.toMillis());
            }
        }

        private static String sha256(byte[] bytes) throws Exception {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
    }
}
