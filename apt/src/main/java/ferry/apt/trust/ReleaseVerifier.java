package ferry.apt.trust;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.bouncycastle.bcpg.ArmoredInputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * The one place that decides whether an upstream APT repository's Release may be trusted: {@code InRelease}
 * (clearsigned, RFC 4880 section 7) or {@code Release} with {@code Release.gpg} (detached). As {@code gpgv} and apt
 * decide it: at least one good signature by a key of the operator's {@link UpstreamKeyring}, and no bad one by such
 * a key; signatures by keys outside the keyring are ignored (Debian signs with several keys, and an operator may
 * trust one). A signature counts only with a hash of SHA-256 or stronger (apt refuses SHA-1 and MD5), made by a key
 * (or a signing subkey bound to it) that was neither revoked nor expired when it signed, with a creation time not
 * in the future, and not itself expired.
 */
public final class ReleaseVerifier {
    private static final Set<Integer> STRONG = Set.of(HashAlgorithmTags.SHA256, HashAlgorithmTags.SHA384,
            HashAlgorithmTags.SHA512, HashAlgorithmTags.SHA224);
    /** Clock skew tolerated for a signature's creation time, in seconds. */
    private static final long SKEW_SECONDS = 24 * 3600;
    /** Largest Release accepted, in bytes (a full Debian suite's is about 150 KiB). */
    public static final int MAX_BYTES = 64 * 1024 * 1024;
    private static final int MAX_SIGNATURES = 32;

    /** A Release that passed: its signed text ({@code \n} line ends) and who signed it. */
    public record Verified(String text, List<String> signerFingerprints, Instant signedAt) {
        public Verified {
            signerFingerprints = List.copyOf(signerFingerprints);
        }
    }

    private ReleaseVerifier() {
    }

