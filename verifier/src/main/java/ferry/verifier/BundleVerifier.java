package ferry.verifier;

import ferry.format.BundleFormatException;
import ferry.format.BundleLayout;
import ferry.format.BundleReader;
import ferry.format.BundleSource;
import ferry.format.MediumLabel;
import ferry.format.trust.TrustChange;
import ferry.format.Manifest;
import ferry.format.ManifestCheck;
import ferry.format.ManifestCodec;
import ferry.format.Progress;
import ferry.format.Volume;
import ferry.format.trust.TrustPolicy;
import ferry.format.trust.TrustStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The trust gate: the one place that decides whether a bundle is trusted (docs/bundle-format.md, "Verification";
 * docs/security.md). {@code ferry verify} and {@code ferry import} both go through it; the channel rule it applies
 * with the store's history is {@link ChannelPolicy}.
 *
 * <p>Order matters, as in The Update Framework's clients: the manifest is read <em>once</em> (at most
 * {@code Limits.MAX_MANIFEST_BYTES}); the signatures are checked over exactly those bytes against the trust store,
 * and only when the threshold of distinct trusted signers is met is the manifest parsed at all, so unauthenticated
 * input never reaches the parser or costs more memory than its own bytes. Then: the trust policy (a required
 * expiry), expiry against the caller's clock, the directory layout, and each volume's size (by file length, before
 * a byte of it is read, so a huge sparse file costs nothing). That is <em>admission</em> ({@link #admit}). Content
 * follows: every volume's and entry's SHA-256 and every tar member's safety, volumes in parallel
 * ({@link #verify}: each volume read once, the parts of entries spanning volumes read a second time in order), or
 * each volume read once, in order, while the importer copies the same bytes ({@link #verifyAndCopy}).
 *
 * <p>Collects every problem rather than stopping at the first; never throws for a bad bundle. Thread-safe: holds only
 * the trust store.
 */
public final class BundleVerifier {
    private final TrustStore trust;
    private final TrustPolicy policy;
    private final ChannelPolicy channelPolicy;
    private final boolean allowExpired;

    /** A gate trusting {@code trustStore}'s keys and applying its policy (threshold, expiry, sequence jumps). */
    public BundleVerifier(TrustStore trustStore) {
        this(trustStore, false);
    }

    private BundleVerifier(TrustStore trustStore, boolean allowExpired) {
        this.trust = Objects.requireNonNull(trustStore, "trustStore");
        this.policy = trustStore.policy();
        this.channelPolicy = ChannelPolicy.of(policy);
        this.allowExpired = allowExpired;
    }

    /**
     * This gate, except that an expired bundle is admitted (the operator's {@code --allow-expired}): its expiry is then
     * a note in the report ({@link VerificationReport#notes()}, {@link Admission#overrides()}) instead of a problem.
     * Everything else, a missing expiry that the policy requires included, is still checked.
     */
    public BundleVerifier allowingExpired() {
        return new BundleVerifier(trust, true);
    }

    /** The channel rule of this trust store's policy, for the importer and the store's commit. */
    public ChannelPolicy channelPolicy() {
        return channelPolicy;
    }

    /**
     * What admission found: the report so far and, when it found no problem, the admitted bundle.
     *
     * @param report  problems of signatures, manifest, policy, expiry, layout and volume sizes
     * @param bundle  the admitted bundle, or null when {@code report} is not ok
     * @param volumes names of the volumes present with the manifest's size (those content checking may read)
     * @param source  where the bundle's files are
     * @param overrides the operator's overrides that admitted the bundle, one line each (e.g. an expired bundle
     *                allowed); empty normally
     * @param trustChange a trust policy change carried by the bundle that the gate accepted and that is to be applied
     *                once the bundle is imported ({@link TrustStore#apply}), or null
     */
    public record Admission(VerificationReport report, TrustedBundle bundle, Set<String> volumes, BundleSource source,
                            List<String> overrides, TrustChange trustChange) {
        public Admission {
            volumes = Set.copyOf(volumes);
            overrides = List.copyOf(overrides);
        }

        /**
         * Volumes listed in the manifest that none of the source's directories holds, in manifest order (empty when
         * the manifest could not be read).
         */
        public List<String> missingVolumes() {
            if (bundle == null && !report.has(Problem.Code.VOLUME_MISSING)) {
                return List.of();
            }
            return report.problems().stream().filter(p -> p.code() == Problem.Code.VOLUME_MISSING)
                    .map(p -> p.location().substring("volume ".length())).toList();
        }

        /** Whether the bundle was admitted. */
        public boolean ok() {
            return bundle != null;
        }
    }

    /** Full verification at the current time, without progress. */
    public VerificationReport verify(Path bundleDir) {
        return verify(bundleDir, Instant.now(), Progress.NONE);
    }

    /**
     * Full verification: admission, then every volume and entry.
     *
     * @param now      the instant to judge {@code expiresAt} against
     * @param progress receives one task, "verify volumes", measured in volume bytes
     */
    public VerificationReport verify(Path bundleDir, Instant now, Progress progress) {
        return run(BundleSource.of(bundleDir), null, now, progress);
    }

    /** As {@link #verify(Path, Instant, Progress)} for a bundle spread over several directories (media). */
    public VerificationReport verify(BundleSource source, Instant now, Progress progress) {
        return run(source, null, now, progress);
    }

    /**
     * Verifies the signatures, the manifest, expiry and one volume, for a transfer station checking
     * volumes as they arrive. Other volumes may be absent; entries lying wholly in this volume are checked,
     * entries spanning other volumes are not.
     *
     * @param volumeName e.g. {@code volume-0002.tar}
     */
    public VerificationReport verifyVolume(Path bundleDir, String volumeName, Instant now, Progress progress) {
        return verifyVolumes(bundleDir, List.of(volumeName), now, progress);
    }

    /** Like {@link #verifyVolume} for several volumes; entries wholly inside the given set are checked. */
    public VerificationReport verifyVolumes(Path bundleDir, Collection<String> volumeNames, Instant now, Progress progress) {
        if (volumeNames.isEmpty()) {
            throw new IllegalArgumentException("no volume names given");
        }
        return run(BundleSource.of(bundleDir), List.copyOf(volumeNames), now, progress);
    }

    /**
     * Verifies one medium of a bundle split over media on its own, as a transfer station does: the manifest and
     * signatures the medium carries, its label, nothing on it beyond the format, and every volume it holds (entries
     * lying wholly in those volumes are checked; volumes on other media are not looked for).
     *
     * @param mediumDir a {@code medium-NN} directory (or a whole bundle directory, treated the same way)
     * @param progress  receives one task, "verify volumes", in bytes of the volumes held
     */
    public MediumReport verifyMedium(Path mediumDir, Instant now, Progress progress) {
        List<String> held = new ArrayList<>();
        Path vd = mediumDir.resolve(BundleLayout.VOLUMES_DIR);
        if (Files.isDirectory(vd, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (var ds = Files.newDirectoryStream(vd)) {
                for (Path p : ds) {
                    if (BundleLayout.volumeIndex(p.getFileName().toString()) > 0) {
                        held.add(p.getFileName().toString());
                    }
                }
            } catch (IOException e) {
                // the layout stage reports the unreadable directory
            }
        }
        held.sort(java.util.Comparator.comparingInt(BundleLayout::volumeIndex));
        MediumLabel label;
        try {
            label = MediumLabel.read(mediumDir);
        } catch (IOException e) {
            label = null; // admission reports it as MEDIUM_LABEL_INVALID
        }
        VerificationReport r = run(BundleSource.of(mediumDir), held, true, now, progress);
        return new MediumReport(r, label, held);
    }

    /**
     * Admission only: signatures and threshold over the manifest bytes read once, then the manifest, the trust
     * policy, expiry, layout and volume sizes. Reads no volume content.
     */
    public Admission admit(Path bundleDir, Instant now) {
        return admit(BundleSource.of(bundleDir), now);
    }

    /** As {@link #admit(Path, Instant)} for a bundle spread over several directories (media). */
    public Admission admit(BundleSource source, Instant now) {
        Objects.requireNonNull(now, "now");
        Problems problems = new Problems();
        State s = admit(source, null, false, now, problems);
        if (s.manifest != null) {
            checkSizes(source, s.manifest, s.selected, problems);
        }
        TrustedBundle bundle = problems.count() == 0 && s.manifest != null
                ? new TrustedBundle(source.primary(), s.bytes, sha256Hex(s.bytes), s.manifest, s.signers) : null;
        return new Admission(report(source, now, List.of(), s, null, problems), bundle,
                s.selected == null ? Set.of() : s.selected, source, s.overrides, s.trustChange);
    }

    /**
     * Admission of the signed manifest alone: signatures and threshold, then the manifest, the trust policy and
     * expiry; no layout, no volume. For a drop directory where volumes are still arriving (`ferry import --watch`):
     * the manifest says which volumes to expect and {@link #verifyVolume} checks each as it arrives.
     *
     * @return the admission; its {@code volumes} is empty
     */
    public Admission admitManifest(Path bundleDir, Instant now) {
        Objects.requireNonNull(now, "now");
        Problems problems = new Problems();
        BundleSource source = BundleSource.of(bundleDir);
        State s = admit(source, List.of(), false, now, problems);
        TrustedBundle bundle = problems.count() == 0 && s.manifest != null
                ? new TrustedBundle(bundleDir, s.bytes, sha256Hex(s.bytes), s.manifest, s.signers) : null;
        return new Admission(report(source, now, List.of(), s, null, problems), bundle, Set.of(), source, s.overrides,
                s.trustChange);
    }

    /**
     * The import's single read: checks every volume's and entry's SHA-256 exactly as {@link #verify} does while
     * handing each entry's bytes, as they are hashed, to {@code sink}. The sink learns per entry whether it matched;
     * the returned report says whether the whole bundle did: only then may the copies be kept.
     *
     * @param admitted an admission that {@link Admission#ok() succeeded}
     * @param progress receives one task, "verify and copy volumes", in volume bytes
     * @throws IOException if the sink failed (e.g. no space left); every copy begun has then been ended unmatched
     */
    public VerificationReport verifyAndCopy(Admission admitted, Instant now, Progress progress, EntrySink sink)
            throws IOException {
        if (!admitted.ok()) {
            throw new IllegalArgumentException("the bundle was not admitted");
        }
        Problems problems = new Problems();
        CopyingScan scan = new CopyingScan();
        TrustedBundle b = admitted.bundle();
        try {
            scan.run(admitted.source(), b.manifest(), admitted.volumes(), sink, progress, problems);
        } catch (CopyingScan.SinkFailure e) {
            throw e.getCause();
        }
        State s = new State();
        s.bytes = b.manifestBytes();
        s.manifest = b.manifest();
        s.signers = b.signers();
        Summary sum = summary(s, scan.volumesChecked, scan.entriesChecked, scan.bytesRead);
        return new VerificationReport(admitted.source().toString(), now, List.of(), sum,
                new ArrayList<>(problems.kept()), problems.count(), admitted.report().notes());
    }

    /** What admission learned. */
    private static final class State {
        byte[] bytes;
        List<Signer> signers = List.of();
        Manifest manifest;
        Set<String> selected;
        final List<String> notes = new ArrayList<>();
        final List<String> overrides = new ArrayList<>();
        TrustChange trustChange;
    }

    private VerificationReport run(BundleSource source, List<String> onlyVolumes, Instant now, Progress progress) {
        return run(source, onlyVolumes, false, now, progress);
    }

    /** @param medium whether {@code source} is one medium: its extra files are reported, volumes elsewhere are not */
    private VerificationReport run(BundleSource source, List<String> onlyVolumes, boolean medium, Instant now,
                                   Progress progress) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(progress, "progress");
        Problems problems = new Problems();
        State s = admit(source, onlyVolumes, medium, now, problems);
        ContentStage content = null;
        if (s.manifest != null) {
            content = new ContentStage();
            content.run(source, s.manifest, s.selected, onlyVolumes == null, progress, problems);
        }
        return report(source, now, onlyVolumes == null ? List.of() : onlyVolumes, s, content, problems);
    }

    private State admit(BundleSource source, List<String> onlyVolumes, boolean medium, Instant now, Problems problems) {
        State s = new State();
        Path bundleDir = source.primary();
        if (!Files.isDirectory(bundleDir)) {
            problems.add(Problem.Code.BUNDLE_NOT_FOUND, "bundle", "no bundle directory at " + bundleDir);
            return s;
        }
        try {
            s.bytes = BundleReader.readManifestBytes(bundleDir);
        } catch (NoSuchFileException e) {
            problems.add(Problem.Code.MANIFEST_MISSING, "manifest", BundleLayout.MANIFEST + " is missing");
        } catch (BundleFormatException e) {
            problems.add(Problem.Code.MANIFEST_UNREADABLE, "manifest", e.getMessage());
        } catch (IOException e) {
            problems.add(Problem.Code.MANIFEST_UNREADABLE, "manifest", "cannot read: " + e);
        }
        s.signers = SignatureStage.run(bundleDir, s.bytes, trust, problems);
        if (s.bytes == null || s.signers.size() < trust.threshold()) {
            // Unauthenticated bytes are never parsed: a hostile manifest costs no more than reading it.
            return s;
        }
        ManifestCheck check = ManifestCodec.check(s.bytes);
        for (BundleFormatException e : check.problems()) {
            String field = e.field();
            String message = e.getMessage().substring(field.length() + 2);
            problems.add(Problem.Code.MANIFEST_INVALID,
                    field.equals("(document)") ? "manifest" : "manifest field " + field, message);
        }
        Manifest m = check.manifest();
        if (m == null) {
            return s;
        }
        s.manifest = m;
        if (m.expiresAt() == null && policy.requireExpiry()) {
            problems.add(Problem.Code.EXPIRY_REQUIRED, "manifest field expiresAt", "the bundle has no expiry, and the "
                    + "trust policy requires one (requireExpiry in policy.json)");
        }
        if (m.expiresAt() != null && !now.isBefore(m.expiresAt())) {
            if (allowExpired) {
                String o = "allow-expired: the bundle expired at " + m.expiresAt() + " (verification time " + now
                        + ") and was admitted because the operator allowed expired bundles";
                s.overrides.add(o);
                s.notes.add(o);
            } else {
                problems.add(Problem.Code.BUNDLE_EXPIRED, "manifest field expiresAt",
                        "the bundle expired at " + m.expiresAt() + " (verification time " + now + ")");
            }
        }
        checkLabels(source, m, sha256Hex(s.bytes), problems);
        s.trustChange = TrustChangeStage.run(bundleDir, trust, problems, s.notes);
        Set<String> present = LayoutStage.run(source, m, onlyVolumes == null || medium, onlyVolumes == null, problems);
        Set<String> selected = new HashSet<>();
        if (onlyVolumes == null) {
            selected.addAll(present);
        } else {
            for (String name : onlyVolumes) {
                if (m.volume(name) == null) {
                    problems.add(Problem.Code.VOLUME_UNKNOWN, "volume " + name, "not listed in the manifest");
                } else if (!present.contains(name)) {
                    problems.add(Problem.Code.VOLUME_MISSING, "volume " + name, "asked for but absent");
                } else {
                    selected.add(name);
                }
            }
        }
        s.selected = selected;
        return s;
    }

    /** Sizes before content: a volume of the wrong length (a huge sparse file, say) is refused unread. */
    private static void checkSizes(BundleSource source, Manifest m, Set<String> selected, Problems problems) {
        for (Volume v : m.volumes()) {
            if (!selected.contains(v.name())) {
                continue;
            }
            Path f = source.volumeFile(v.name());
            try {
                long size = Files.size(f);
                if (size != v.size()) {
                    problems.add(Problem.Code.VOLUME_SIZE_MISMATCH, "volume " + v.name(), (size < v.size()
                            ? "truncated: " : "too long: ") + size + " bytes, the manifest says " + v.size());
                    selected.remove(v.name());
                }
            } catch (IOException e) {
                problems.add(Problem.Code.VOLUME_UNREADABLE, "volume " + v.name(), "cannot read its size: " + e.getMessage());
                selected.remove(v.name());
            }
        }
    }

    private VerificationReport report(BundleSource dir, Instant now, List<String> requested, State s, ContentStage c,
                                      Problems problems) {
        Summary sum = c == null ? summary(s, 0, 0, 0) : summary(s, c.volumesChecked, c.entriesChecked, c.bytesRead);
        return new VerificationReport(dir.toString(), now, requested, sum, new ArrayList<>(problems.kept()),
                problems.count(), s.notes);
    }

    /**
     * A medium's label must name the bundle whose manifest lies beside it; it decides nothing else (what a medium
     * holds is what its volumes/ holds, each volume checked against the manifest).
     */
    private static void checkLabels(BundleSource source, Manifest m, String manifestSha256, Problems problems) {
        for (Path dir : source.directories()) {
            String where = "file " + (source.spread() ? dir.getFileName() + "/" : "") + BundleLayout.MEDIUM_LABEL;
            try {
                MediumLabel label = MediumLabel.read(dir);
                if (label != null && (!label.bundleId().equals(m.bundleId())
                        || !label.manifestSha256().equals(manifestSha256))) {
                    problems.add(Problem.Code.MEDIUM_LABEL_INVALID, where, "labels medium " + label.medium() + " of "
                            + label.media() + " of bundle " + label.bundleId() + ", not of the manifest beside it ("
                            + m.bundleId() + ")");
                }
            } catch (IOException e) {
                problems.add(Problem.Code.MEDIUM_LABEL_INVALID, where, e.getMessage());
            }
        }
    }

    private Summary summary(State s, int volumesChecked, int entriesChecked, long bytesRead) {
        Manifest m = s.manifest;
        if (m == null) {
            return new Summary(null, null, null, null, null, null, null, s.signers, trust.threshold(), 0,
                    0, 0, 0, 0, 0, bytesRead);
        }
        return new Summary(m.bundleId(), m.channel(), m.sequence(), m.baseSequence(), m.createdAt(), m.expiresAt(),
                m.producer().name() + " " + m.producer().version(), s.signers, trust.threshold(),
                m.volumes().size(), volumesChecked, m.entries().size(), entriesChecked,
                m.totalEntryBytes(), m.totalVolumeBytes(), bytesRead);
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

}
