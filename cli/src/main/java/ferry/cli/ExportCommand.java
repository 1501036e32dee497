package ferry.cli;

import ferry.exporter.ExportException;
import ferry.exporter.ExportJob;
import ferry.exporter.ExportMode;
import ferry.exporter.ExportOptions;
import ferry.format.ChannelReset;
import ferry.format.audit.AuditLog;
import ferry.format.audit.AuditRecord;
import ferry.exporter.ExportResult;
import ferry.exporter.apt.AptFigures;
import ferry.exporter.apt.AptOptions;
import ferry.exporter.wsus.WsusFigures;
import ferry.format.pgp.KeyException;
import ferry.format.pgp.SigningKey;
import ferry.format.receipt.ChannelPosition;
import ferry.format.trust.SignedTrustChange;
import ferry.wsus.client.WsusClientOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code ferry export}: the connected side's job. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Synchronize the selected updates from an upstream server over MS-WSUSSS and write a signed bundle."
                + " The selection closes over the categories, detectoids, prerequisites and bundled updates it needs.",
                "",
                "With --source apt, mirror a selection of an APT repository instead: the suite's InRelease (or Release"
                        + " with Release.gpg) is verified against --upstream-keyring and its Valid-Until, each Packages"
                        + " index against the Release's SHA-256, the packages are closed over Pre-Depends and Depends"
                        + " (alternatives, Provides, version relations; a relation nothing meets fails the run, exit 2),"
                        + " and each .deb against the SHA-256 of its Packages paragraph.",
                "",
                "Runs unattended: it exports only what changed since the channel's last bundle (a delta bundle), writes"
                        + " no bundle when nothing changed, holds a lock against overlapping runs, and caches downloaded"
                        + " files by digest so nothing is downloaded twice. On failure nothing is left in --out and the"
                        + " state is unchanged; a run that was killed is cleaned up by the next one.",
                "",
                "Bundles expire 30 days after they were made unless --expires-in or --no-expiry says otherwise.",
                "",
                "A nightly run sends the anchors the upstream gave the last bundle's run, so the upstream lists only what"
                        + " changed; the upstream's category documents are kept in the state directory and never fetched"
                        + " twice. Timeouts, dropped connections and HTTP 408/429/5xx are retried with a growing pause"
                        + " (honouring Retry-After); a dropped download resumes where it stopped; every file is checked"
                        + " against its SHA-1 and SHA-256 before it enters the cache.",
                "",
                "Example (nightly, to a USB disk):",
                "  ferry export --upstream http://wsus.example.org:8530/ --product \"Windows Server 2025\""
                        + " --classification \"Security Updates\" --classification \"Critical Updates\" --language en"
                        + " --key /etc/ferry/signer.sec.asc --passphrase-file /etc/ferry/passphrase"
                        + " --out /media/usb/bundle-$(date +%%F) --volume-size 4095MiB --json",
                "",
                "Example (Microsoft Update through the site proxy, 8 downloads at once):",
                "  ferry export --product \"Windows 11\" --proxy http://proxy.example.org:3128 --download-threads 8"
                        + " --key signer.sec.asc --out /srv/bundles/next",
                "",
                "Example (Debian packages: hello and what it needs, for amd64):",
                "  ferry export --source apt --upstream http://mirror.example.org/debian/ --suite bookworm"
                        + " --component main --arch amd64 --package hello"
                        + " --upstream-keyring /usr/share/keyrings/debian-archive-keyring.gpg --channel debian"
                        + " --key signer.sec.asc --out /media/usb/debian-next",
                "",
                "Example (from another ferry serving HTTPS with its own certificate, a chain of air gaps):",
                "  ferry export --upstream https://ferry-a.example.org:8531/ --upstream-ca /etc/ferry/ferry-a.crt"
                        + " --product \"Windows 11\" --key signer.sec.asc --out /media/usb/next"},
        footer = {"", "Exit codes: 0 bundle written, 7 nothing new (no bundle written), 2 usage/selection/configuration error"
                + " (apt: also a dependency nothing meets), 3 upstream error (unreachable, SOAP fault, digest mismatch,"
                + " retries exhausted; apt: a Release not signed by --upstream-keyring, past its Valid-Until, an index or"
                + " .deb whose SHA-256 differs), 5 another export"
                + " holds the lock, 6 not enough disk space for the bundle (checked before writing),"
                + " 10 internal error (a bug)."})
public final class ExportCommand implements Callable<Integer>, Audited {

    @Option(names = "--source", defaultValue = "wsus", paramLabel = "TYPE",
            description = "The upstream's source type: wsus (MS-WSUSSS) or apt (an APT repository) (default: ${DEFAULT-VALUE}).")
    String source;

    @Option(names = "--upstream", paramLabel = "URL", description = "Upstream server: a WSUS server (e.g. http://wsus:8530/), another ferry, or Microsoft Update (default: ${DEFAULT-VALUE});"
            + " with --source apt the repository root holding dists/ (required).",
            defaultValue = "https://sws.update.microsoft.com/")
    URI upstream;

