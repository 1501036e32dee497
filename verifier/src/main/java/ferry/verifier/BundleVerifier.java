package ferry.verifier;

import ferry.format.BundleFormatException;
import ferry.format.BundleLayout;
import ferry.format.BundleReader;
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

    /** A gate trusting {@code trustStore}'s keys and applying its policy (threshold, expiry, sequence jumps). */
    public BundleVerifier(TrustStore trustStore) {
        this.trust = Objects.requireNonNull(trustStore, "trustStore");
        this.policy = trustStore.policy();
        this.channelPolicy = ChannelPolicy.of(policy);
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
     */
    public record Admission(VerificationReport report, TrustedBundle bundle, Set<String> volumes) {
        public Admission {
            volumes = Set.copyOf(volumes);
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
        return run(bundleDir, null, now, progress);
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
        return run(bundleDir, List.copyOf(volumeNames), now, progress);
    }

    /**
     * Admission only: signatures and threshold over the manifest bytes read once, then the manifest, the trust
     * policy, expiry, layout and volume sizes. Reads no volume content.
     */
    public Admission admit(Path bundleDir, Instant now) {
        Objects.requireNonNull(now, "now");
        Problems problems = new Problems();
        State s = admit(bundleDir, null, now, problems);
        if (s.manifest != null) {
            checkSizes(bundleDir, s.manifest, s.selected, problems);
        }
        TrustedBundle bundle = problems.count() == 0 && s.manifest != null
                ? new TrustedBundle(bundleDir, s.bytes, sha256Hex(s.bytes), s.manifest, s.signers) : null;
        return new Admission(report(bundleDir, now, List.of(), s, null, problems), bundle,
                s.selected == null ? Set.of() : s.selected);
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
        State s = admit(bundleDir, List.of(), now, problems);
        TrustedBundle bundle = problems.count() == 0 && s.manifest != null
                ? new TrustedBundle(bundleDir, s.bytes, sha256Hex(s.bytes), s.manifest, s.signers) : null;
        return new Admission(report(bundleDir, now, List.of(), s, null, problems), bundle, Set.of());
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
            scan.run(b.directory(), b.manifest(), admitted.volumes(), sink, progress, problems);
        } catch (CopyingScan.SinkFailure e) {
            throw e.getCause();
        }
        State s = new State();
        s.bytes = b.manifestBytes();
        s.manifest = b.manifest();
        s.signers = b.signers();
        Summary sum = summary(s, scan.volumesChecked, scan.entriesChecked, scan.bytesRead);
        return new VerificationReport(b.directory().toString(), now, List.of(), sum, new ArrayList<>(problems.kept()),
                problems.count());
    }

    /** What admission learned. */
    private static final class State {
        byte[] bytes;
        List<Signer> signers = List.of();
        Manifest manifest;
        Set<String> selected;
    }

    private VerificationReport run(Path bundleDir, List<String> onlyVolumes, Instant now, Progress progress) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(progress, "progress");
        Problems problems = new Problems();
        State s = admit(bundleDir, onlyVolumes, now, problems);
        ContentStage content = null;
        if (s.manifest != null) {
            content = new ContentStage();
            content.run(bundleDir, s.manifest, s.selected, onlyVolumes == null, progress, problems);
        }
        return report(bundleDir, now, onlyVolumes == null ? List.of() : onlyVolumes, s, content, problems);
    }

    private State admit(Path bundleDir, List<String> onlyVolumes, Instant now, Problems problems) {
        State s = new State();
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
            problems.add(Problem.Code.BUNDLE_EXPIRED, "manifest field expiresAt",
                    "the bundle expired at " + m.expiresAt() + " (verification time " + now + ")");
        }
        Set<String> present = LayoutStage.run(bundleDir, m, onlyVolumes == null, problems);
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
    private static void checkSizes(Path bundleDir, Manifest m, Set<String> selected, Problems problems) {
        for (Volume v : m.volumes()) {
            if (!selected.contains(v.name())) {
                continue;
            }
            Path f = bundleDir.resolve(BundleLayout.VOLUMES_DIR).resolve(v.name());
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

    private VerificationReport report(Path dir, Instant now, List<String> requested, State s, ContentStage c,
                                      Problems problems) {
        Summary sum = c == null ? summary(s, 0, 0, 0) : summary(s, c.volumesChecked, c.entriesChecked, c.bytesRead);
        return new VerificationReport(dir.toString(), now, requested, sum, new ArrayList<>(problems.kept()), problems.count());
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
