package ferry.verifier;

import ferry.format.BundleLayout;
import ferry.format.Limits;
import ferry.format.trust.TrustStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review finding 2: an unsigned manifest of 230,000 empty entries (59 MiB, under the 64 MiB limit) made verify and
 * import die with OutOfMemoryError at -Xmx256m. The gate now checks signatures over the bytes before it builds any
 * model, so unauthenticated input costs no more than its own bytes.
 */
class UnauthenticatedInputTest {
    @TempDir
    Path tmp;

    /** Writes a syntactically valid manifest of {@code n} entries, about 260 bytes each. */
    static Path hugeUnsignedBundle(Path dir, int n) throws IOException {
        Files.createDirectories(dir.resolve(BundleLayout.VOLUMES_DIR));
        Files.createDirectories(dir.resolve(BundleLayout.SIGNATURES_DIR));
        try (OutputStream out = Files.newOutputStream(dir.resolve(BundleLayout.MANIFEST))) {
            out.write(("{\"bundleId\":\"11111111-2222-4333-8444-555555555555\",\"channel\":\"x\",\"createdAt\":"
                    + "\"2024-05-14T10:00:00Z\",\"entries\":[").getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < n; i++) {
                out.write(((i == 0 ? "" : ",") + "{\"mediaType\":\"application/octet-stream\",\"path\":\"e/"
                        + String.format("%09d", i) + "\",\"segments\":[],\"sha1\":\"da39a3ee5e6b4b0d3255bfef95601890afd80709\","
                        + "\"sha256\":\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\",\"size\":0,"
                        + "\"source\":{\"kind\":\"wsus-content\",\"note\":\"" + "x".repeat(10) + "\"}}")
                        .getBytes(StandardCharsets.US_ASCII));
            }
            out.write(("],\"formatVersion\":1,\"producer\":{\"name\":\"m\",\"version\":\"1\"},\"selection\":{},"
                    + "\"sequence\":1,\"volumes\":[]}").getBytes(StandardCharsets.US_ASCII));
        }
        return dir;
    }

    @Test
    void anUnsignedManifestIsNeverParsed() throws Exception {
        Path dir = hugeUnsignedBundle(tmp.resolve("b"), 1000);
        // broken JSON after the signature check would be reported as MANIFEST_INVALID if it were parsed
        Files.writeString(dir.resolve("garbage.json"), "x");
        VerificationReport r = new BundleVerifier(Fixture.trust(1, Fixture.ALICE)).verify(dir, Fixture.NOW,
                ferry.format.Progress.NONE);
        assertFalse(r.ok());
        assertTrue(r.has(Problem.Code.SIGNATURE_MISSING), r.problems().toString());
        assertFalse(r.has(Problem.Code.MANIFEST_INVALID), "the manifest was not parsed: " + r.problems());
        assertEquals(null, r.summary().bundleId(), "nothing of an unauthenticated manifest is reported as fact");
    }

    /** The review's case, in a child JVM with a small heap: a clean refusal, no OutOfMemoryError. */
    @Test
    void aHugeUnsignedManifestIsRefusedInASmallHeap() throws Exception {
        Path dir = hugeUnsignedBundle(tmp.resolve("huge"), 230_000);
        long size = Files.size(dir.resolve(BundleLayout.MANIFEST));
        assertTrue(size > 55L << 20 && size < Limits.MAX_MANIFEST_BYTES, "a manifest of " + size + " bytes");
        Path trustDir = tmp.resolve("trust");
        Files.createDirectories(trustDir.resolve("keys"));
        Files.writeString(trustDir.resolve("keys/alice.asc"), Fixture.ALICE.armoredPublicKey());
        Files.writeString(trustDir.resolve(TrustStore.POLICY), "{\"threshold\": 1}");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                VerifyMain.class.getName(), dir.toString(), trustDir.toString()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("SIGNATURE_MISSING"), out);
        assertFalse(out.contains("OutOfMemoryError"), out);
    }

    /** Runs the gate in the child JVM; prints the problem codes. */
    public static final class VerifyMain {
        public static void main(String[] args) throws Exception {
            TrustStore trust = TrustStore.load(Path.of(args[1]));
            VerificationReport r = new BundleVerifier(trust).verify(Path.of(args[0]));
            for (Problem problem : r.problems()) {
                System.out.println(problem.code());
            }
        }
    }
}
