package ferry.format.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ferry.format.pgp.KeyGenerator;
import ferry.format.pgp.SigningKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A trust policy change compares by its document bytes and signatures, not by the identity of the byte array. */
class SignedTrustChangeTest {

    @Test
    void aChangeReadBackFromItsDirectoryEqualsTheOneWritten(@TempDir Path tmp) throws Exception {
        SigningKey key = SigningKey.parse(KeyGenerator.generateEd25519("A <a@example.org>", null).armoredSecretKey(), null);
        byte[] document = "{\"version\":2}\n".getBytes(StandardCharsets.UTF_8);
        SignedTrustChange written = new SignedTrustChange(document, Map.of()).signedBy(key);
        written.write(tmp.resolve("change"));
        SignedTrustChange read = SignedTrustChange.read(tmp.resolve("change"));

        assertEquals(written, read);
        assertEquals(written.hashCode(), read.hashCode());
        assertNotEquals(written, new SignedTrustChange(document, Map.of()), "the same document unsigned");
        byte[] other = document.clone();
        other[2] ^= 1;
        assertNotEquals(written, new SignedTrustChange(other, written.signatures()), "another document, same signatures");
        assertFalse(written.toString().contains("[B@"), written.toString());
        assertEquals("SignedTrustChange[document=" + document.length + " bytes, signatures=[" + key.fingerprint() + "]]",
                written.toString());
    }
}
