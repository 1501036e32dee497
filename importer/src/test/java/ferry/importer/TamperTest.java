package ferry.importer;

import ferry.format.Progress;
import ferry.format.trust.TrustStore;
import ferry.verifier.Problem;
import ferry.verifier.VerificationReport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static ferry.importer.TestBundles.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bundle altered on the way, signed by the wrong key, expired, or inconsistent inside: refused with exit code 1,
 * naming what is wrong, and the store (which already holds an earlier import) is exactly as it was.
 */
class TamperTest {
    @TempDir
    Path tmp;
    Path storeDir;
    TrustStore trust;
    Path bundle;
    String signature;

    @BeforeEach
    void setUp() throws Exception {
        storeDir = tmp.resolve("store");
        trust = TestBundles.trust(tmp.resolve("trust"), 1, ALICE);
        Importer.importBundle(bundle().update(securityUpdate()).write(tmp.resolve("b0")), storeDir, trust, NOW,
                Progress.NONE);
        bundle = bundle().sequence(2).real(KB2267602).update(defenderUpdate(200)).write(tmp.resolve("b1"));
        signature = "signatures/" + ALICE.fingerprint() + ".asc";
    }

    private BundleInvalidException invalid(Path dir, TrustStore t, Progress progress) {
        StoreSnapshot before = StoreSnapshot.of(storeDir);
        BundleInvalidException e = assertThrows(BundleInvalidException.class,
                () -> Importer.importBundle(dir, storeDir, t, NOW, progress));
        assertEquals(before, StoreSnapshot.of(storeDir), "store unchanged");
        return e;
    }

    /** Found only while copying: the catalog is unchanged; metadata copied before the bad entry is unreferenced. */
    private BundleInvalidException invalidWhileCopying(Path dir, Progress progress) {
        StoreSnapshot before = StoreSnapshot.of(storeDir);
        BundleInvalidException e = assertThrows(BundleInvalidException.class,
                () -> Importer.importBundle(dir, storeDir, trust, NOW, progress));
        assertEquals(before.catalog(), StoreSnapshot.of(storeDir).catalog(), "catalog unchanged");
        return e;
    }

    private BundleInvalidException invalid(Path dir) {
        return invalid(dir, trust, Progress.NONE);
    }

    private static boolean has(VerificationReport r, Problem.Code code, String location) {
        return r.problems().stream().anyMatch(p -> p.code() == code && p.location().equals(location));
    }