    /**
     * Verifies an {@code InRelease} file.
     *
     * @param now the time to judge key and signature expiry against (UTC)
     * @throws ReleaseSignatureException naming what is wrong: not a clearsigned message, no signature by a trusted
     *                                   key, a bad signature, a weak hash, a revoked or expired key
     */
    public static Verified verifyInRelease(byte[] inRelease, UpstreamKeyring keys, Instant now)
            throws ReleaseSignatureException {
        if (inRelease.length > MAX_BYTES) {
            throw new ReleaseSignatureException("InRelease is " + inRelease.length + " bytes, over " + MAX_BYTES);
        }
        String all = new String(inRelease, StandardCharsets.UTF_8).replace("\r\n", "\n");
        String begin = "-----BEGIN PGP SIGNED MESSAGE-----\n";
        if (!all.startsWith(begin)) {
            throw new ReleaseSignatureException("InRelease is not a clearsigned message");
        }
        int blank = all.indexOf("\n\n", begin.length() - 1);
        int sigStart = all.indexOf("\n-----BEGIN PGP SIGNATURE-----", Math.max(blank, 0));
        if (blank < 0 || sigStart < 0) {
            throw new ReleaseSignatureException("InRelease: clearsigned message without a text or a signature block");
        }
        for (String header : all.substring(begin.length(), blank).split("\n")) {
            if (!header.startsWith("Hash: ")) {
                throw new ReleaseSignatureException("InRelease: unexpected armor header '" + clip(header) + "'");
            }
        }
        List<String> lines = new ArrayList<>();
        for (String line : all.substring(blank + 2, sigStart).split("\n", -1)) {
            if (line.startsWith("-") && !line.startsWith("- ")) {
                throw new ReleaseSignatureException("InRelease: a line starting with '-' is not dash-escaped");
            }
            lines.add(line.startsWith("- ") ? line.substring(2) : line);
        }
        // RFC 4880 7.1: the signature covers the lines without trailing blanks, joined by CRLF, without a final one
        StringBuilder canonical = new StringBuilder();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            canonical.append(l.replaceAll("[ \t]+$", ""));
            text.append(l).append('\n');
            if (i < lines.size() - 1) {
                canonical.append("\r\n");
            }
        }
        byte[] signature = all.substring(sigStart + 1).getBytes(StandardCharsets.US_ASCII);
        return check(canonical.toString().getBytes(StandardCharsets.UTF_8), signature, true, keys, now,
                text.toString(), "InRelease");
    }

    /** Verifies a {@code Release} file against its detached {@code Release.gpg} (armored or binary). */
    public static Verified verifyDetached(byte[] release, byte[] releaseGpg, UpstreamKeyring keys, Instant now)
            throws ReleaseSignatureException {
        if (release.length > MAX_BYTES) {
            throw new ReleaseSignatureException("Release is " + release.length + " bytes, over " + MAX_BYTES);
        }
        return check(release, releaseGpg, false, keys, now, new String(release, StandardCharsets.UTF_8), "Release.gpg");
    }

    private static Verified check(byte[] signed, byte[] signatureBytes, boolean textOnly, UpstreamKeyring keys,
                                  Instant now, String text, String what) throws ReleaseSignatureException {
        List<PGPSignature> signatures = signatures(signatureBytes, what);
        List<String> good = new ArrayList<>();
        Instant signedAt = null;
        List<String> ignored = new ArrayList<>();
        for (PGPSignature s : signatures) {
            UpstreamKeyring.Found found = keys.find(s.getKeyID());
            if (found == null) {
                ignored.add(String.format("%016X", s.getKeyID()));
                continue;
            }
            String fpr = HexFormat.of().withUpperCase().formatHex(found.primary().getFingerprint());
            String problem = problem(s, found, textOnly, now);
            if (problem == null) {
                try {
                    s.init(new BcPGPContentVerifierBuilderProvider(), found.key());
                    s.update(signed);
                    if (!s.verify()) {
                        problem = "BAD signature (the Release was altered)";
                    }
                } catch (PGPException | RuntimeException e) {
                    problem = "signature does not verify: " + e.getMessage();
                }
            }
            if (problem != null) {
                throw new ReleaseSignatureException(what + ": signature by trusted key " + fpr + ": " + problem);
            }
            good.add(fpr);
            Instant t = s.getCreationTime().toInstant();
            signedAt = signedAt == null || t.isAfter(signedAt) ? t : signedAt;
        }
        if (good.isEmpty()) {
            throw new ReleaseSignatureException(what + ": no signature by a key of " + keys.name()
                    + (ignored.isEmpty() ? "" : " (signed by " + String.join(", ", ignored) + ")"));
        }
        return new Verified(text, good, signedAt);
    }

    private static String problem(PGPSignature s, UpstreamKeyring.Found found, boolean textOnly, Instant now) {
        if (s.getVersion() != 4) {
            return "version " + s.getVersion() + " signature";
        }
        int type = s.getSignatureType();
        if (type != PGPSignature.CANONICAL_TEXT_DOCUMENT && (textOnly || type != PGPSignature.BINARY_DOCUMENT)) {
            return "signature type 0x" + Integer.toHexString(type) + " is not a document signature";
        }
        if (!STRONG.contains(s.getHashAlgorithm())) {
            return "hash algorithm " + s.getHashAlgorithm() + " is too weak (SHA-256 or stronger required)";
        }
        Instant created = s.getCreationTime().toInstant();
        if (created.isAfter(now.plusSeconds(SKEW_SECONDS))) {
            return "signature made in the future (" + created + ")";
        }
        PGPSignatureSubpacketVector hashed = s.getHashedSubPackets();
        long sigValid = hashed == null ? 0 : hashed.getSignatureExpirationTime();
        if (sigValid > 0 && now.isAfter(created.plusSeconds(sigValid))) {
            return "signature expired at " + created.plusSeconds(sigValid);
        }
        PGPPublicKey primary = found.primary();
        PGPPublicKey key = found.key();
        if (primary.hasRevocation() || key.hasRevocation()) {
            return "key is revoked";
        }
        for (PGPPublicKey k : key == primary ? List.of(primary) : List.of(primary, key)) {
            long valid = k.getValidSeconds();
            Instant keyCreated = k.getCreationTime().toInstant();
            if (created.isBefore(keyCreated)) {
                return "signature is older than its key";
            }
            if (valid > 0 && created.isAfter(keyCreated.plusSeconds(valid))) {
                return "key had expired when it signed (" + keyCreated.plusSeconds(valid) + ")";
            }
        }
        if (key != primary && !boundForSigning(primary, key)) {
            return "subkey " + String.format("%016X", key.getKeyID()) + " is not bound to its primary key for signing";
        }
        return null;
    }

    /** A subkey signs only with a valid binding signature by its primary key that allows signing. */
    private static boolean boundForSigning(PGPPublicKey primary, PGPPublicKey subkey) {
        for (Iterator<PGPSignature> it = subkey.getSignaturesOfType(PGPSignature.SUBKEY_BINDING); it.hasNext(); ) {
            PGPSignature binding = it.next();
            try {
                binding.init(new BcPGPContentVerifierBuilderProvider(), primary);
                if (!binding.verifyCertification(primary, subkey)) {
                    continue;
                }
                PGPSignatureSubpacketVector v = binding.getHashedSubPackets();
                if (v != null && (v.getKeyFlags() & KeyFlags.SIGN_DATA) != 0) {
                    return true;
                }
            } catch (PGPException | RuntimeException e) {
                // an unverifiable binding does not bind
            }
        }
        return false;
    }

    private static List<PGPSignature> signatures(byte[] bytes, String what) throws ReleaseSignatureException {
        List<PGPSignature> out = new ArrayList<>();
        try {
            byte[] binary = bytes;
            String head = new String(bytes, 0, Math.min(bytes.length, 40), StandardCharsets.US_ASCII);
            if (head.startsWith("-----BEGIN PGP SIGNATURE")) {
                try (ArmoredInputStream armor = new ArmoredInputStream(new ByteArrayInputStream(bytes))) {
                    ByteArrayOutputStream b = new ByteArrayOutputStream();
                    armor.transferTo(b);
                    binary = b.toByteArray();
                }
            }
            Object o = new BcPGPObjectFactory(binary).nextObject();
            if (!(o instanceof PGPSignatureList list) || list.isEmpty()) {
                throw new ReleaseSignatureException(what + ": no OpenPGP signature");
            }
            for (PGPSignature s : list) {
                if (out.size() >= MAX_SIGNATURES) {
                    throw new ReleaseSignatureException(what + ": more than " + MAX_SIGNATURES + " signatures");
                }
                out.add(s);
            }
        } catch (IOException | RuntimeException e) {
            throw new ReleaseSignatureException(what + ": unreadable signature: " + e.getMessage(), e);
        }
        return out;
    }

    private static String clip(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
