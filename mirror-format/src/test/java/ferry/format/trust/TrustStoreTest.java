package ferry.format.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import ferry.format.pgp.GeneratedKey;
import ferry.format.pgp.KeyGenerator;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TrustStoreTest {
    private static final GeneratedKey A = KeyGenerator.generateEd25519("A <a@example.org>", null);
    private static final GeneratedKey B = KeyGenerator.generateEd25519("B <b@example.org>", null);
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final Path dir = fs.getPath("/trust");

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(dir.resolve("keys"));
        Files.writeString(dir.resolve("keys/a.asc"), A.armoredPublicKey());
        Files.writeString(dir.resolve("keys/b.asc"), B.armoredPublicKey());
    }

    @AfterEach
    void tearDown() throws Exception {
        fs.close();
    }

    @Test
    void loadsKeysAndThreshold() throws Exception {
        Files.writeString(dir.resolve("policy.json"), "{\"threshold\": 2}\n");
        TrustStore t = TrustStore.load(dir);
        assertEquals(2, t.threshold());
        assertEquals(2, t.keys().size());
        assertTrue(t.key(A.fingerprint()).isPresent());
    }

    @Test
    void loadsTheWholePolicyWithDefaults() throws Exception {
        Files.writeString(dir.resolve("policy.json"), "{\"threshold\": 1}");
        assertEquals(new TrustPolicy(1, TrustPolicy.DEFAULT_MAX_SEQUENCE_JUMP, false), TrustStore.load(dir).policy());
        Files.writeString(dir.resolve("policy.json"),
                "{\"threshold\": 2, \"maxSequenceJump\": 10, \"requireExpiry\": true}");
        assertEquals(new TrustPolicy(2, 10, true), TrustStore.load(dir).policy());
    }

    @Test
    void writePolicyIsWhatLoadReads() throws Exception {
        TrustStore.writePolicy(dir, new TrustPolicy(2, 7, true));
        assertEquals(new TrustPolicy(2, 7, true), TrustStore.load(dir).policy());
        assertEquals(new TrustPolicy(2, 7, true), TrustStore.readPolicy(dir));
        assertEquals("{\n  \"threshold\" : 2,\n  \"maxSequenceJump\" : 7,\n  \"requireExpiry\" : true\n}",
                Files.readString(dir.resolve("policy.json")));
        assertTrue(Files.notExists(dir.resolve("policy.json.tmp")));
    }

    @Test
    void readPolicyAppliesTheLoadChecksButTheKeyCount() throws Exception {
        Files.writeString(dir.resolve("policy.json"), "{\"threshold\": 5}");
        assertEquals(new TrustPolicy(5, TrustPolicy.DEFAULT_MAX_SEQUENCE_JUMP, false), TrustStore.readPolicy(dir));
        Files.writeString(dir.resolve("policy.json"), "{\"threshold\": 1, \"surplus\": 1}");
        TrustStoreException e = assertThrows(TrustStoreException.class, () -> TrustStore.readPolicy(dir));
        assertTrue(e.getMessage().contains("field 'surplus': unknown field"), e.getMessage());
        Files.writeString(dir.resolve("policy.json"), "{\"threshold\": 0}");
        e = assertThrows(TrustStoreException.class, () -> TrustStore.readPolicy(dir));
        assertTrue(e.getMessage().contains("field 'threshold': 0 must be at least 1"), e.getMessage());
    }

    @Test
    void refusesBadPolicyFields() throws Exception {
        for (String[] c : new String[][] {
                {"{\"threshold\": 1, \"maxSequenceJump\": 0}", "field 'maxSequenceJump': must be an integer >= 1"},
                {"{\"threshold\": 1, \"maxSequenceJump\": -5}", "field 'maxSequenceJump': must be an integer >= 1"},
                {"{\"threshold\": 1, \"maxSequenceJump\": 1e3}", "field 'maxSequenceJump': must be an integer >= 1"},
                {"{\"threshold\": 1, \"requireExpiry\": \"yes\"}", "field 'requireExpiry': must be true or false"}}) {
            Files.writeString(dir.resolve("policy.json"), c[0]);
            assertError(c[1]);
        }
    }

    @Test
    void refusesBadPolicies() throws Exception {
        assertError("policy.json: trust store policy is missing");
        for (String[] c : new String[][] {
                {"{\"threshold\": 0}", "between 1 and the number of trusted keys (2)"},
                {"{\"threshold\": 3}", "between 1 and the number of trusted keys (2)"},
                {"{\"threshold\": \"1\"}", "must be an integer"},
                {"{\"threshold\": 1.5}", "must be an integer"},
                {"{\"threshold\": 1, \"mode\": \"x\"}", "field 'mode': unknown field"},
                {"{}", "field 'threshold': missing"},
                {"[1]", "must be a JSON object"},
                {"{\"threshold\": 1} {}", "data after"},
                {"{\"threshold\": 1, \"threshold\": 1}", "not valid JSON"},
                {"{threshold: 1}", "not valid JSON"}}) {
            Files.writeString(dir.resolve("policy.json"), c[0]);
            assertError(c[1]);
        }
    }

    @Test
    void refusesBadKeyDirectories() throws Exception {
        Files.writeString(dir.resolve("policy.json"), "{\"threshold\": 1}");
        Files.writeString(dir.resolve("keys/notes.txt"), "x");
        assertError("keys/notes.txt: unexpected file");
        Files.delete(dir.resolve("keys/notes.txt"));
        Files.writeString(dir.resolve("keys/c.asc"), A.armoredPublicKey());
        assertError("is also in /trust/keys/a.asc");
        Files.writeString(dir.resolve("keys/c.asc"), "not a key");
        assertError("/trust/keys/c.asc");
        Files.delete(dir.resolve("keys/c.asc"));
        Files.delete(dir.resolve("keys/a.asc"));
        Files.delete(dir.resolve("keys/b.asc"));
        assertError("no trusted keys");
    }

    private void assertError(String fragment) {
        TrustStoreException e = assertThrows(TrustStoreException.class, () -> TrustStore.load(dir));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
