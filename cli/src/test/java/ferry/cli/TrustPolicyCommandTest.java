package ferry.cli;

import ferry.format.pgp.GeneratedKey;
import ferry.format.pgp.KeyGenerator;
import ferry.format.trust.TrustPolicy;
import ferry.format.trust.TrustStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ferry keys trust} writes the whole trust policy; {@code ferry export --channel-reset} checks its value. */
class TrustPolicyCommandTest {
    static final GeneratedKey KEY = KeyGenerator.generateEd25519("Export <export@example.org>", null);

    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    static Run ferry(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void aNewTrustStoreRequiresAnExpiryAndBoundsSequenceJumps() throws Exception {
        Path pub = tmp.resolve("signer.pub.asc");
        Files.writeString(pub, KEY.armoredPublicKey());
        Path trust = tmp.resolve("trust");

        Run r = ferry("keys", "trust", pub.toString(), "--trust-store", trust.toString());

        assertEquals(0, r.code(), r.err());
        assertEquals(new TrustPolicy(1, 1000, true), TrustStore.load(trust).policy());
        assertTrue(r.out().contains("max sequence jump 1000, expiry required"), r.out());

        Run changed = ferry("keys", "trust", pub.toString(), "--trust-store", trust.toString(),
                "--max-sequence-jump", "50", "--no-require-expiry");
        assertEquals(0, changed.code(), changed.err());
        assertEquals(new TrustPolicy(1, 50, false), TrustStore.load(trust).policy());

        Run bad = ferry("keys", "trust", pub.toString(), "--trust-store", trust.toString(), "--max-sequence-jump", "0");
        assertEquals(ExitCodes.USAGE, bad.code(), bad.err());
        assertTrue(bad.err().contains("maxSequenceJump"), bad.err());
    }

    @Test
    void anInvalidExistingPolicyIsRefusedAndLeftAsItIs() throws Exception {
        Path pub = tmp.resolve("signer.pub.asc");
        Files.writeString(pub, KEY.armoredPublicKey());
        Path trust = tmp.resolve("trust");
        Files.createDirectories(trust);
        String policy = "{\"threshold\": 1, \"surplus\": true}";
        Files.writeString(trust.resolve(TrustStore.POLICY), policy);

        Run r = ferry("keys", "trust", pub.toString(), "--trust-store", trust.toString(), "--max-sequence-jump", "5");

        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("field 'surplus': unknown field"), r.err());
        assertEquals(policy, Files.readString(trust.resolve(TrustStore.POLICY)));
    }

    @Test
    void aMalformedChannelResetIsAUsageError() {
        Path key = tmp.resolve("signer.sec.asc");
        Run r = ferry("export", "--upstream", "http://127.0.0.1:1/", "--product", "p", "--out", tmp.resolve("b").toString(),
                "--key", key.toString(), "--channel-reset", "12-not-a-position");
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("--channel-reset: expected SEQUENCE:BUNDLE_ID"), r.err());
    }
}
