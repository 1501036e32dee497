package ferry.verifier;

import ferry.format.BundleFormatException;
import ferry.format.BundleLayout;
import ferry.format.BundleReader;
import ferry.format.Manifest;
import ferry.format.ManifestCheck;
import ferry.format.ManifestCodec;
import ferry.format.Progress;
import ferry.format.trust.TrustStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies a bundle offline against a trust store (docs/bundle-format.md, "Verification").
 *
 * <p>Collects every problem rather than stopping at the first: signatures and threshold, manifest
 * structure, expiry, unexpected or missing files, each volume's size and SHA-256, each entry's SHA-256.
 * Never throws for a bad bundle; problems are in the report. Reads every volume byte once.
 * Thread-safe: holds only the trust store.
 */
public final class BundleVerifier {
    private final TrustStore trust;

    /** A verifier trusting {@code trustStore}'s keys and requiring its threshold of signers. */
    public BundleVerifier(TrustStore trustStore) {
        this.trust = Objects.requireNonNull(trustStore, "trustStore");
    }

    /** Full verification at the current time, without progress. */
    public VerificationReport verify(Path bundleDir) {
        return verify(bundleDir, Instant.now(), Progress.NONE);
    }

    /**
     * Full verification.
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

    private VerificationReport run(Path bundleDir, List<String> onlyVolumes, Instant now, Progress progress) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(progress, "progress");
        Problems problems = new Problems();
        List<String> requested = onlyVolumes == null ? List.of() : onlyVolumes;
        if (!Files.isDirectory(bundleDir)) {
            problems.add(Problem.Code.BUNDLE_NOT_FOUND, "bundle", "no bundle directory at " + bundleDir);
            return report(bundleDir, now, requested, null, List.of(), null, problems);
        }
        byte[] bytes = null;
        try {
            bytes = BundleReader.readManifestBytes(bundleDir);
        } catch (NoSuchFileException e) {
            problems.add(Problem.Code.MANIFEST_MISSING, "manifest", BundleLayout.MANIFEST + " is missing");
        } catch (BundleFormatException e) {
            problems.add(Problem.Code.MANIFEST_UNREADABLE, "manifest", e.getMessage());
        } catch (IOException e) {
            problems.add(Problem.Code.MANIFEST_UNREADABLE, "manifest", "cannot read: " + e);
        }
        List<Signer> signers = SignatureStage.run(bundleDir, bytes, trust, problems);
        Manifest m = null;
        if (bytes != null) {
            ManifestCheck check = ManifestCodec.check(bytes);
            for (BundleFormatException e : check.problems()) {
                String field = e.field();
                String message = e.getMessage().substring(field.length() + 2);
                problems.add(Problem.Code.MANIFEST_INVALID,
                        field.equals("(document)") ? "manifest" : "manifest field " + field, message);
            }
            m = check.manifest();
        }
        ContentStage content = new ContentStage();
        if (m != null) {
            if (m.expiresAt() != null && !now.isBefore(m.expiresAt())) {
                problems.add(Problem.Code.BUNDLE_EXPIRED, "manifest field expiresAt",
                        "the bundle expired at " + m.expiresAt() + " (verification time " + now + ")");
            }
            Set<String> present = LayoutStage.run(bundleDir, m, onlyVolumes == null, problems);
            Set<String> selected;
            if (onlyVolumes == null) {
                selected = present;
            } else {
                selected = new HashSet<>();
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
            content.run(bundleDir, m, selected, onlyVolumes == null, progress, problems);
        }
        return report(bundleDir, now, requested, m, signers, content, problems);
    }

    private VerificationReport report(Path dir, Instant now, List<String> requested, Manifest m, List<Signer> signers,
                                      ContentStage c, Problems problems) {
        Summary s = m == null
                ? new Summary(null, null, null, null, null, null, null, signers, trust.threshold(), 0,
                        0, 0, 0, 0, 0, c == null ? 0 : c.bytesRead)
                : new Summary(m.bundleId(), m.channel(), m.sequence(), m.baseSequence(), m.createdAt(), m.expiresAt(),
                        m.producer().name() + " " + m.producer().version(), signers, trust.threshold(),
                        m.volumes().size(), c.volumesChecked, m.entries().size(), c.entriesChecked,
                        m.totalEntryBytes(), m.totalVolumeBytes(), c.bytesRead);
        return new VerificationReport(dir.toString(), now, requested, s, new ArrayList<>(problems.kept()), problems.count());
    }
}
