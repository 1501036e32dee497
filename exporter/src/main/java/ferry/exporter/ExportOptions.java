package ferry.exporter;

import ferry.exporter.apt.AptOptions;
import ferry.format.ChannelReset;
import ferry.format.FieldRules;
import ferry.format.Limits;
import ferry.format.pgp.SigningKey;
import ferry.wsus.client.WsusClientOptions;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Everything one export run needs. Build with {@link #builder()}; the constructor checks every field and
 * throws {@link IllegalArgumentException} with a one-line message (the operator's usage error).
 *
 * @param source           the source type to export ({@link SourceExports}); default {@link #DEFAULT_SOURCE}. The
 *                         selection fields below are the WSUS source type's; {@code apt} holds the APT one's
 * @param upstream         the upstream server's base URL (MS-WSUSSS 2.1; for APT the repository root, the
 *                         directory holding {@code dists/}); default {@link #DEFAULT_UPSTREAM}
 * @param products         products to export, each a category GUID or a title (case-insensitive exact match
 *                         against the upstream's Product category documents); at least one for {@code wsus}
 * @param classifications  classifications (UpdateClassification categories), GUID or title; empty = all
 * @param languages        short language codes as the upstream lists them in GetConfigData (e.g. {@code en});
 *                         recorded in the manifest and sent as the GetRevisionIdList language filter; empty = all
 * @param mode             metadata only, or metadata and files
 * @param outputDir        where the bundle is written; must not exist or be an empty directory
 * @param volumeSize       largest volume file in bytes, at least 65,536 (e.g. 4,700,000,000 for a DVD)
 * @param channel          export stream name, {@code [a-z0-9][a-z0-9._-]{0,63}}; default {@code default}
 * @param stateDir         holds {@code state.json}, {@code lock} and (by default) {@code cache/}; created if missing.
 *                         One state directory per channel.
 * @param cacheDir         downloaded files, {@code <cacheDir>/<XX>/<SHA1HEX>}; null = {@code <stateDir>/cache}.
 *                         May be shared by several channels.
 * @param signingKeys      at least one, distinct
 * @param expiresIn        the bundle's validity: its manifest's {@code expiresAt} is {@code createdAt} plus this
 *                         (at least 1 s, whole seconds); null = the bundle never expires (an explicit choice:
 *                         the builder's default is {@link #DEFAULT_VALIDITY})
 * @param full             ignore the previous state: export everything selected as a full bundle (no base)
 * @param clock            source of {@code createdAt} (UTC); default the system clock
 * @param producerVersion  written as the manifest's producer version (producer name {@value #PRODUCER_NAME})
 * @param clientOptions    timeouts, retries, proxy, TLS trust, user agent and identity for the MS-WSUSSS client
 *                         and the file downloads
 * @param downloadAttempts attempts per file for connection errors and HTTP 5xx/408/429, 1..10; default 4
 * @param retryBackoff     wait before the second attempt, doubled each time (up to the client options' retry
 *                         policy's longest wait and total budget, which also govern the SOAP calls); default 2 s
 * @param downloadThreads  files downloaded at once, 1..64; default {@link #DEFAULT_DOWNLOAD_THREADS}
 * @param mediaSize        0, or the bytes of each medium to split the bundle over ({@code <out>/medium-01/}, ...:
 *                         docs/bundle-format.md section 11); at least
 *                         {@code MediaSplit.minimumMediaSize(volumeSize, recoveryPercent)}
 * @param trustChange      null, or a signed trust policy change the bundle carries ({@code ferry keys rotate})
 * @param farSide          null, or where the channel stands on the isolated side according to a verified receipt
 *                         ({@code ferry export --receipt}): the bundle is then built against that position (a delta on
 *                         its sequence, or a full bundle when the far side has nothing), whatever this side sent since
 * @param channelReset     null, or the channel position this bundle resets (docs/bundle-format.md section 3.4): the
 *                         recovery from a fast-forward; such a bundle is always full
 * @param apt              the APT selection; required for source {@code apt}, null otherwise
 * @param recoveryPercent  0, or 1..100: PAR 2.0 recovery files beside the bundle's files holding this percentage of
 *                         their slices ({@code ferry.format.par2}, docs/one-way-transfer.md); over media, on each
 *                         medium over that medium's own files, so that each medium is checked and repaired alone
 * @param rebaseEvery      0, or N &ge; 1: the bundles whose sequence number is 1 more than a multiple of N are full
 *                         ones, so a receiver that missed a bundle catches up without a return channel. A run with
 *                         a receipt ({@code farSide}) is built against the receipt instead, rebase due or not: the
 *                         receipt says what the far side holds, which is what a rebase only guesses
 * @param approvals        null, or an approval set file (YAML or JSON) the bundle carries signed for the isolated
 *                         side to apply (WSUS only; docs/windows-clients.md, "Approvals from the connected side")
 */
public record ExportOptions(String source, URI upstream, List<String> products, List<String> classifications, List<String> languages,
                            ExportMode mode, Path outputDir, long volumeSize, String channel, Path stateDir,
                            Path cacheDir, List<SigningKey> signingKeys, Duration expiresIn, boolean full, Clock clock,
                            String producerVersion, WsusClientOptions clientOptions, int downloadAttempts,
                            Duration retryBackoff, ChannelReset channelReset, int downloadThreads, AptOptions apt,
                            int recoveryPercent, int rebaseEvery, long mediaSize,
                            ferry.format.trust.SignedTrustChange trustChange,
                            ferry.format.receipt.ChannelPosition farSide, Path approvals) {

    /** The source type exported unless another is named. */
    public static final String DEFAULT_SOURCE = "wsus";
    /** Microsoft Update's server-sync endpoint base, the upstream of a top-level WSUS. */
    public static final URI DEFAULT_UPSTREAM = URI.create("https://sws.update.microsoft.com/");
    public static final String DEFAULT_CHANNEL = "default";
    /** The producer name written in every manifest ({@code docs/bundle-format.md}). */
    public static final String PRODUCER_NAME = "ferry";
    /**
     * How long a bundle stays valid unless the operator says otherwise: 30 days. A bundle that is withheld or
     * goes stale then stops verifying instead of being accepted for ever (the "indefinite freeze" attack).
     */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(30);
    /**
     * Files downloaded at once unless the operator says otherwise: 4, enough to fill a 100 Mbit/s to 1 Gbit/s link
     * from a CDN without looking like abuse to an on-premises WSUS.
     */
    public static final int DEFAULT_DOWNLOAD_THREADS = 4;

    public ExportOptions {
        Objects.requireNonNull(source, "source");
        if (!SourceExports.names().contains(source)) {
            throw new IllegalArgumentException("unknown source type \"" + source + "\" (known: "
                    + String.join(", ", SourceExports.names()) + ")");
        }
        Objects.requireNonNull(upstream, "upstream");
        String scheme = upstream.getScheme() == null ? "" : upstream.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || upstream.getHost() == null) {
            throw new IllegalArgumentException("upstream must be an absolute http(s) URL: " + upstream);
        }
        products = cleaned("product", products);
        classifications = cleaned("classification", classifications);
        languages = cleaned("language", languages);
        if (source.equals("apt")) {
            if (apt == null) {
                throw new IllegalArgumentException("the apt source needs --suite, --component, --arch, --package and"
                        + " --upstream-keyring");
            }
            if (approvals != null) {
                throw new IllegalArgumentException("--approvals carries WSUS approvals, not for the apt source");
            }
            if (!products.isEmpty() || !classifications.isEmpty() || !languages.isEmpty()) {
                throw new IllegalArgumentException("--product, --classification and --language select WSUS updates,"
                        + " not APT packages");
            }
        } else {
            if (apt != null) {
                throw new IllegalArgumentException("the APT selection is given, but the source is " + source);
            }
            if (products.isEmpty()) {
                throw new IllegalArgumentException("select at least one product");
            }
        }
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(outputDir, "output directory");
        if (recoveryPercent < 0 || recoveryPercent > 100) {
            throw new IllegalArgumentException("recovery must be 1% to 100%: " + recoveryPercent + "%");
        }
        if (mediaSize != 0 && mediaSize < ferry.format.MediaSplit.minimumMediaSize(volumeSize, recoveryPercent)) {
            throw new IllegalArgumentException("media size " + mediaSize + " bytes cannot hold a volume of " + volumeSize
                    + " bytes with the manifest" + (recoveryPercent > 0 ? ", " + recoveryPercent + "% recovery data"
                    : "") + " and the medium's file system: at least "
                    + ferry.format.MediaSplit.minimumMediaSize(volumeSize, recoveryPercent)
                    + " bytes; choose a smaller volume size");
        }
        if (volumeSize < Limits.MIN_VOLUME_SIZE) {
            throw new IllegalArgumentException("volume size " + volumeSize + " is below the minimum of "
                    + Limits.MIN_VOLUME_SIZE + " bytes");
        }
        Objects.requireNonNull(channel, "channel");
        if (!FieldRules.CHANNEL.matcher(channel).matches()) {
            throw new IllegalArgumentException("bad channel name \"" + channel
                    + "\": use 1-64 of a-z 0-9 . _ - starting with a letter or digit");
        }
        Objects.requireNonNull(stateDir, "state directory");
        signingKeys = List.copyOf(Objects.requireNonNull(signingKeys, "signing keys"));
        if (signingKeys.isEmpty()) {
            throw new IllegalArgumentException("at least one signing key is required");
        }
        Set<String> fingerprints = new HashSet<>();
        for (SigningKey k : signingKeys) {
            if (!fingerprints.add(k.fingerprint())) {
                throw new IllegalArgumentException("signing key " + k.fingerprint() + " given twice");
            }
        }
        if (expiresIn != null && expiresIn.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("expiry must be at least one second: " + expiresIn);
        }
        if (expiresIn != null && expiresIn.getNano() != 0) {
            throw new IllegalArgumentException("expiry must be whole seconds: " + expiresIn);
        }
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(producerVersion, "producer version");
        Objects.requireNonNull(clientOptions, "client options");
        if (downloadAttempts < 1 || downloadAttempts > 10) {
            throw new IllegalArgumentException("download attempts must be 1..10: " + downloadAttempts);
        }
        Objects.requireNonNull(retryBackoff, "retry backoff");
        if (retryBackoff.isNegative()) {
            throw new IllegalArgumentException("retry backoff must not be negative");
        }
        if (downloadThreads < 1 || downloadThreads > 64) {
            throw new IllegalArgumentException("download threads must be 1..64: " + downloadThreads);
        }
        if (recoveryPercent < 0 || recoveryPercent > 100) {
            throw new IllegalArgumentException("recovery must be 1% to 100%: " + recoveryPercent + "%");
        }
        if (rebaseEvery < 0) {
            throw new IllegalArgumentException("rebase interval must be at least 1: " + rebaseEvery);
        }
    }

    /** Whether the bundle with this sequence number is a rebase: full because of {@link #rebaseEvery}. */
    public boolean rebaseAt(long sequence) {
        return rebaseEvery > 0 && (sequence - 1) % rebaseEvery == 0;
    }

    /** The cache directory in use: {@link #cacheDir()} or {@code <stateDir>/cache}. */
    public Path effectiveCacheDir() {
        return cacheDir != null ? cacheDir : stateDir.resolve("cache");
    }

    public static Builder builder() {
        return new Builder();
    }

    private static List<String> cleaned(String what, List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : Objects.requireNonNull(values, what + "s")) {
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException("empty " + what + " name");
            }
            if (!out.contains(v.trim())) {
                out.add(v.trim());
            }
        }
        return List.copyOf(out);
    }

    /** Mutable builder; {@link #build()} validates. Defaults are given per setter. */
    public static final class Builder {
        private String source = DEFAULT_SOURCE;
        private URI upstream = DEFAULT_UPSTREAM;
        private List<String> products = List.of();
        private List<String> classifications = List.of();
        private List<String> languages = List.of();
        private ExportMode mode = ExportMode.METADATA_AND_FILES;
        private Path outputDir;
        private long volumeSize = 4_700_000_000L;
        private String channel = DEFAULT_CHANNEL;
        private Path stateDir;
        private Path cacheDir;
        private List<SigningKey> signingKeys = List.of();
        private Duration expiresIn = DEFAULT_VALIDITY;
        private boolean full;
        private Clock clock = Clock.systemUTC();
        private String producerVersion = defaultVersion();
        private WsusClientOptions clientOptions;
        private int downloadAttempts = 4;
        private Duration retryBackoff = Duration.ofSeconds(2);
        private ChannelReset channelReset;
        private int downloadThreads = DEFAULT_DOWNLOAD_THREADS;
        private AptOptions apt;
        private int recoveryPercent;
        private int rebaseEvery;
        private long mediaSize;
        private ferry.format.trust.SignedTrustChange trustChange;
        private ferry.format.receipt.ChannelPosition farSide;
        private Path approvals;

        private Builder() {
        }

        /** Default {@link #DEFAULT_SOURCE}. */
        public Builder source(String v) { source = v; return this; }
        /** Default {@link #DEFAULT_UPSTREAM}. */
        public Builder upstream(URI v) { upstream = v; return this; }
        public Builder products(List<String> v) { products = v; return this; }
        public Builder products(String... v) { products = List.of(v); return this; }
        public Builder classifications(List<String> v) { classifications = v; return this; }
        public Builder classifications(String... v) { classifications = List.of(v); return this; }
        public Builder languages(List<String> v) { languages = v; return this; }
        /** Default {@link ExportMode#METADATA_AND_FILES}. */
        public Builder mode(ExportMode v) { mode = v; return this; }
        public Builder outputDir(Path v) { outputDir = v; return this; }
        /** Bytes; default 4,700,000,000 (a single-layer DVD). */
        public Builder volumeSize(long v) { volumeSize = v; return this; }
        /** Default {@code default}. */
        public Builder channel(String v) { channel = v; return this; }
        public Builder stateDir(Path v) { stateDir = v; return this; }
        /** Default {@code <stateDir>/cache}. */
        public Builder cacheDir(Path v) { cacheDir = v; return this; }
        public Builder signingKeys(List<SigningKey> v) { signingKeys = v; return this; }
        public Builder signingKey(SigningKey v) { signingKeys = List.of(v); return this; }
        /** The bundle's validity; default {@link #DEFAULT_VALIDITY}; null = same as {@link #noExpiry()}. */
        public Builder expiresIn(Duration v) { expiresIn = v; return this; }
        /** The bundle never expires: its manifest carries no {@code expiresAt}. */
        public Builder noExpiry() { expiresIn = null; return this; }
        public Builder full(boolean v) { full = v; return this; }
        /** Default {@link Clock#systemUTC()}. */
        public Builder clock(Clock v) { clock = v; return this; }
        public Builder producerVersion(String v) { producerVersion = v; return this; }
        /** Default {@link WsusClientOptions#defaults()} with user agent {@code ferry/<version>}. */
        public Builder clientOptions(WsusClientOptions v) { clientOptions = v; return this; }
        public Builder downloadAttempts(int v) { downloadAttempts = v; return this; }
        public Builder retryBackoff(Duration v) { retryBackoff = v; return this; }
        public Builder channelReset(ChannelReset v) { channelReset = v; return this; }
        /** Default {@link #DEFAULT_DOWNLOAD_THREADS}. */
        public Builder downloadThreads(int v) { downloadThreads = v; return this; }
        /** The APT selection, for source {@code apt}. */
        public Builder apt(AptOptions v) { apt = v; return this; }
        /** Percentage of recovery data, 0 (default) for none. */
        public Builder recoveryPercent(int v) { recoveryPercent = v; return this; }
        /** Every N-th bundle full; default 0 (never on its own). */
        public Builder rebaseEvery(int v) { rebaseEvery = v; return this; }

        /** Bytes per medium; default 0: one bundle directory, not split over media. */
        public Builder mediaSize(long v) { mediaSize = v; return this; }
        /** Default none. */
        public Builder trustChange(ferry.format.trust.SignedTrustChange v) { trustChange = v; return this; }

        /** Default none: build against the channel's last bundle. */
        public Builder farSide(ferry.format.receipt.ChannelPosition v) { farSide = v; return this; }

        /** Default none: the bundle carries no approval set. */
        public Builder approvals(Path v) { approvals = v; return this; }

        /** @throws IllegalArgumentException naming the first bad field */
        public ExportOptions build() {
            WsusClientOptions client = clientOptions != null ? clientOptions
                    : WsusClientOptions.defaults().withUserAgent(PRODUCER_NAME + "/" + producerVersion);
            return new ExportOptions(source, upstream, products, classifications, languages, mode, outputDir, volumeSize,
                    channel, stateDir, cacheDir, signingKeys, expiresIn, full || channelReset != null, clock,
                    producerVersion, client, downloadAttempts, retryBackoff, channelReset, downloadThreads, apt,
                    recoveryPercent, rebaseEvery, mediaSize, trustChange, farSide, approvals);
        }

        private static String defaultVersion() {
            String v = ExportOptions.class.getPackage().getImplementationVersion();
            return v == null || v.isBlank() ? "dev" : v;
        }
    }
}
