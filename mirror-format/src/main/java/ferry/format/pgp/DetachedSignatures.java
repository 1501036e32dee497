package ferry.format.pgp;

import ferry.format.pgp.SignatureCheck.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.bcpg.BCPGOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.SignatureSubpacket;
import org.bouncycastle.bcpg.SignatureSubpacketTags;
import org.bouncycastle.bcpg.sig.IssuerFingerprint;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * Detached OpenPGP signatures over manifest bytes (docs/bundle-format.md, "Signatures").
 *
 * <p>A ferry signature file is ASCII armor (no armor headers, with CRC) around exactly one v4 signature
 * packet of type 0x00 (binary document), hash SHA-256, SHA-384 or SHA-512, with a hashed creation time
 * and a hashed issuer fingerprint; its unhashed area is empty or holds only an issuer key id matching the
 * fingerprint. {@code gpgv} verifies such files directly.
 */
public final class DetachedSignatures {
    private DetachedSignatures() { }

    private static final Set<Integer> HASHES = Set.of(HashAlgorithmTags.SHA256, HashAlgorithmTags.SHA384,
            HashAlgorithmTags.SHA512);

    /**
     * Signs {@code data} with SHA-256.
     *
     * @return the armored signature, ASCII with LF line endings
     */
    public static String sign(SigningKey key, byte[] data) {
        try {
            PGPPublicKey pub = key.signingPublicKey();
            PGPSignatureGenerator gen = new PGPSignatureGenerator(
                    new BcPGPContentSignerBuilder(pub.getAlgorithm(), HashAlgorithmTags.SHA256));
            gen.init(PGPSignature.BINARY_DOCUMENT, key.privateKey());
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setSignatureCreationTime(false, new Date());
            hashed.setIssuerFingerprint(false, pub);
            // issuer key id in the hashed area too, so the unhashed area stays empty and unalterable
            hashed.setIssuerKeyID(false, pub.getKeyID());
            gen.setHashedSubpackets(hashed.generate());
            gen.update(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (BCPGOutputStream bc = new BCPGOutputStream(out)) {
                gen.generate().encode(bc);
            }
            return Armor.encode(Armor.SIGNATURE, out.toByteArray());
        } catch (PGPException | IOException e) {
            throw new IllegalStateException("signing failed: " + e.getMessage(), e);
        }
    }

    /**
     * Checks the signatures in one armored signature file against {@code data}.
     *
     * @param armored the signature file's text
     * @param keys    keys whose signatures count; signatures by other keys come back as UNKNOWN_KEY
     * @return one check per signature packet; a single MALFORMED check when the file is unreadable.
     *         ferry writes one signature per file; the bundle verifier treats more as a problem.
     */
    public static List<SignatureCheck> verify(String armored, byte[] data, Collection<PublicKey> keys) {
        return verify(armored.getBytes(StandardCharsets.UTF_8), data, keys);
    }

    /** Like {@link #verify(String, byte[], Collection)} on the raw bytes of a signature file. */
    public static List<SignatureCheck> verify(byte[] armored, byte[] data, Collection<PublicKey> keys) {
        List<PGPSignature> sigs = new ArrayList<>();
        byte[] binary;
        try {
            binary = Armor.decode(Armor.SIGNATURE, armored, true);
            Object o = new BcPGPObjectFactory(binary).nextObject();
            if (!(o instanceof PGPSignatureList list) || list.isEmpty()) {
                return List.of(malformed("not an OpenPGP signature"));
            }
            list.forEach(sigs::add);
            // re-encoding must give back the same bytes: this rejects trailing data, non-minimal lengths
            // and MPIs, which a parser would otherwise accept without them being covered by anything
            ByteArrayOutputStream again = new ByteArrayOutputStream();
            try (BCPGOutputStream bc = new BCPGOutputStream(again)) {
                for (PGPSignature s : sigs) {
                    s.encode(bc);
                }
            }
            if (!Arrays.equals(again.toByteArray(), binary)) {
                return List.of(malformed("signature packet is not in canonical encoding or has trailing data"));
            }
        } catch (KeyException e) {
            return List.of(malformed(e.getMessage()));
        } catch (IOException | RuntimeException e) {
            return List.of(malformed("unreadable signature packet: " + e.getMessage()));
        }
        List<SignatureCheck> out = new ArrayList<>();
        for (PGPSignature s : sigs) {
            out.add(check(s, data, keys));
        }
        return out;
    }

    private static SignatureCheck check(PGPSignature s, byte[] data, Collection<PublicKey> keys) {
        if (s.getVersion() != 4) {
            return malformed("version " + s.getVersion() + " signature; ferry requires v4");
        }
        PGPSignatureSubpacketVector hashed = s.getHashedSubPackets();
        Date created = hashed == null ? null : hashed.getSignatureCreationTime();
        Instant signedAt = created == null ? null : created.toInstant();
        IssuerFingerprint issuer = hashed == null ? null : hashed.getIssuerFingerprint();
        if (signedAt == null) {
            return malformed("signature has no hashed creation time");
        }
        if (issuer == null || issuer.getKeyVersion() != 4 || issuer.getFingerprint().length != 20) {
            return malformed("signature has no hashed v4 issuer fingerprint");
        }
        byte[] issuerFpr = issuer.getFingerprint();
        String issuerHex = Fingerprints.hex(issuerFpr);
        String unhashedProblem = unhashedProblem(s.getUnhashedSubPackets(), issuerFpr);
        if (unhashedProblem != null) {
            return new SignatureCheck(Status.MALFORMED, issuerHex, null, signedAt, unhashedProblem);
        }
        PublicKey owner = null;
        PGPPublicKey key = null;
        for (PublicKey k : keys) {
            key = k.find(issuerFpr);
            if (key != null) {
                owner = k;
                break;
            }
        }
        if (owner == null) {
            return new SignatureCheck(Status.UNKNOWN_KEY, issuerHex, null, signedAt,
                    "made by key " + issuerHex + ", which is not trusted");
        }
        String fpr = owner.fingerprint();
        String rule = ruleProblem(s, key, owner, signedAt);
        if (rule != null) {
            return new SignatureCheck(Status.INVALID, fpr, owner.userId(), signedAt, rule);
        }
        try {
            s.init(new BcPGPContentVerifierBuilderProvider(), key);
            s.update(data);
            if (!s.verify()) {
                return new SignatureCheck(Status.INVALID, fpr, owner.userId(), signedAt,
                        "BAD signature: the signed data or the signature was altered");
            }
            if (!Arrays.equals(digestPrefix(s, data), s.getDigestPrefix())) {
                return new SignatureCheck(Status.INVALID, fpr, owner.userId(), signedAt,
                        "signature hash prefix does not match");
            }
        } catch (PGPException | RuntimeException e) {
            return new SignatureCheck(Status.INVALID, fpr, owner.userId(), signedAt,
                    "signature does not verify: " + e.getMessage());
        }
        return new SignatureCheck(Status.VALID, fpr, owner.userId(), signedAt, "good signature");
    }

    /** Algorithm and key-state rules; null when they hold. */
    private static String ruleProblem(PGPSignature s, PGPPublicKey key, PublicKey owner, Instant signedAt) {
        if (s.getSignatureType() != PGPSignature.BINARY_DOCUMENT) {
            return "signature type 0x" + Integer.toHexString(s.getSignatureType()) + " is not a binary document signature";
        }
        if (!HASHES.contains(s.getHashAlgorithm())) {
            return "hash algorithm " + s.getHashAlgorithm() + " is too weak (SHA-256 or stronger required)";
        }
        if (s.getKeyAlgorithm() != key.getAlgorithm()) {
            return "signature algorithm does not match the key";
        }
        switch (key.getAlgorithm()) {
            case PublicKeyAlgorithmTags.EDDSA_LEGACY, PublicKeyAlgorithmTags.Ed25519, PublicKeyAlgorithmTags.Ed448,
                 PublicKeyAlgorithmTags.ECDSA -> { }
            case PublicKeyAlgorithmTags.RSA_GENERAL, PublicKeyAlgorithmTags.RSA_SIGN -> {
                if (key.getBitStrength() < 3072) {
                    return "RSA key of " + key.getBitStrength() + " bits is too small (3072 required)";
                }
            }
            default -> {
                return "public key algorithm " + key.getAlgorithm() + " is not accepted";
            }
        }
        if (owner.ring().getPublicKey().hasRevocation() || key.hasRevocation()) {
            return "key is revoked";
        }
        if (!SigningKey.canSign(key, key.isMasterKey())) {
            return "key is not allowed to sign data";
        }
        Instant keyCreated = key.getCreationTime().toInstant();
        if (signedAt.isBefore(keyCreated)) {
            return "signature is older than its key";
        }
        long valid = key.getValidSeconds();
        if (valid > 0 && signedAt.isAfter(keyCreated.plusSeconds(valid))) {
            return "key had expired when the signature was made";
        }
        return null;
    }

    private static String unhashedProblem(PGPSignatureSubpacketVector unhashed, byte[] issuerFpr) {
        if (unhashed == null) {
            return null;
        }
        for (SignatureSubpacket p : unhashed.toArray()) {
            if (p.getType() != SignatureSubpacketTags.ISSUER_KEY_ID) {
                return "unhashed subpacket " + p.getType() + " is not allowed";
            }
            long id = new org.bouncycastle.bcpg.sig.IssuerKeyID(p.isCritical(), p.isLongLength(), p.getData()).getKeyID();
            long expected = java.nio.ByteBuffer.wrap(issuerFpr, 12, 8).getLong();
            if (id != expected) {
                return "unhashed issuer key id does not match the issuer fingerprint";
            }
        }
        return null;
    }

    /** The first two bytes of the hash the signature covers, which OpenPGP stores unprotected. */
    private static byte[] digestPrefix(PGPSignature s, byte[] data) {
        String name = switch (s.getHashAlgorithm()) {
            case HashAlgorithmTags.SHA384 -> "SHA-384";
            case HashAlgorithmTags.SHA512 -> "SHA-512";
            default -> "SHA-256";
        };
        try {
            MessageDigest md = MessageDigest.getInstance(name);
            md.update(data);
            md.update(s.getSignatureTrailer());
            return Arrays.copyOf(md.digest(), 2);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SignatureCheck malformed(String why) {
        return new SignatureCheck(Status.MALFORMED, null, null, null, why);
    }
}