    static void flip(Path file, long offset) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x01);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aFlippedVolumeByteNamesTheVolumeAndTheEntry() {
        flip(bundle.resolve("volumes/volume-0002.tar"), 5000);
        BundleInvalidException e = invalid(bundle);
        VerificationReport r = e.report().orElseThrow();
        assertTrue(has(r, Problem.Code.VOLUME_DIGEST_MISMATCH, "volume volume-0002.tar"), r.toText());
        Synthetic d = defenderUpdate(200);
        String entry = "entry wsus/content/" + d.sha1Hex().substring(38) + "/" + d.sha1Hex() + ".cab";
        assertTrue(has(r, Problem.Code.ENTRY_DIGEST_MISMATCH, entry), r.toText());
        assertTrue(e.getMessage().contains("volume-0002.tar"), e.getMessage());
    }

    @Test
    void aFlippedManifestByteBreaksTheSignature() throws Exception {
        Path manifest = bundle.resolve("manifest.json");
        String text = Files.readString(manifest, StandardCharsets.UTF_8);
        flip(manifest, text.indexOf("wsus-main") + 3);
        VerificationReport r = invalid(bundle).report().orElseThrow();
        assertTrue(has(r, Problem.Code.SIGNATURE_INVALID, "signature " + signature), r.toText());
        assertTrue(r.has(Problem.Code.THRESHOLD_NOT_MET), r.toText());
    }

    @Test
    void aFlippedSignatureByteNamesTheSignature() throws Exception {
        Path sig = bundle.resolve(signature);
        String text = Files.readString(sig, StandardCharsets.US_ASCII);
        flip(sig, text.indexOf("\n\n") + 20);
        VerificationReport r = invalid(bundle).report().orElseThrow();
        assertTrue(r.problems().stream().anyMatch(p -> p.location().equals("signature " + signature)
                && (p.code() == Problem.Code.SIGNATURE_INVALID || p.code() == Problem.Code.SIGNATURE_MALFORMED)),
                r.toText());
        assertTrue(r.has(Problem.Code.THRESHOLD_NOT_MET), r.toText());
    }

    @Test
    void aBundleSignedByAnUntrustedKeyIsRefused() {
        Path forged = bundle().sequence(3).signers(MALLORY).update(defenderUpdate(201)).write(tmp.resolve("forged"));
        VerificationReport r = invalid(forged).report().orElseThrow();
        assertTrue(has(r, Problem.Code.SIGNATURE_UNTRUSTED, "signature signatures/" + MALLORY.fingerprint() + ".asc"),
                r.toText());
        assertTrue(r.has(Problem.Code.THRESHOLD_NOT_MET), r.toText());
    }

    @Test
    void aTrustStoreWithAnotherKeyRefusesTheBundle() {
        TrustStore other = TestBundles.trust(tmp.resolve("trust-mallory"), 1, MALLORY);
        VerificationReport r = invalid(bundle, other, Progress.NONE).report().orElseThrow();
        assertTrue(r.has(Problem.Code.SIGNATURE_UNTRUSTED), r.toText());
    }

    @Test
    void anExpiredBundleIsRefused() {
        Path expired = bundle().sequence(3).expiresAt(CREATED.plus(Duration.ofHours(1))).update(defenderUpdate(201))
                .write(tmp.resolve("expired"));
        assertTrue(invalid(expired).report().orElseThrow().has(Problem.Code.BUNDLE_EXPIRED));
    }

    @Test
    void contentWhoseSha1DiffersFromTheUpstreamDigestIsRefusedBeforeCopying() {
        Synthetic d = defenderUpdate(201);
        Path wrong = bundle().sequence(3).metadata(d.xml()).file(d, bytes(1000, 9)).write(tmp.resolve("wrong"));
        BundleInvalidException e = invalid(wrong);
        assertTrue(e.report().isEmpty());
        assertTrue(e.getMessage().contains("but the upstream digest is " + d.sha1Hex()), e.getMessage());
    }

    @Test
    void anEntryOfUnknownKindIsRefused() {
        Path odd = bundle().sequence(3).update(defenderUpdate(201))
                .raw("apt/pool/x.deb", "application/vnd.debian.binary-package", Map.of("kind", "apt-package"),
                        bytes(10, 1))
                .write(tmp.resolve("odd"));
        BundleInvalidException e = invalid(odd);
        assertTrue(e.getMessage().contains("entry apt/pool/x.deb") && e.getMessage().contains("apt-package"),
                e.getMessage());
    }

    @Test
    void aVolumeChangedAfterAdmissionCannotInjectContent() {
        Path volume = bundle.resolve("volumes/volume-0002.tar");
        Progress swapAfterAdmission = new TaskHook("verify and copy", () -> flip(volume, 5000));
        StoreSnapshot before = StoreSnapshot.of(storeDir);
        BundleInvalidException e = assertThrows(BundleInvalidException.class,
                () -> Importer.importBundle(bundle, storeDir, trust, NOW, swapAfterAdmission));
        assertTrue(e.report().isPresent(), "the single read found it");
        assertTrue(has(e.report().get(), Problem.Code.VOLUME_DIGEST_MISMATCH, "volume volume-0002.tar"),
                e.report().get().problems().toString());
        String genuine = TestBundles.sha256Hex(defenderUpdate(200).content());
        assertTrue(StoreSnapshot.objects(storeDir).stream().noneMatch(o -> o.endsWith(genuine)),
                "the altered file did not reach the store");
        assertEquals(before, StoreSnapshot.of(storeDir), "catalog and objects as they were: what was copied was given back");
    }

    @Test
    void aManifestChangedAfterAdmissionIsNeverReadAgain() throws Exception {
        Path manifest = bundle.resolve("manifest.json");
        byte[] admitted = Files.readAllBytes(manifest);
        Progress swapAfterAdmission = new TaskHook("verify and copy", () -> {
            try {
                String text = Files.readString(manifest, StandardCharsets.UTF_8);
                flip(manifest, text.indexOf("wsus-main") + 3);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        });
        ImportResult r = Importer.importBundle(bundle, storeDir, trust, NOW, swapAfterAdmission);
        assertFalse(r.alreadyImported());
        assertEquals("wsus-main", r.channel(), "the manifest used is the one read, checked and parsed once");
        assertEquals(TestBundles.sha256Hex(admitted), r.manifestSha256());
    }

    /** Runs {@code action} when a task whose name starts with {@code prefix} begins. */
    record TaskHook(String prefix, Runnable action) implements Progress {
        @Override
        public void begin(String task, long totalBytes) {
            if (task.startsWith(prefix)) {
                action.run();
            }
        }

        @Override
        public void advance(long bytes) {
        }

        @Override
        public void end() {
        }

        @Override
        public void info(String line) {
        }
    }
}
