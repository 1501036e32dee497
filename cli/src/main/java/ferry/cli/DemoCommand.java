package ferry.cli;

import ferry.server.ServeException;
import ferry.server.StoreServer;
import ferry.store.StoreLockedException;
import ferry.samples.SampleAptRepository;
import ferry.samples.SampleUpstream;
import ferry.samples.SyntheticUpdates;
import ferry.wsus.ContentUrls;
import ferry.wsus.UpdateIdentity;
import ferry.wsus.client.RevisionFilter;
import ferry.wsus.client.ServerSyncSession;
import ferry.wsus.client.SyncedUpdate;
import ferry.wsus.client.WsusClient;
import ferry.wsus.client.WsusClientOptions;
import ferry.wsus.metadata.UpdateDocument;
import ferry.wsus.metadata.UpdateFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code ferry demo}: the main job end to end on the bundled sample upstream, one machine, no network.
 * Each step runs the same subcommand an operator would, and prints that command line.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the whole path on one machine: start the sample upstream, generate a signing key, export a",
                "selection to a signed bundle, verify it, import it into a new store, serve the store, synchronize from",
                "it with ferry's own MS-WSUSSS client and download a content file; then publish a new revision upstream",
                "and carry it across with an incremental (delta) bundle; carry the recorded Microsoft Defender metadata",
                "on a second channel; finally carry a package and its dependencies from the sample APT repository, serve",
                "it as a signed APT repository and print the apt sources entry for it. Each step prints the command it runs."},
        footer = {"", "Exit codes: 0 every step succeeded; otherwise the failing step's exit code."})
public final class DemoCommand implements Callable<Integer> {

    static final String MARKER = ".ferry-demo";

    @Option(names = "--dir", defaultValue = "demo-output", paramLabel = "DIR",
            description = "Where everything goes (default: ${DEFAULT-VALUE}); a previous demo's output there is replaced.")
    Path dir;

    @Spec
    CommandSpec spec;

    private PrintWriter out;
    private int step;
    private static final int STEPS = 12;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        prepare();
        Path keys = dir.resolve("keys");
        Path trust = dir.resolve("trust-store");
        Path state = dir.resolve("export-state");
        Path bundle1 = dir.resolve("transfer/bundle-0001");
        Path bundle2 = dir.resolve("transfer/bundle-0002");
        Path bundleDefender = dir.resolve("transfer/defender-0001");
        Path bundleApt = dir.resolve("transfer/debian-0001");
        Path siteKey = dir.resolve("ferry-archive-keyring.asc");
        Path store = dir.resolve("store");

