package ferry.importer;

import ferry.format.BundleReader;
import ferry.format.pgp.DetachedSignatures;
import ferry.format.pgp.SignatureCheck;
import ferry.format.trust.TrustStore;
import ferry.verifier.VerificationReport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Time of check against time of use: the verifier reads the manifest itself and does not hand out the bytes it
 * checked, so the importer reads them once before verification and once (through {@link BundleReader}) after, and
 * refuses the bundle unless both have the same SHA-256 and the bytes it goes on to use carry the trust store's
 * threshold of valid signatures. A manifest swapped during verification therefore cannot be imported; a volume
 * swapped after verification is caught by {@link BundleReader#openEntry} and by the store re-hashing every object.
 */
final class ManifestGuard {
    private static final int MAX_SIGNATURE_BYTES = 64 * 1024;
    private static final int MAX_SIGNATURE_FILES = 32;

    private ManifestGuard() {
    }

    /** SHA-256 (lower-case hex) of the manifest as it is now, or null if it cannot be read (verification says why). */
    static String hashBeforeVerification(Path bundleDir) {
        try {
            return sha256(BundleReader.readManifestBytes(bundleDir));
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Checks that {@code reader}'s manifest is the one verified and still signed, and returns the accepted signers
     * (fingerprint to user id, in signature file order).
     *
     * @throws BundleInvalidException if the manifest changed, or its signatures no longer meet the threshold
     */
    static Map<String, String> check(String hashBefore, BundleReader reader, VerificationReport report,
                                     TrustStore trust) throws BundleInvalidException {
        byte[] bytes = reader.manifestBytes();
        String hash = sha256(bytes);
        if (!hash.equals(hashBefore)) {
            throw new BundleInvalidException("bundle " + reader.directory() + ": manifest.json changed during "
                    + "verification (SHA-256 " + hashBefore + " before, " + hash + " after); copy the bundle to a "
                    + "place nothing else writes to and import again");
        }
        var summary = report.summary();
        var m = reader.manifest();
        if (!Objects.equals(summary.bundleId(), m.bundleId()) || !Objects.equals(summary.sequence(), m.sequence())
                || !Objects.equals(summary.channel(), m.channel())) {
            throw new BundleInvalidException("bundle " + reader.directory() + ": manifest differs from the one verified");
        }
        Map<String, String> signers = new LinkedHashMap<>();
        List<Path> files;
        try {
            files = reader.signatureFiles();
        } catch (IOException e) {
            throw new BundleInvalidException("bundle " + reader.directory() + ": signatures unreadable after "
                    + "verification: " + e.getMessage(), e);
        }
        for (Path f : files.subList(0, Math.min(files.size(), MAX_SIGNATURE_FILES))) {
            byte[] armored = readSmall(f);
            if (armored == null) {
                continue;
            }
            for (SignatureCheck c : DetachedSignatures.verify(armored, bytes, trust.keys())) {
                if (c.valid()) {
                    signers.putIfAbsent(c.fingerprint(), c.userId());
                }
            }
        }
        if (signers.size() < trust.threshold()) {
            throw new BundleInvalidException("bundle " + reader.directory() + ": after verification only "
                    + signers.size() + " trusted signature(s) remain on the manifest, " + trust.threshold()
                    + " required; the signatures changed during import");
        }
        return signers;
    }

    private static byte[] readSmall(Path f) {
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        try (InputStream in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
            byte[] b = in.readNBytes(MAX_SIGNATURE_BYTES + 1);
            return b.length > MAX_SIGNATURE_BYTES ? null : b;
        } catch (IOException e) {
            return null;
        }
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256Digest().digest(bytes));
    }

    static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

}
