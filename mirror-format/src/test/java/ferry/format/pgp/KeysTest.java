package ferry.format.pgp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeysTest {
    @Test
    void generatedKeyHasV4FingerprintAndLoadsBack() throws Exception {
        GeneratedKey k = KeyGenerator.generateEd25519("Ferry <f@example.org>", null);
        assertTrue(k.fingerprint().matches("[0-9A-F]{40}"), k.fingerprint());
        assertTrue(Duration.between(k.createdAt(), Instant.now()).abs().toMinutes() < 5);
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Path sec = fs.getPath("/k.sec.asc");
            Path pub = fs.getPath("/k.pub.asc");
            Files.writeString(sec, k.armoredSecretKey());
            Files.writeString(pub, k.armoredPublicKey());
            SigningKey s = SigningKey.load(sec, null);
            PublicKey p = PublicKeys.load(pub);
            assertEquals(k.fingerprint(), s.fingerprint());
            assertEquals(k.fingerprint(), p.fingerprint());
            assertEquals("Ferry <f@example.org>", p.userId());
            assertEquals(k.createdAt(), p.createdAt());
            assertTrue(k.armoredPublicKey().startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----\n"));
            assertTrue(!k.toString().contains("PRIVATE"), "toString must not leak the secret key");
        }
    }

    @Test
    void protectedKeyNeedsTheRightPassphrase() throws Exception {
        GeneratedKey k = KeyGenerator.generateEd25519("Locked <l@example.org>", "correct horse".toCharArray());
        KeyException missing = assertThrows(KeyException.class, () -> SigningKey.parse(k.armoredSecretKey(), null));
        assertTrue(missing.getMessage().contains("protected by a passphrase"), missing.getMessage());
        KeyException wrong = assertThrows(KeyException.class,
                () -> SigningKey.parse(k.armoredSecretKey(), "wrong".toCharArray()));
        assertTrue(wrong.getMessage().contains("wrong passphrase for key " + k.fingerprint()), wrong.getMessage());
        SigningKey ok = SigningKey.parse(k.armoredSecretKey(), "correct horse".toCharArray());
        byte[] data = {1, 2, 3};
        assertTrue(DetachedSignatures.verify(DetachedSignatures.sign(ok, data), data,
                List.of(PublicKeys.parse(k.armoredPublicKey()))).get(0).valid());
    }

    @Test
    void badKeyFilesGiveClearErrors() throws Exception {
        GeneratedKey a = KeyGenerator.generateEd25519("A <a@example.org>", null);
        GeneratedKey b = KeyGenerator.generateEd25519("B <b@example.org>", null);
        assertThrows(KeyException.class, () -> PublicKeys.parse("hello"));
        assertThrows(KeyException.class, () -> PublicKeys.parse(a.armoredSecretKey()));
        assertThrows(KeyException.class, () -> SigningKey.parse(a.armoredPublicKey(), null));
        KeyException two = assertThrows(KeyException.class,
                () -> PublicKeys.parse(Armor.encode(Armor.PUBLIC_KEY, concat(a, b))));
        assertTrue(two.getMessage().contains("exactly one"), two.getMessage());
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            KeyException e = assertThrows(KeyException.class, () -> PublicKeys.load(fs.getPath("/missing.asc")));
            assertTrue(e.getMessage().contains("/missing.asc"), e.getMessage());
        }
    }

    private static byte[] concat(GeneratedKey a, GeneratedKey b) throws Exception {
        byte[] x = PublicKeys.parse(a.armoredPublicKey()).ring().getEncoded();
        byte[] y = PublicKeys.parse(b.armoredPublicKey()).ring().getEncoded();
        byte[] out = new byte[x.length + y.length];
        System.arraycopy(x, 0, out, 0, x.length);
        System.arraycopy(y, 0, out, x.length, y.length);
        return out;
    }
}
