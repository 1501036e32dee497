package ferry.format.pgp;

import ferry.format.Limits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.operator.PBESecretKeyDecryptor;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;

/**
 * An unlocked OpenPGP secret key ready to sign manifests. Signs with the primary key when it may sign
 * (key flags include "sign data", or there are no key flags), else with the first signing subkey.
 * Holds private key material in memory; do not log it.
 */
public final class SigningKey {
    private final PublicKey publicKey;
    private final PGPPrivateKey privateKey;
    private final PGPPublicKey signingPublicKey;

    private SigningKey(PublicKey publicKey, PGPPublicKey signingPublicKey, PGPPrivateKey privateKey) {
        this.publicKey = publicKey;
        this.signingPublicKey = signingPublicKey;
        this.privateKey = privateKey;
    }

    /**
     * Loads and unlocks an armored secret key file ({@code gpg --export-secret-keys --armor}, or
     * {@link GeneratedKey#armoredSecretKey()}).
     *
     * @param passphrase the passphrase, or {@code null} for an unprotected key
     * @throws KeyException naming the file: unreadable, malformed, not exactly one key, no key that can
     *         sign, protected but no passphrase given, or wrong passphrase
     */
    public static SigningKey load(Path armoredSecretKey, char[] passphrase) throws KeyException {
        byte[] text = KeyFiles.read(armoredSecretKey, Limits.MAX_KEY_FILE_BYTES, "secret key");
        try {
            return parse(text, passphrase);
        } catch (KeyException e) {
            throw new KeyException(armoredSecretKey + ": " + e.getMessage(), e.getCause());
        }
    }

    /** Like {@link #load} from armored text. */
    public static SigningKey parse(String armoredSecretKey, char[] passphrase) throws KeyException {
        return parse(armoredSecretKey.getBytes(StandardCharsets.UTF_8), passphrase);
    }

    private static SigningKey parse(byte[] text, char[] passphrase) throws KeyException {
        byte[] data = Armor.decode(Armor.PRIVATE_KEY, text, false);
        PGPSecretKeyRing ring;
        try {
            PGPSecretKeyRingCollection rings = new PGPSecretKeyRingCollection(data, new BcKeyFingerprintCalculator());
            if (rings.size() != 1) {
                throw new KeyException("holds " + rings.size() + " secret keys; exactly one is expected");
            }
            ring = rings.getKeyRings().next();
        } catch (IOException | PGPException | RuntimeException e) {
            throw new KeyException("not an OpenPGP secret key: " + e.getMessage(), e);
        }
        List<PGPPublicKey> pubs = new ArrayList<>();
        ring.getPublicKeys().forEachRemaining(pubs::add);
        PublicKey publicKey = new PublicKey(new PGPPublicKeyRing(pubs));
        if (ring.getPublicKey().getVersion() != 4) {
            throw new KeyException("is a version " + ring.getPublicKey().getVersion() + " key; ferry uses v4 keys");
        }
        PGPSecretKey secret = pickSigningKey(ring);
        if (secret == null) {
            throw new KeyException("key " + publicKey.fingerprint() + " has no usable signing key");
        }
        String fpr = Fingerprints.of(secret.getPublicKey());
        if (secret.isPrivateKeyEmpty()) {
            throw new KeyException("key " + fpr + " holds no secret key material (a stub; export the full secret key)");
        }
        boolean protectedKey = secret.getKeyEncryptionAlgorithm() != SymmetricKeyAlgorithmTags.NULL;
        if (protectedKey && (passphrase == null || passphrase.length == 0)) {
            throw new KeyException("key " + fpr + " is protected by a passphrase, and none was given");
        }
        PBESecretKeyDecryptor decryptor = protectedKey
                ? new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider()).build(passphrase)
                : null;
        try {
            PGPPrivateKey priv = secret.extractPrivateKey(decryptor);
            if (priv == null) {
                throw new KeyException("key " + fpr + " holds no secret key material");
            }
            return new SigningKey(publicKey, secret.getPublicKey(), priv);
        } catch (PGPException | RuntimeException e) {
            throw new KeyException(protectedKey ? "wrong passphrase for key " + fpr
                    : "cannot unlock key " + fpr + ": " + e.getMessage(), e);
        }
    }

    private static PGPSecretKey pickSigningKey(PGPSecretKeyRing ring) {
        PGPSecretKey primary = ring.getSecretKey();
        if (canSign(primary.getPublicKey(), true)) {
            return primary;
        }
        for (Iterator<PGPSecretKey> it = ring.getSecretKeys(); it.hasNext(); ) {
            PGPSecretKey k = it.next();
            if (!k.isMasterKey() && canSign(k.getPublicKey(), false)) {
                return k;
            }
        }
        return null;
    }

    /** Whether self-signatures allow signing data (no key flags at all counts as yes for a primary key). */
    static boolean canSign(PGPPublicKey key, boolean primary) {
        if (key.hasRevocation()) {
            return false;
        }
        boolean sawFlags = false;
        for (Iterator<PGPSignature> it = key.getSignatures(); it.hasNext(); ) {
            PGPSignature s = it.next();
            if (s.getHashedSubPackets() != null && s.getHashedSubPackets().getKeyFlags() != 0) {
                sawFlags = true;
                if ((s.getHashedSubPackets().getKeyFlags() & KeyFlags.SIGN_DATA) != 0) {
                    return true;
                }
            }
        }
        return primary && !sawFlags;
    }

    /** The public half (primary key fingerprint, user id). */
    public PublicKey publicKey() {
        return publicKey;
    }

    /** Primary-key fingerprint: 40 upper-case hex digits; names the signature file. */
    public String fingerprint() {
        return publicKey.fingerprint();
    }

    /** First user id of the primary key. */
    public String userId() {
        return publicKey.userId();
    }

    /** Creation time of the primary key. */
    public Instant createdAt() {
        return publicKey.createdAt();
    }

    PGPPrivateKey privateKey() {
        return privateKey;
    }

    PGPPublicKey signingPublicKey() {
        return signingPublicKey;
    }

    @Override
    public String toString() {
        return "SigningKey[" + publicKey + "]";
    }
}
