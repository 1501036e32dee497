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
import ferry.wsus.client.ProxyConfig;
import ferry.wsus.client.RetryPolicy;
import ferry.wsus.client.UpstreamTrust;
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

    @Option(names = "--product", paramLabel = "NAME|GUID", description = "A product to export, by title or category GUID (repeatable; at least one for wsus).")
    List<String> products = new ArrayList<>();

    @Option(names = "--classification", paramLabel = "NAME|GUID", description = "A classification, e.g. \"Security Updates\" (repeatable; default: all).")
    List<String> classifications = new ArrayList<>();

    @Option(names = "--language", paramLabel = "CODE", description = "A language code as the upstream lists it, e.g. en (repeatable; default: all).")
    List<String> languages = new ArrayList<>();

    @Option(names = "--metadata-only", description = "Carry update metadata only, no update files (wsus).")
    boolean metadataOnly;

    @Option(names = "--suite", paramLabel = "SUITE", description = "apt: the suite below dists/, e.g. bookworm or stable.")
    String suite;

    @Option(names = "--component", paramLabel = "NAME", description = "apt: a component, e.g. main (repeatable; at least one).")
    List<String> components = new ArrayList<>();

    @Option(names = "--arch", paramLabel = "ARCH", description = "apt: an architecture, e.g. amd64 (repeatable; at least one; Architecture: all packages come along).")
    List<String> architectures = new ArrayList<>();

    @Option(names = "--package", paramLabel = "NAME|PATTERN", description = "apt: a package name or glob pattern (* and ?), closed over its dependencies (repeatable).")
    List<String> packages = new ArrayList<>();

    @Option(names = "--upstream-keyring", paramLabel = "FILE", description = "apt: the OpenPGP keys trusted to sign the suite's Release: a binary keyring (.gpg, e.g. /usr/share/keyrings/debian-archive-keyring.gpg) or armored keys (.asc).")
    Path upstreamKeyring;

    @Option(names = "--recommends", description = "apt: follow Recommends too, not only Pre-Depends and Depends.")
    boolean recommends;

    @Option(names = "--whole-component", description = "apt: carry every package of the components for the architectures (relations nothing meets become warnings).")
    boolean wholeComponent;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Bundle directory to write (must not exist, or be empty).")
    Path out;

    @Option(names = "--volume-size", defaultValue = "4095MiB", paramLabel = "SIZE",
            description = "Largest volume file: bytes, or with K/M/G (binary) or KB/MB/GB (decimal), or a preset: fat32 (4 GiB - 1 byte), dvd (4,700,372,992), dvd-dl (8,543,666,176), bd25 (25,025,314,816), bd50 (50,050,629,632), bd100 (100,103,356,416) (default: ${DEFAULT-VALUE}, fits FAT32).")
    String volumeSize;

    @Option(names = "--media-size", paramLabel = "SIZE|PRESET",
            description = "Split the bundle over media of this size (same units and presets as --volume-size):"
                    + " writes --out/medium-01/, medium-02/, ... each with a copy of the signed manifest, its volumes"
                    + " and a label (\"medium 2 of 5\"), to be burned or copied one per medium; each verifies alone"
                    + " (ferry verify --medium) and ferry import --from takes them all. A medium must hold one volume"
                    + " plus 1.1 MiB: e.g. --media-size dvd with --volume-size 4095MiB.")
    String mediaSize;

    @Option(names = "--receipt", paramLabel = "FILE",
            description = "A receipt from the isolated side (`ferry receipt`): build the bundle against what the far"
                    + " side really holds on this channel (a delta on its last sequence, or a full bundle if it holds"
                    + " nothing), so bundles lost on the way are carried again. Needs --receipt-trust.")
    Path receipt;

    @Option(names = "--receipt-trust", paramLabel = "DIR",
            description = "Trust store of the isolated side's receipt keys (keys/*.asc, policy.json threshold), as"
                    + " `ferry keys trust` makes it.")
    Path receiptTrust;

    @Option(names = "--trust-change", paramLabel = "DIR",
            description = "Carry a signed trust policy change (made with `ferry keys rotate`) to the isolated side,"
                    + " which applies it after importing the bundle if enough current and new keys signed it.")
    Path trustChange;

    @Option(names = "--approvals", paramLabel = "FILE",
            description = "wsus: carry this approval set (YAML or JSON: groups, approvals by update, KB, product or"
                    + " classification, declines, automatic-approval rules) signed in the bundle; the import applies it"
                    + " in place of the set the channel's earlier bundles carried (docs/windows-clients.md).")
    Path approvals;

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

    @Option(names = "--download-threads", defaultValue = "4", paramLabel = "N",
            description = "Files downloaded at once, 1-64 (default: ${DEFAULT-VALUE}: fills a 100 Mbit/s to 1 Gbit/s link from"
                    + " Microsoft's CDN; use 1-2 against a small on-premises WSUS).")
    int downloadThreads;

    @Option(names = "--proxy", paramLabel = "URL",
            description = "HTTP proxy for the upstream and the downloads, e.g. http://proxy.example.org:3128 (https is"
                    + " tunnelled through it with CONNECT; no credentials). Without it the https_proxy, http_proxy and"
                    + " no_proxy environment variables apply, as curl reads them; no_proxy applies to --proxy too.")
    String proxy;

    @Option(names = "--upstream-ca", paramLabel = "PEM",
            description = "Also trust the certificates in this PEM file for an https upstream (repeatable): a private CA,"
                    + " or the certificate another ferry serves with `ferry serve --tls-cert`. The JVM's trust store"
                    + " still applies, and the host name must match the certificate.")
    List<Path> upstreamCa = new ArrayList<>();

    @Option(names = "--connect-timeout", defaultValue = "15s", paramLabel = "DURATION",
            description = "Longest wait for a connection to the upstream or a download server (default: ${DEFAULT-VALUE}).")
    String connectTimeout;

    @Option(names = "--read-timeout", defaultValue = "120s", paramLabel = "DURATION",
            description = "Longest silence inside a response before the attempt fails and is retried, so a stalled"
                    + " upstream cannot hang a run (default: ${DEFAULT-VALUE}).")
    String readTimeout;

    @Option(names = "--retries", defaultValue = "3", paramLabel = "N",
            description = "Retries of a call or download after a timeout, a dropped connection or HTTP 408/429/5xx, 0-9"
                    + " (default: ${DEFAULT-VALUE}); the pause doubles from 2 s up to 60 s, or is what the server's"
                    + " Retry-After asks, and at most 5 minutes are spent waiting per request.")
    int retries;

    @Option(names = "--channel-reset", paramLabel = "SEQUENCE:BUNDLE_ID",
            description = "Write a full bundle that resets its channel from the position SEQUENCE reached by bundle"
                    + " BUNDLE_ID (shown by `ferry import` and the status page). The recovery when a bundle signed with"
                    + " a huge sequence number made every genuine bundle look like a replay; the isolated side applies"
                    + " it only where the channel stands exactly there.")
    String channelReset;

    @Option(names = "--recovery", paramLabel = "PERCENT",
            description = "Write PAR 2.0 recovery files (recovery.par2, recovery.volNN+MM.par2) beside the manifest,"
                    + " holding PERCENT of the bundle's data, e.g. 10%%: `ferry repair` or `par2 repair` rebuild"
                    + " damaged or missing volumes from them (docs/one-way-transfer.md). With --media-size, each"
                    + " medium carries its own recovery files over its own files, so each is checked and repaired"
                    + " alone; media then hold that much less.")
    String recovery;

    @Option(names = "--rebase-every", paramLabel = "N",
            description = "Make every N-th bundle of the channel a full one (sequence 1, N+1, 2N+1, ...), so that a"
                    + " receiver behind a one-way link that missed a bundle catches up at the next full one. A run"
                    + " with --receipt is built against the receipt instead, even when a rebase is due.")
    Integer rebaseEvery;

    @Option(names = "--assume-delivered",
            description = "No receipt comes back (a one-way link): build the next bundle on the channel's last exported"
                    + " one as if it had arrived, and rely on --rebase-every for receivers that missed one.")
    boolean assumeDelivered;

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
        Duration validity;
        try {
            validity = noExpiry ? null : expiresIn == null ? ExportOptions.DEFAULT_VALIDITY : parseDuration(expiresIn);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "--expires-in: " + e.getMessage());
        }
        long volumeBytes;
        try {
            volumeBytes = Sizes.parse(volumeSize);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "--volume-size: " + e.getMessage());
        }
        long mediaBytes = 0;
        if (mediaSize != null) {
            try {
                mediaBytes = Sizes.parse(mediaSize);
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCodes.USAGE, "--media-size: " + e.getMessage());
            }
        }
        ferry.format.trust.SignedTrustChange change = null;
        if (trustChange != null) {
            try {
                change = ferry.format.trust.SignedTrustChange.read(trustChange);
                if (change == null) {
                    throw new CliException(ExitCodes.USAGE, "--trust-change: no such directory: " + trustChange);
                }
                ferry.format.trust.TrustChange.parse(change.document());
            } catch (ferry.format.trust.TrustStoreException e) {
                throw new CliException(ExitCodes.USAGE, "--trust-change: " + e.getMessage(), e);
            }
        }
        ferry.format.receipt.ChannelPosition farSide = null;
        if (receipt != null) {
            if (receiptTrust == null) {
                throw new CliException(ExitCodes.USAGE, "--receipt needs --receipt-trust DIR (the isolated side's keys)");
            }
            try {
                ferry.format.receipt.Receipt r = ferry.format.receipt.Receipt.readVerified(receipt,
                        ferry.format.trust.TrustStore.load(receiptTrust));
                farSide = r.channel(channel).orElse(ferry.format.receipt.ChannelPosition.absent(channel));
            } catch (ferry.format.receipt.ReceiptException | ferry.format.trust.TrustStoreException e) {
                throw new CliException(ExitCodes.USAGE, "--receipt: " + e.getMessage(), e);
            }
        }
        ChannelReset reset = null;
        if (channelReset != null) {
            int colon = channelReset.indexOf(':');
            try {
                reset = new ChannelReset(Long.parseLong(channelReset.substring(0, Math.max(colon, 0))),
                        UUID.fromString(channelReset.substring(colon + 1)));
            } catch (RuntimeException e) {
                throw new CliException(ExitCodes.USAGE, "--channel-reset: expected SEQUENCE:BUNDLE_ID, e.g."
                        + " 9223372036854775807:0b87193f-efde-4ad1-a431-b2f9f14db672, got " + channelReset);
            }
        }
        AptOptions apt;
        try {
            apt = aptOptions();
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
        }
        int recoveryPercent = recovery == null ? 0 : parsePercent(recovery);
        if (rebaseEvery != null && rebaseEvery < 1) {
            throw new CliException(ExitCodes.USAGE, "--rebase-every must be at least 1: " + rebaseEvery);
        }
        WsusClientOptions client = clientOptions();
        char[] pass = passphrase.read();
        List<SigningKey> signers = new ArrayList<>();
        for (Path k : keys) {
            try {
                signers.add(SigningKey.load(k, pass));
                signerFingerprints.add(signers.get(signers.size() - 1).fingerprint());
            } catch (KeyException e) {
                // ferry never prompts (a scheduled run has no terminal): say where a passphrase can come from
                throw new CliException(ExitCodes.USAGE, e.getMessage() + (pass == null && e.getMessage().contains("passphrase")
                        ? "; give --passphrase-file FILE or --passphrase-env VAR (FERRY_PASSPHRASE_FILE, or the job's"
                        + " key passphraseFile or passphraseEnv): ferry never prompts" : ""), e);
            }
        }
        Path state = stateDir();
        ExportOptions options;
        try {
            options = ExportOptions.builder().source(source).apt(apt)
                    .upstream(upstream).products(products).classifications(classifications).languages(languages)
                    .mode(metadataOnly ? ExportMode.METADATA_ONLY : ExportMode.METADATA_AND_FILES)
                    .outputDir(out).volumeSize(volumeBytes).channel(channel).stateDir(state).cacheDir(cacheDir)
                    .signingKeys(signers).expiresIn(validity)
                    .full(full).channelReset(reset).producerVersion(VersionProvider.version())
                    .clientOptions(client.withUserAgent(ExportOptions.PRODUCER_NAME + "/" + VersionProvider.version()))
                    .downloadThreads(downloadThreads).downloadAttempts(retries + 1)
                    .recoveryPercent(recoveryPercent).rebaseEvery(rebaseEvery == null ? 0 : rebaseEvery)
                    .mediaSize(mediaBytes).trustChange(change).farSide(farSide).approvals(approvals).build();
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

    /**
     * The APT selection for {@code --source apt}, null otherwise; the APT options without it are a usage error.
     *
     * @throws IllegalArgumentException naming the option at fault
     */
    private AptOptions aptOptions() {
        boolean any = suite != null || !components.isEmpty() || !architectures.isEmpty() || !packages.isEmpty()
                || upstreamKeyring != null || recommends || wholeComponent;
        if (!"apt".equals(source)) {
            if (any) {
                throw new IllegalArgumentException("--suite, --component, --arch, --package, --upstream-keyring,"
                        + " --recommends and --whole-component need --source apt");
            }
            return null;
        }
        if (upstream == null || upstream.equals(ExportOptions.DEFAULT_UPSTREAM)) {
            throw new IllegalArgumentException("--source apt needs --upstream, the repository root holding dists/");
        }
        if (metadataOnly) {
            throw new IllegalArgumentException("--metadata-only is for wsus; an apt bundle always carries its .deb files");
        }
        if (suite == null) {
            throw new IllegalArgumentException("--source apt needs --suite");
        }
        if (upstreamKeyring == null) {
            throw new IllegalArgumentException("--source apt needs --upstream-keyring, the keys that sign the suite");
        }
        return new AptOptions(suite, components, architectures, packages, recommends, wholeComponent, upstreamKeyring);
    }

    /** {@code 10%} or {@code 10}: a whole percentage 1..100. */
    static int parsePercent(String v) {
        String digits = v.endsWith("%") ? v.substring(0, v.length() - 1) : v;
        try {
            int p = Integer.parseInt(digits.strip());
            if (p >= 1 && p <= 100) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CliException(ExitCodes.USAGE, "--recovery: expected a whole percentage from 1% to 100%, e.g. 10%,"
                + " got " + v);
    }

    /** Timeouts, retries, proxy and TLS trust; each bad value is a usage error naming its option. */
    private WsusClientOptions clientOptions() {
        if (retries < 0 || retries > 9) {
            throw new CliException(ExitCodes.USAGE, "--retries must be 0 to 9: " + retries);
        }
        if (downloadThreads < 1 || downloadThreads > 64) {
            throw new CliException(ExitCodes.USAGE, "--download-threads must be 1 to 64: " + downloadThreads);
        }
        Duration connect = duration("--connect-timeout", connectTimeout);
        Duration read = duration("--read-timeout", readTimeout);
        ProxyConfig proxies;
        try {
            proxies = proxy != null ? ProxyConfig.of(proxy, firstNonBlank(System.getenv("no_proxy"), System.getenv("NO_PROXY")))
                    : ProxyConfig.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, (proxy != null ? "--proxy: " : "") + e.getMessage(), e);
        }
        WsusClientOptions o = WsusClientOptions.defaults()
                .withTimeouts(connect, WsusClientOptions.DEFAULT_REQUEST_TIMEOUT).withReadTimeout(read)
                .withRetry(RetryPolicy.DEFAULT.with(retries + 1, RetryPolicy.DEFAULT.initialBackoff()))
                .withProxy(proxies);
        if (!upstreamCa.isEmpty()) {
            try {
                o = o.withSslContext(UpstreamTrust.context(upstreamCa));
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCodes.USAGE, "--upstream-ca: " + e.getMessage(), e);
            }
        }
        return o;
    }

    private static Duration duration(String option, String text) {
        try {
            return parseDuration(text);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, option + ": " + e.getMessage());
        }
    }

    private static String firstNonBlank(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }

    /**
     * Parses a validity period: a whole number with a unit {@code s}, {@code m}, {@code h}, {@code d} or
     * {@code w} (e.g. {@code 30d}, {@code 12h}), or an ISO-8601 duration ({@code P30D}, {@code PT12H}).
     *
     * @throws IllegalArgumentException naming the text when it is neither, or not at least one whole second
     */
    static Duration parseDuration(String text) {
        String t = text.trim();
        Duration d;
        if (t.length() > 1 && (t.charAt(0) == 'P' || t.charAt(0) == 'p')) {
            try {
                d = Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("not a duration: \"" + text + "\" (ISO-8601 days and times, e.g. P30D, PT12H)");
            }
        } else {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})\\s*([smhdw])").matcher(t.toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new IllegalArgumentException("not a duration: \"" + text + "\" (e.g. 30d, 12h, 90m, 2w, P30D)");
            }
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
        }
        if (d.compareTo(Duration.ofSeconds(1)) < 0 || d.getNano() != 0) {
            throw new IllegalArgumentException("\"" + text + "\" is not at least one whole second");
        }
        return d;
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
