package ferry.format.pgp;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.Features;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.PBESecretKeyEncryptor;
import org.bouncycastle.openpgp.operator.PGPDigestCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;

/** Generates signing keys for exporters. */
public final class KeyGenerator {
    private KeyGenerator() { }

    /**
     * S2K iteration byte: 0xF0 hashes 32 MiB per unlock (about 0.1 s), in the range gpg uses, so a stolen
     * key file resists guessing without making every export slow.
     */
    private static final int S2K_COUNT = 0xF0;

    /**
     * Generates an OpenPGP v4 Ed25519 primary key (EdDSA, algorithm 22, as gpg 2.2+ understands it) that
     * may certify and sign, with one user id, no expiry and no subkeys.
     *
     * @param userId     e.g. {@code "Ferry Export <ferry@example.org>"}; non-empty
     * @param passphrase protects the secret key (S2K iterated+salted SHA-256, AES-256) when non-null and
     *                   non-empty; {@code null} leaves it unprotected
     * @throws IllegalArgumentException if userId is empty
     */
    public static GeneratedKey generateEd25519(String userId, char[] passphrase) {
        if (userId == null || userId.isBlank()) {
            throw new IllegalArgumentException("user id must not be empty");
        }
        try {
            Instant created = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            Ed25519KeyPairGenerator gen = new Ed25519KeyPairGenerator();
            gen.init(new Ed25519KeyGenerationParameters(new SecureRandom()));
            AsymmetricCipherKeyPair kp = gen.generateKeyPair();
            PGPKeyPair pair = new BcPGPKeyPair(PublicKeyAlgorithmTags.EDDSA_LEGACY, kp, Date.from(created));

            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setKeyFlags(true, KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA);
            hashed.setPreferredHashAlgorithms(false, new int[] {HashAlgorithmTags.SHA512, HashAlgorithmTags.SHA256});
            hashed.setPreferredSymmetricAlgorithms(false,
                    new int[] {SymmetricKeyAlgorithmTags.AES_256, SymmetricKeyAlgorithmTags.AES_128});
            hashed.setFeature(false, Features.FEATURE_MODIFICATION_DETECTION);
            hashed.setIssuerFingerprint(false, pair.getPublicKey());

            var digests = new BcPGPDigestCalculatorProvider();
            PGPDigestCalculator sha1 = digests.get(HashAlgorithmTags.SHA1);
            PBESecretKeyEncryptor encryptor = passphrase == null || passphrase.length == 0 ? null
                    : new BcPBESecretKeyEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256,
                            digests.get(HashAlgorithmTags.SHA256), S2K_COUNT)
                            .setSecureRandom(new SecureRandom()).build(passphrase);
            PGPKeyRingGenerator rings = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, pair, userId,
                    sha1, hashed.generate(), null,
                    new BcPGPContentSignerBuilder(PublicKeyAlgorithmTags.EDDSA_LEGACY, HashAlgorithmTags.SHA512),
                    encryptor);
            String secret = Armor.encode(Armor.PRIVATE_KEY, rings.generateSecretKeyRing().getEncoded());
            PublicKey pub = new PublicKey(rings.generatePublicKeyRing());
            return new GeneratedKey(secret, pub.armored(), pub.fingerprint(), userId, created);
        } catch (PGPException | IOException e) {
            throw new IllegalStateException("Ed25519 key generation failed", e);
        }
    }
}