        try (SampleUpstream upstream = SampleUpstream.start(dir.resolve("upstream-files"), "127.0.0.1", 0)) {
            say("Sample upstream", "serving " + upstream.catalog().documents().size() + " update revisions (9 real, recorded from a"
                    + " Windows Server 2025 WSUS; the rest synthetic) at " + upstream.uri() + ", and a small APT repository"
                    + " at " + upstream.aptUri() + " signed by an upstream key made at start");

            say("Signing key", "an Ed25519 OpenPGP key for the connected side; its public half goes into the isolated side's trust store");
            run("keys", "generate", "--out", keys.toString(), "--user-id", "ferry demo signer <demo@ferry.invalid>");
            run("keys", "trust", keys.resolve(KeysCommand.PUBLIC_FILE).toString(), "--trust-store", trust.toString());

            say("Export", "product Contoso Widget, security and critical updates, metadata and files, 1 MiB volumes"
                    + " (so the 1.5 MiB file spans two volumes)");
            run(exportArgs(upstream.uri(), bundle1, state, keys));

            say("Verify (transfer station)", "signatures against the trust store, every volume and entry");
            run("verify", bundle1.toString(), "--trust-store", trust.toString(), "--quiet");

            say("Import (isolated side)", "verify again, then import atomically into a new store");
            run("import", bundle1.toString(), "--store", store.toString(), "--trust-store", trust.toString(), "--quiet");

            say("Serve", "the store as an upstream server (the command would be: ferry serve --store " + store + ")");
            try (StoreServer served = startServer(store)) {
                out.println("    serving at " + served.uri() + " (status page " + served.uri() + ")");
                say("Synchronize from the served store", "with ferry's own MS-WSUSSS client, as a downstream server would");
                synchronize(served.uri(), upstream);
            }

            say("Incremental export", "publish a new revision of KB5000102 upstream; the next export carries only that");
            String republished = upstream.catalog().metadata(new UpdateIdentity(SyntheticUpdates.KB5000102, 101)).orElseThrow()
                    .replace("RevisionNumber=\"101\"", "RevisionNumber=\"102\"");
            upstream.catalog().add(republished);
            run(exportArgs(upstream.uri(), bundle2, state, keys));
            run("verify", bundle2.toString(), "--trust-store", trust.toString(), "--quiet");
            run("import", bundle2.toString(), "--store", store.toString(), "--trust-store", trust.toString(), "--quiet");

            say("Replay protection", "importing the first bundle again changes nothing");
            run("import", bundle1.toString(), "--store", store.toString(), "--trust-store", trust.toString(), "--quiet");

            say("Real update metadata", "the recorded Microsoft Defender documents on their own channel, metadata only"
                    + " (the sample holds no copies of their files); their bundle names updates that were never recorded,"
                    + " which the export reports instead of failing");
            run("export", "--upstream", upstream.uri().toString(), "--product", "Microsoft Defender Antivirus",
                    "--classification", "Definition Updates", "--metadata-only", "--channel", "defender",
                    "--state", dir.resolve("export-state-defender").toString(),
                    "--key", keys.resolve(KeysCommand.SECRET_FILE).toString(), "--out", bundleDefender.toString(), "--quiet");
            run("import", bundleDefender.toString(), "--store", store.toString(), "--trust-store", trust.toString(), "--quiet");

            say("APT", "export " + SampleAptRepository.SELECTED + " and what it depends on from suite "
                    + SampleAptRepository.SUITE + " on channel " + DemoApt.CHANNEL + ", verify, import; the import"
                    + " publishes a snapshot signed with the site's own repository key");
            run(DemoApt.exportArgs(upstream.aptUri(), upstream.apt().keyring(), bundleApt,
                    dir.resolve("export-state-debian"), keys.resolve(KeysCommand.SECRET_FILE)));
            run("verify", bundleApt.toString(), "--trust-store", trust.toString(), "--quiet");
            run("import", bundleApt.toString(), "--store", store.toString(), "--trust-store", trust.toString(), "--quiet");

            say("Serve the APT repository", "fetch it from the served store as apt would; the site key goes to clients");
            run("apt", "export-key", "--store", store.toString(), "--out", siteKey.toString());
            try (StoreServer served = startServer(store)) {
                DemoApt.check(out, served.uri(), siteKey, upstream.apt());
                String entry = DemoApt.sourcesEntry(served.uri(), siteKey);
                Files.writeString(dir.resolve("ferry.sources"), entry);
                out.println("    an apt client uses it with this entry in /etc/apt/sources.list.d/ferry.sources"
                        + " (written to " + dir.resolve("ferry.sources") + "; the port is this run's):");
                entry.lines().forEach(l -> out.println("      " + l));
            }
        }
        out.println();
        out.println("Demo complete. Everything is under " + dir.toAbsolutePath() + ":");
        out.println("  keys/           signing key (signer.sec.asc) and public key (signer.pub.asc)");
        out.println("  trust-store/    the isolated side's trusted keys and threshold policy");
        out.println("  export-state*/  each export channel's state, lock and file cache");
        out.println("  transfer/       the bundles, as they would travel on removable media");
        out.println("  store/          the isolated side's store (catalog.mv.db and objects/)");
        out.println("  ferry-archive-keyring.asc, ferry.sources   the site's APT key and the apt sources entry");
        out.println("Serve it yourself:  ./ferry serve --store " + store + " --port 8530   (then open http://127.0.0.1:8530/;"
                + " apt clients use http://127.0.0.1:8530/apt/" + DemoApt.CHANNEL + "/)");
        out.flush();
        return ExitCodes.OK;
    }

    private String[] exportArgs(URI upstream, Path bundle, Path state, Path keys) {
        return new String[]{"export", "--upstream", upstream.toString(), "--product", "Contoso Widget",
                "--classification", "Security Updates", "--classification", "Critical Updates",
                "--channel", "demo", "--state", state.toString(), "--key", keys.resolve(KeysCommand.SECRET_FILE).toString(),
                "--out", bundle.toString(), "--volume-size", "1MiB", "--quiet"};
    }

    private StoreServer startServer(Path store) {
        try {
            return StoreServer.start(store, "127.0.0.1", 0);
        } catch (ServeException | StoreLockedException e) {
            throw new CliException(Errors.exitCode(e), "serve: " + e.getMessage(), e);
        }
    }

    /** Synchronizes from the served store and checks what arrives against what the sample upstream served. */
    private void synchronize(URI served, SampleUpstream upstream) throws Exception {
        ServerSyncSession session = new WsusClient(served, WsusClientOptions.defaults()).open();
        List<UpdateIdentity> config = session.getRevisionIdList(true, RevisionFilter.everything()).newRevisions();
        List<UpdateIdentity> updates = session.getRevisionIdList(false, RevisionFilter.full(
                List.of(SyntheticUpdates.CONTOSO_WIDGET), List.of())).newRevisions();
        List<UpdateIdentity> all = new ArrayList<>(config);
        all.addAll(updates);
        List<SyncedUpdate> data = session.getUpdateData(all);
        int identical = 0;
        UpdateFile sample = null;
        for (SyncedUpdate u : data) {
            String original = upstream.catalog().metadata(u.identity()).orElseThrow(
                    () -> new CliException(ExitCodes.INTERNAL, "served store has " + u.identity() + " which the upstream never served"));
            if (!original.equals(u.xml())) {
                throw new CliException(ExitCodes.INTERNAL, "metadata of " + u.identity() + " differs from what the upstream served");
            }
            identical++;
            List<UpdateFile> files = UpdateDocument.parse(u.xml()).files();
            if (sample == null && !files.isEmpty()) {
                sample = files.get(0);
            }
        }
        out.println("    " + config.size() + " categories/detectoids and " + updates.size() + " updates listed; "
                + identical + " metadata documents received, each identical to the one the sample upstream served");
        if (sample == null) {
            throw new CliException(ExitCodes.INTERNAL, "the served store lists no update file");
        }
        URI content = served.resolve(ContentUrls.path(sample.sha1Base64(), sample.fileName()).substring(1));
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(content).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        long size = 0;
        try (InputStream in = new DigestInputStream(response.body(), sha256)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                size += n;
            }
        }
        String got = Base64.getEncoder().encodeToString(sha256.digest());
        if (response.statusCode() != 200 || !got.equals(sample.sha256Base64()) || size != sample.size()) {
            throw new CliException(ExitCodes.INTERNAL, "content " + content + " answered " + response.statusCode()
                    + " with " + size + " bytes, SHA-256 " + got + "; expected " + sample.size() + " bytes, " + sample.sha256Base64());
        }
        out.println("    GET " + content + " -> " + size + " bytes (" + sample.fileName() + "), SHA-256 matches the metadata");
    }

    private void say(String title, String what) {
        step++;
        out.println();
        out.println("[" + step + "/" + STEPS + "] " + title + ": " + what);
        out.flush();
    }

    private void run(String... args) {
        out.println("    $ ferry " + String.join(" ", quoted(args)));
        out.flush();
        int code = Main.newCommandLine().execute(args);
        if (code != ExitCodes.OK) {
            throw new CliException(code, "demo step failed: ferry " + args[0] + (args.length > 1 ? " " + args[1] : "") + " exited with " + code);
        }
    }

    private static List<String> quoted(String[] args) {
        List<String> q = new ArrayList<>();
        for (String a : args) {
            q.add(a.contains(" ") ? "\"" + a + "\"" : a);
        }
        return q;
    }

    /** Replaces a previous demo's output, but never a directory the demo did not make. */
    private void prepare() throws IOException {
        if (Files.exists(dir)) {
            boolean empty;
            try (Stream<Path> s = Files.list(dir)) {
                empty = s.findAny().isEmpty();
            }
            if (!empty && !Files.exists(dir.resolve(MARKER))) {
                throw new CliException(ExitCodes.USAGE, dir + " exists and was not made by ferry demo; give another --dir");
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(MARKER), "made by ferry demo; safe to delete\n");
    }
}
