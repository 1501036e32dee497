package ferry.server;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The certificate chain and private key {@code ferry serve} presents over HTTPS, as an in-memory key store with one
 * entry. Read from PEM files (a certificate chain, server certificate first, and an unencrypted private key in
 * PKCS#8, PKCS#1 RSA or SEC1 EC form, as {@code openssl} writes them) or from a PKCS#12 file.
 */
public final class TlsCredentials {
    /** Largest PEM or PKCS#12 file read: certificates and keys are a few KiB. */
    static final long MAX_FILE_BYTES = 1 << 20;
    static final String ALIAS = "ferry";

    private final KeyStore keyStore;
    private final char[] password;

    private TlsCredentials(KeyStore keyStore, char[] password) {
        this.keyStore = keyStore;
        this.password = password;
    }

    KeyStore keyStore() {
        return keyStore;
    }

    char[] password() {
        return password.clone();
    }

    /**
     * Reads a PEM certificate chain and its private key.
     *
     * @throws ServeException naming the file: unreadable, over 1 MiB, no certificate, no key, an encrypted key, or a
     *                        key that does not belong to the first certificate
     */
    public static TlsCredentials fromPem(Path certificateChain, Path privateKey) throws ServeException {
        List<X509Certificate> chain = new ArrayList<>();
        try (PEMParser pem = new PEMParser(reader(certificateChain))) {
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                if (o instanceof X509CertificateHolder h) {
                    chain.add(converter.getCertificate(h));
                }
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new ServeException("TLS certificate " + certificateChain + ": not a readable PEM certificate chain: "
                    + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new ServeException("TLS certificate " + certificateChain + ": holds no PEM certificate", null);
        }
        PrivateKey key = readKey(privateKey);
        if (!matches(chain.get(0), key)) {
            throw new ServeException("TLS key " + privateKey + " does not belong to the certificate "
                    + chain.get(0).getSubjectX500Principal() + " in " + certificateChain, null);
        }
        char[] password = randomPassword();
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(ALIAS, key, password, chain.toArray(new X509Certificate[0]));
            return new TlsCredentials(ks, password);
        } catch (IOException | GeneralSecurityException e) {
            throw new ServeException("TLS: cannot hold the key of " + certificateChain + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a PKCS#12 file holding one private key with its certificate chain.
     *
     * @param password the file's password (may be empty)
     * @throws ServeException naming the file: unreadable, over 1 MiB, wrong password, or no private key in it
     */
    public static TlsCredentials fromPkcs12(Path file, char[] password) throws ServeException {
        Objects.requireNonNull(password, "password");
        KeyStore ks;
        try (InputStream in = Files.newInputStream(file)) {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new ServeException("TLS key store " + file + ": larger than " + MAX_FILE_BYTES + " bytes", null);
            }
            ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
        } catch (IOException | GeneralSecurityException e) {
            throw new ServeException("TLS key store " + file + ": cannot read it (wrong password, or not PKCS#12): "
                    + e.getMessage(), e);
        }
        try {
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias)) {
                    KeyStore one = KeyStore.getInstance("PKCS12");
                    one.load(null, null);
                    char[] p = randomPassword();
                    one.setKeyEntry(ALIAS, ks.getKey(alias, password), p, ks.getCertificateChain(alias));
                    return new TlsCredentials(one, p);
                }
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new ServeException("TLS key store " + file + ": cannot read its key: " + e.getMessage(), e);
        }
        throw new ServeException("TLS key store " + file + ": holds no private key", null);
    }

    private static PrivateKey readKey(Path file) throws ServeException {
        try (PEMParser pem = new PEMParser(reader(file))) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                if (o instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new ServeException("TLS key " + file + " is encrypted; give an unencrypted key readable only"
                            + " by the serving user, or a PKCS#12 file with --tls-pkcs12", null);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new ServeException("TLS key " + file + ": not a readable PEM private key: " + e.getMessage(), e);
        }
        throw new ServeException("TLS key " + file + ": holds no PEM private key", null);
    }

    private static Reader reader(Path file) throws IOException {
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new IOException("larger than " + MAX_FILE_BYTES + " bytes");
        }
        return Files.newBufferedReader(file, StandardCharsets.US_ASCII);
    }

    // The certificate's public key must be the key's: compare the encodings of the public halves by signing.
    private static boolean matches(X509Certificate cert, PrivateKey key) {
        try {
            String algorithm = switch (key.getAlgorithm()) {
                case "RSA" -> "SHA256withRSA";
                case "EC", "ECDSA" -> "SHA256withECDSA";
                case "Ed25519" -> "Ed25519";
                default -> null;
            };
            if (algorithm == null) {
                return true; // an unusual key type: the TLS handshake will tell
            }
            byte[] probe = "ferry serve".getBytes(StandardCharsets.US_ASCII);
            java.security.Signature s = java.security.Signature.getInstance(algorithm);
            s.initSign(key);
            s.update(probe);
            byte[] signature = s.sign();
            java.security.Signature v = java.security.Signature.getInstance(algorithm);
            v.initVerify(cert.getPublicKey());
            v.update(probe);
            return v.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    // The in-memory key store's password guards nothing on disk; it only has to be non-empty.
    private static char[] randomPassword() {
        byte[] b = new byte[18];
        new java.security.SecureRandom().nextBytes(b);
        char[] out = java.util.Base64.getEncoder().encodeToString(b).toCharArray();
        Arrays.fill(b, (byte) 0);
        return out;
    }
}
