package ferry.cli;

import ferry.apt.catalog.AptCatalog;
import ferry.apt.publish.PublishSettings;
import ferry.apt.publish.SiteKey;
import ferry.format.pgp.PublicKey;
import ferry.importer.Importer;
import ferry.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code ferry apt}: the store's published APT repositories (docs/apt.md). */
@Command(name = "apt", mixinStandardHelpOptions = true,
        description = {"Look after the APT repositories a store publishes: its repository key, how it publishes,",
                "its snapshots. See docs/apt.md."},
        subcommands = {AptCommand.InitKey.class, AptCommand.ExportKey.class, AptCommand.Configure.class,
                AptCommand.Snapshots.class, AptCommand.Rollback.class})
public final class AptCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Opens an existing store as its writer, which a running {@code ferry serve} allows (an exclusive open would not).
     *
     * @throws CliException (usage) if there is no store at {@code dir}
     */
    static Store open(Path dir) {
        if (!Files.exists(dir.resolve("store.id")) && !Files.exists(dir.resolve("catalog.mv.db"))) {
            throw new CliException(ExitCodes.USAGE, "no store at " + dir);
        }
        return Store.openForImport(dir, Importer.catalogs());
    }

    @Command(name = "init-key", mixinStandardHelpOptions = true,
            description = {"Make the store's APT repository key (OpenPGP Ed25519): " + SiteKey.SECRET + " (mode 600)",
                    "and " + SiteKey.PUBLIC + ". The first APT import makes one if the store has none; an existing",
                    "key is never replaced."})
    static final class InitKey implements Runnable {
        @Option(names = "--store", required = true, paramLabel = "DIR", description = "The store directory.")
        Path store;

        @Option(names = "--user-id", paramLabel = "UID", defaultValue = "ferry APT repository",
                description = "User id of the key (default: ${DEFAULT-VALUE}).")
        String userId;

        @Option(names = "--json", description = "Print the result as JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            PublicKey key = SiteKey.create(store, userId);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("fingerprint", key.fingerprint());
            result.put("userId", key.userId());
            result.put("publicKey", store.resolve(SiteKey.PUBLIC).toString());
            new Output(spec, json).result(result, "Made APT repository key " + key.fingerprint() + " ("
                    + key.userId() + ")\n  public key: " + store.resolve(SiteKey.PUBLIC));
        }
    }

    @Command(name = "export-key", mixinStandardHelpOptions = true,
            description = {"Write the store's APT repository public key (ASCII armor) for clients' Signed-By."})
    static final class ExportKey implements Runnable {
        @Option(names = "--store", required = true, paramLabel = "DIR", description = "The store directory.")
        Path store;

        @Option(names = "--out", required = true, paramLabel = "FILE",
                description = "Where to write the key (e.g. ferry-archive-keyring.asc); replaced if it exists.")
        Path out;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            String text = SiteKey.publicKey(store);
            try {
                Files.writeString(out, text, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new CliException(ExitCodes.USAGE, "cannot write " + out + ": " + e.getMessage());
            }
            spec.commandLine().getOut().println("Wrote the APT repository key to " + out);
        }
    }

    @Command(name = "configure", mixinStandardHelpOptions = true,
            description = {"Set how the store publishes APT channels (" + PublishSettings.FILE + "); used from the",
                    "next import on."})
    static final class Configure implements Runnable {
        @Option(names = "--store", required = true, paramLabel = "DIR", description = "The store directory.")
        Path store;

        @Option(names = "--keep", paramLabel = "N", description = "Snapshots kept per channel (1 to "
                + PublishSettings.MAX_KEEP + ", default " + PublishSettings.DEFAULT_KEEP + ").")
        Integer keep;

        @Option(names = "--valid-days", paramLabel = "DAYS",
                description = "Days a published Release is valid (Valid-Until); 0 for no Valid-Until (the default).")
        Integer validDays;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            PublishSettings now = PublishSettings.load(store);
            PublishSettings next;
            try {
                next = new PublishSettings(keep != null ? keep : now.keepSnapshots(), validDays == null
                        ? now.validFor() : validDays == 0 ? Optional.empty() : Optional.of(Duration.ofDays(validDays)));
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCodes.USAGE, e.getMessage());
            }
            next.save(store);
            spec.commandLine().getOut().println("APT publishing: keep " + next.keepSnapshots() + " snapshot(s) per"
                    + " channel, " + next.validFor().map(d -> "Valid-Until " + d.toDays() + " day(s)")
                    .orElse("no Valid-Until"));
        }
    }

    @Command(name = "snapshots", mixinStandardHelpOptions = true,
            description = {"List the kept snapshots of an APT channel (the served one marked *)."})
    static final class Snapshots implements Runnable {
        @Option(names = "--store", required = true, paramLabel = "DIR", description = "The store directory.")
        Path store;

        @Option(names = "--channel", required = true, paramLabel = "CHANNEL", description = "The channel.")
        String channel;

        @Option(names = "--json", description = "Print the result as JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            List<AptCatalog.Snapshot> kept;
            try (Store s = open(store)) {
                kept = new AptCatalog(s).snapshots(channel);
            }
            StringBuilder text = new StringBuilder();
            for (AptCatalog.Snapshot k : kept) {
                text.append(k.current() ? "* " : "  ").append(k.number()).append("  ").append(k.publishedAt())
                        .append("  bundle ").append(k.bundleId())
                        .append(k.contentOf() != null ? "  (content of " + k.contentOf() + ")" : "").append('\n');
            }
            new Output(spec, json).result(Map.of("channel", channel, "snapshots", kept),
                    kept.isEmpty() ? "APT channel " + channel + " has no snapshot" : text.toString().stripTrailing());
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = {"Serve the content of an earlier kept snapshot of an APT channel again (default: the one",
                    "before the content served): published as a new snapshot, its Release dated now and signed again",
                    "(apt keeps a Release newer than the one offered), switched to atomically; `ferry serve` serves",
                    "it from its next request. The next import publishes a new snapshot and serves that."})
    static final class Rollback implements Runnable {
        @Option(names = "--store", required = true, paramLabel = "DIR", description = "The store directory.")
        Path store;

        @Option(names = "--channel", required = true, paramLabel = "CHANNEL", description = "The channel.")
        String channel;

        @Option(names = "--to", paramLabel = "SNAPSHOT", description = "The snapshot number to serve (see `ferry apt snapshots`).")
        Long to;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            AptCatalog.Snapshot now;
            try (Store s = open(store)) {
                now = AptCatalog.rollback(s, channel, Optional.ofNullable(to), java.time.Instant.now());
            }
            spec.commandLine().getOut().println("APT channel " + channel + " now serves snapshot " + now.number()
                    + ": the content of snapshot " + now.contentOf() + " (bundle " + now.bundleId() + "), signed again");
        }
    }
}