    @Mixin
    WsusSelectionOptions wsus;

    @Mixin
    AptSelectionOptions apt;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Bundle directory to write (must not exist, or be empty).")
    Path out;

    @Mixin
    TransferOptions transfer;

    @Option(names = "--channel", defaultValue = "default", paramLabel = "NAME", description = "Export stream; sequence numbers count per channel (default: ${DEFAULT-VALUE}).")
    String channel;

    @Option(names = "--state", paramLabel = "DIR", description = "Export state (last bundle, what was exported, lock, file cache) (default: ~/.ferry/export/<channel>).")
    Path stateDir;

    @Option(names = "--cache", paramLabel = "DIR", description = "File cache, may be shared by channels (default: <state>/cache).")
    Path cacheDir;

    @Option(names = "--key", required = true, paramLabel = "FILE", description = "Armored OpenPGP secret key to sign with (repeatable for several signers).")
    List<Path> keys;

    @Mixin
    PassphraseOptions passphrase;

    @Option(names = "--expires-in", paramLabel = "DURATION",
            description = "How long the bundle stays valid; verify and import refuse it afterwards: e.g. 30d, 12h, 90m, 2w or ISO-8601 P30D, PT12H (default: 30d).")
    String expiresIn;

    @Option(names = "--no-expiry", description = "Write a bundle that never expires (not recommended: a withheld or stale bundle then verifies for ever).")
    boolean noExpiry;

    @Option(names = "--full", description = "Ignore what earlier bundles carried: export everything selected as a full bundle.")
    boolean full;

    @Mixin
    UpstreamConnectionOptions connection;

    @Option(names = "--channel-reset", paramLabel = "SEQUENCE:BUNDLE_ID",
            description = "Write a full bundle that resets its channel from the position SEQUENCE reached by bundle"
                    + " BUNDLE_ID (shown by `ferry import` and the status page). The recovery when a bundle signed with"
                    + " a huge sequence number made every genuine bundle look like a replay; the isolated side applies"
                    + " it only where the channel stands exactly there.")
    String channelReset;

    @Mixin
    OutputOptions output;

    @Mixin
    JobOptions jobOptions;

    @Mixin
    AuditOptions audit;

    @Spec
    CommandSpec spec;

    /** What this run did, for the audit record (null until it finished). */
    private ExportResult result;
    private final List<String> signerFingerprints = new ArrayList<>();

    /** The state directory's log, if the directory exists: a failed run does not create a new channel's state just to log. */
    @Override
    public Path auditLog() {
        if (audit.file != null) {
            return audit.file;
        }
        Path state = channel == null ? null : stateDir();
        return state != null && java.nio.file.Files.isDirectory(state) ? state.resolve(AuditLog.FILE_NAME) : null;
    }

    @Override
    public AuditRecord describe(AuditRecord record) {
        AuditRecord r = record.withSigners(signerFingerprints);
        return result == null ? r.withBundle(null, channel, null)
                : r.withBundle(result.bundleId(), result.channel(), result.sequence());
    }

    private Path stateDir() {
        return stateDir != null ? stateDir
                : Path.of(System.getProperty("user.home"), ".ferry", "export", channel.toLowerCase(Locale.ROOT));
    }

    @Override
    public Integer call() {
        if (noExpiry && expiresIn != null) {
            throw new CliException(ExitCodes.USAGE, "--expires-in and --no-expiry exclude each other");
        }
        Duration validity = noExpiry ? null
                : expiresIn == null ? ExportOptions.DEFAULT_VALIDITY : Durations.option("--expires-in", expiresIn);
        long volumeBytes = transfer.volumeBytes();
        long mediaBytes = transfer.mediaBytes();
        SignedTrustChange change = transfer.trustChange();
        ChannelPosition farSide = transfer.farSide(channel);
        ChannelReset reset = channelReset();
        AptOptions aptOptions;
        try {
            aptOptions = apt.resolve(source, upstream, wsus.metadataOnly);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
        }
        int recoveryPercent = transfer.recoveryPercent();
        int rebaseEvery = transfer.rebaseEvery();
        WsusClientOptions client = connection.clientOptions(System.getenv());
        List<SigningKey> signers = signers();
        ExportOptions options;
        try {
            options = ExportOptions.builder().source(source).apt(aptOptions)
                    .upstream(upstream).products(wsus.products).classifications(wsus.classifications)
                    .languages(wsus.languages)
                    .mode(wsus.metadataOnly ? ExportMode.METADATA_ONLY : ExportMode.METADATA_AND_FILES)
                    .outputDir(out).volumeSize(volumeBytes).channel(channel).stateDir(stateDir()).cacheDir(cacheDir)
                    .signingKeys(signers).expiresIn(validity)
                    .full(full).channelReset(reset).producerVersion(VersionProvider.version())
                    .clientOptions(client.withUserAgent(ExportOptions.PRODUCER_NAME + "/" + VersionProvider.version()))
                    .downloadThreads(connection.downloadThreads).downloadAttempts(connection.attempts())
                    .recoveryPercent(recoveryPercent).rebaseEvery(rebaseEvery)
                    .mediaSize(mediaBytes).trustChange(change).farSide(farSide).approvals(wsus.approvals).build();
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
        }
        ConsoleProgress progress = output.progress();
        ExportResult r;
        try {
            r = ExportJob.run(options, progress);
        } catch (ExportException e) {
            progress.end();
            throw new CliException(Errors.exitCode(e), e.getMessage(), e);
        } catch (RuntimeException e) {
            progress.end();
            throw new Errors.Bug(e);
        }
        progress.end();
        result = r;
        new Output(spec, output.json).resultRaw(r.toJson(), text(r));
        return r.bundleWritten() ? ExitCodes.OK : ExitCodes.NOTHING_NEW;
    }

