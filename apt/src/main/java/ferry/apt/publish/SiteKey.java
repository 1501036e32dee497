package ferry.apt.publish;

import ferry.format.pgp.GeneratedKey;
import ferry.format.pgp.KeyException;
import ferry.format.pgp.KeyGenerator;
import ferry.format.pgp.PublicKey;
import ferry.format.pgp.PublicKeys;
import ferry.format.pgp.SigningKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The site's APT repository key: the OpenPGP Ed25519 key that signs every published {@code Release}
 * ({@code InRelease}, {@code Release.gpg}), kept in the store at {@code apt/repository-key.sec.asc} (mode 0600,
 * without a passphrase: imports publish unattended) with its public half beside it in
 * {@code apt/repository-key.pub.asc}, the file clients name in {@code Signed-By}. Made by {@code ferry apt init-key},
 * or by the first APT import into a store that has none. apt on Debian 12 (gpgv 2.2) accepts Ed25519 signatures.
 */
public final class SiteKey {
    /** The secret key's file below the store directory. */
    public static final String SECRET = "apt/repository-key.sec.asc";
    /** The public key's file below the store directory. */
    public static final String PUBLIC = "apt/repository-key.pub.asc";

    private SiteKey() {
    }

    /**
     * Makes the store's repository key.
     *
     * @param userId e.g. {@code "Example site APT repository <apt@example.org>"}
     * @return the public key made
     * @throws PublishConfigException if the store already has one (a new key would break every client that trusts
     *                                the old one), or the files cannot be written
     */
    public static PublicKey create(Path storeDir, String userId) {
        Path secret = storeDir.resolve(SECRET);
        if (Files.exists(secret)) {
            throw new PublishConfigException("store " + storeDir + " already has an APT repository key (" + secret
                    + "); clients trust it, so it is not replaced");
        }
        GeneratedKey key = KeyGenerator.generateEd25519(userId, null);
        try {
            Files.createDirectories(secret.getParent());
            write(storeDir.resolve(PUBLIC), key.armoredPublicKey(), false);
            write(secret, key.armoredSecretKey(), true);
            return PublicKeys.parse(key.armoredPublicKey());
        } catch (IOException e) {
            throw new PublishConfigException("store " + storeDir + ": cannot write the APT repository key: " + e, e);
        } catch (KeyException e) {
            throw new IllegalStateException("a key just generated does not parse", e);
        }
    }

    /**
     * The store's signing key, made first (user id {@code "ferry APT repository (<store dir name>)"}) if the store
     * has none.
     *
     * @throws PublishConfigException if the key file cannot be read, written or parsed
     */
    public static SigningKey loadOrCreate(Path storeDir) {
        Path secret = storeDir.resolve(SECRET);
        if (!Files.exists(secret)) {
            create(storeDir, "ferry APT repository (" + storeDir.toAbsolutePath().getFileName() + ")");
        }
        try {
            return SigningKey.load(secret, null);
        } catch (KeyException e) {
            throw new PublishConfigException("APT repository key " + secret + ": " + e.getMessage(), e);
        }
    }

    /**
     * The armored public key clients trust ({@code Signed-By}).
     *
     * @throws PublishConfigException if the store has no repository key or it cannot be read
     */
    public static String publicKey(Path storeDir) {
        Path pub = storeDir.resolve(PUBLIC);
        if (!Files.exists(pub)) {
            throw new PublishConfigException("store " + storeDir + " has no APT repository key yet: run `ferry apt"
                    + " init-key --store " + storeDir + "` (or import an APT bundle)");
        }
        try {
            String text = Files.readString(pub, StandardCharsets.US_ASCII);
            PublicKeys.parse(text);
            return text;
        } catch (IOException | KeyException e) {
            throw new PublishConfigException("APT repository key " + pub + ": " + e.getMessage(), e);
        }
    }

    // Written beside the target, then renamed: a crash never leaves half a key; the secret is 0600 from its creation.
    private static void write(Path target, String text, boolean secret) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            if (secret && tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(tmp);
            }
        } catch (FileAlreadyExistsException e) {
            throw new IOException(tmp + " appeared while writing the key", e);
        }
        Files.writeString(tmp, text, StandardCharsets.US_ASCII);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }
}