    /** @throws CliException exit 2 when {@code --channel-reset} is not SEQUENCE:BUNDLE_ID */
    private ChannelReset channelReset() {
        if (channelReset == null) {
            return null;
        }
        int colon = channelReset.indexOf(':');
        try {
            return new ChannelReset(Long.parseLong(channelReset.substring(0, Math.max(colon, 0))),
                    UUID.fromString(channelReset.substring(colon + 1)));
        } catch (RuntimeException e) {
            throw new CliException(ExitCodes.USAGE, "--channel-reset: expected SEQUENCE:BUNDLE_ID, e.g."
                    + " 9223372036854775807:0b87193f-efde-4ad1-a431-b2f9f14db672, got " + channelReset);
        }
    }

    /** Each {@code --key}, unlocked; its fingerprint noted for the audit record. @throws CliException exit 2 */
    private List<SigningKey> signers() {
        char[] pass = passphrase.read();
        List<SigningKey> signers = new ArrayList<>();
        for (Path k : keys) {
            try {
                SigningKey key = SigningKey.load(k, pass);
                signers.add(key);
                signerFingerprints.add(key.fingerprint());
            } catch (KeyException e) {
                // ferry never prompts (a scheduled run has no terminal): say where a passphrase can come from
                throw new CliException(ExitCodes.USAGE, e.getMessage() + (pass == null && e.getMessage().contains("passphrase")
                        ? "; give --passphrase-file FILE or --passphrase-env VAR (FERRY_PASSPHRASE_FILE, or the job's"
                        + " key passphraseFile or passphraseEnv): ferry never prompts" : ""), e);
            }
        }
        return signers;
    }

    private static String text(ExportResult r) {
        StringBuilder t = new StringBuilder();
        if (!r.bundleWritten()) {
            t.append("Nothing changed on channel ").append(r.channel()).append(" since the last bundle: no bundle written.");
        } else {
            t.append("Wrote bundle ").append(r.bundleDir()).append('\n')
                    .append("  id ").append(r.bundleId()).append(", channel ").append(r.channel())
                    .append(", sequence ").append(r.sequence())
                    .append(r.baseSequence() == null ? " (full)" : " (delta on " + r.baseSequence() + ")").append('\n')
                    .append("  ");
            if (r.figures() instanceof WsusFigures w) {
                t.append(w.revisions().added()).append(" revisions ").append(w.revisions().addedByType())
                        .append(", ").append(w.files().count()).append(" files (").append(Sizes.human(w.files().bytes())).append("), ");
            }
            if (r.figures() instanceof AptFigures a) {
                t.append(a.selected()).append(" packages selected from ").append(a.suite()).append(", ")
                        .append(a.files().count()).append(" new .deb files (").append(Sizes.human(a.files().bytes()))
                        .append("), ");
            }
            t.append(r.volumes()).append(" volume(s), ").append(Sizes.human(r.bundleBytes()));
            if (r.figures() instanceof AptFigures a) {
                t.append('\n').append("  downloaded ").append(a.files().downloaded()).append(" files (")
                        .append(Sizes.human(a.files().bytesDownloaded())).append("), from cache ").append(a.files().fromCache());
            }
            if (r.figures() instanceof WsusFigures w) {
                t.append('\n').append("  downloaded ").append(w.files().downloaded()).append(" files (")
                        .append(Sizes.human(w.files().bytesDownloaded())).append("), from cache ").append(w.files().fromCache());
                if (w.metadata() != null) {
                    t.append('\n').append("  metadata: ").append(w.metadata().updatesFetched()).append(" documents fetched, ")
                            .append(w.metadata().categoriesFetched()).append(" categories fetched, ")
                            .append(w.metadata().categoriesHeld()).append(" held")
                            .append(w.metadata().incremental() ? "; listed only what changed since the last bundle" : "");
                }
            }
        }
        for (String w : r.warnings()) {
            t.append("\n  warning: ").append(w);
        }
        return t.toString();
    }
}
