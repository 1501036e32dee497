package ferry.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import ferry.format.Entry;
import ferry.format.Manifest;
import ferry.format.ManifestCodec;
import ferry.format.Progress;
import ferry.format.Segment;
import ferry.format.pgp.DetachedSignatures;
import ferry.verifier.Problem.Code;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BundleVerifierTest {
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final Path dir = fs.getPath("/usb/bundle");
    private final BundleVerifier verifier = new BundleVerifier(Fixture.trust(1, Fixture.ALICE));

    @AfterEach
    void closeFs() throws IOException {
        fs.close();
    }

    @Test
    void goodBundleVerifiesWithSummaryTextAndJson() throws Exception {
        Manifest m = Fixture.write(dir, Fixture.ALICE);
        AtomicLong advanced = new AtomicLong();
        VerificationReport r = verifier.verify(dir, Fixture.NOW, new Progress() {
            @Override public void begin(String task, long totalBytes) { assertEquals(m.totalVolumeBytes(), totalBytes); }
            @Override public void advance(long bytes) { advanced.addAndGet(bytes); }
            @Override public void end() { }
            @Override public void info(String line) { }
        });
        assertTrue(r.ok(), r.toText());
        assertEquals(m.totalVolumeBytes(), advanced.get());
        Summary s = r.summary();
        assertEquals(m.bundleId(), s.bundleId());
        assertEquals("wsus-main", s.channel());
        assertEquals(3L, s.sequence());
        assertEquals(4, s.volumes());
        assertEquals(4, s.volumesChecked());
        assertEquals(4, s.entriesChecked());
        assertEquals(205_000, s.entryBytes());
        assertEquals(Fixture.ALICE.fingerprint(), s.signers().get(0).fingerprint());
        assertTrue(r.toText().startsWith("OK: bundle verified\n"), r.toText());
        assertTrue(r.toText().contains(Fixture.ALICE.fingerprint() + " Alice <alice@example.org>"), r.toText());
        JsonNode json = new ObjectMapper().readTree(r.toJson());
        assertTrue(json.get("ok").booleanValue());
        assertEquals("wsus-main", json.at("/summary/channel").textValue());
        assertEquals(0, json.get("problems").size());
    }

    @Test
    void flippedByteAnywhereIsCaughtAndNamed() throws Exception {
        Manifest m = Fixture.write(dir, Fixture.ALICE);
        List<Path> files;
        try (var walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        int flips = 0;
        for (Path f : files) {
            byte[] original = Files.readAllBytes(f);
            String rel = dir.relativize(f).toString();
            // every 211th byte (a prime, so positions drift through headers, data and padding) plus both ends
            for (int i = 0; i < original.length; i = nextPosition(i, original.length)) {
                byte[] damaged = original.clone();
                damaged[i] ^= 0x01;
                Files.write(f, damaged);
                VerificationReport r = verifier.verify(dir, Fixture.NOW, Progress.NONE);
                String where = rel + " byte " + i;
                assertFalse(r.ok(), "undetected flip at " + where);
                if (rel.startsWith("volumes/")) {
                    String volume = f.getFileName().toString();
                    assertTrue(r.problems().contains(new Problem(Code.VOLUME_DIGEST_MISMATCH, "volume " + volume,
                            "SHA-256 does not match the manifest (the volume is damaged)")), where + ": " + r.problems());
                    Entry hit = entryAt(m, volume, i);
                    if (hit != null) {
                        assertTrue(r.has(Code.ENTRY_DIGEST_MISMATCH) && r.problems().stream().anyMatch(
                                p -> p.location().equals("entry " + hit.path())), where + ": " + r.problems());
                    }
                } else if (rel.startsWith("signatures/")) {
                    assertTrue(r.problems().stream().anyMatch(p -> p.location().equals("signature " + rel)), where + ": " + r.problems());
                    assertTrue(r.has(Code.THRESHOLD_NOT_MET), where);
                } else {
                    assertTrue(r.has(Code.SIGNATURE_INVALID) || r.has(Code.MANIFEST_INVALID), where + ": " + r.problems());
                }
                flips++;
            }
            Files.write(f, original);
        }
        assertTrue(flips > 1000, "flips: " + flips);
        assertTrue(verifier.verify(dir, Fixture.NOW, Progress.NONE).ok());
    }

    private static int nextPosition(int i, int length) {
        if (i == length - 1) {
            return length;
        }
        return Math.min(i + 211, length - 1);
    }

    private static Entry entryAt(Manifest m, String volume, long offset) {
        for (Entry e : m.entries()) {
            for (Segment s : e.segments()) {
                if (s.volume().equals(volume) && offset >= s.offset() && offset < s.offset() + s.length()) {
                    return e;
                }
            }
        }
        return null;
    }

    @Test
    void truncatedVolumeNamesVolumeAndEntries() throws Exception {
        Manifest m = Fixture.write(dir, Fixture.ALICE);
        Path v2 = dir.resolve("volumes/volume-0002.tar");
        try (FileChannel ch = FileChannel.open(v2, StandardOpenOption.WRITE)) {
            ch.truncate(Files.size(v2) / 2);
        }
        VerificationReport r = verifier.verify(dir, Fixture.NOW, Progress.NONE);
        assertFalse(r.ok());
        assertTrue(r.problems().stream().anyMatch(p -> p.code() == Code.VOLUME_SIZE_MISMATCH
                && p.location().equals("volume volume-0002.tar") && p.message().startsWith("truncated")), r.problems().toString());
        assertTrue(r.problems().contains(new Problem(Code.ENTRY_INCOMPLETE, "entry " + m.entries().get(1).path(),
                "cannot be checked: volume-0002.tar is truncated")), r.problems().toString());
        assertEquals(3, r.summary().entriesChecked());
    }

    @Test
    void missingVolumeAndExtraFilesAreNamed() throws Exception {
        Manifest m = Fixture.write(dir, Fixture.ALICE);
        Files.delete(dir.resolve("volumes/volume-0003.tar"));
        Files.writeString(dir.resolve("README.txt"), "hello");
        Files.writeString(dir.resolve("volumes/volume-0009.tar"), "x");
        Files.writeString(dir.resolve("signatures/notes.txt"), "x");
        Files.createDirectory(dir.resolve("extra"));
        VerificationReport r = verifier.verify(dir, Fixture.NOW, Progress.NONE);
        List<String> where = r.problems().stream().map(p -> p.code() + " " + p.location()).toList();
        assertTrue(where.contains("VOLUME_MISSING volume volume-0003.tar"), where.toString());
        assertTrue(where.contains("ENTRY_INCOMPLETE entry " + m.entries().get(1).path()), where.toString());
        assertTrue(where.contains("UNEXPECTED_FILE file README.txt"), where.toString());
        assertTrue(where.contains("UNEXPECTED_FILE file volumes/volume-0009.tar"), where.toString());
        assertTrue(where.contains("UNEXPECTED_FILE file signatures/notes.txt"), where.toString());
        assertTrue(where.contains("UNEXPECTED_FILE file extra"), where.toString());
        assertFalse(r.has(Code.THRESHOLD_NOT_MET), "the signature is still good");
        assertTrue(r.toText().startsWith("FAILED: 7 problems"), r.toText()); // tail.bin spans volumes 3 and 4
    }

    @Test
    void wrongKeyIsUntrusted() throws Exception {
        Fixture.write(dir, Fixture.MALLORY);
        VerificationReport r = verifier.verify(dir, Fixture.NOW, Progress.NONE);
        String sig = "signature signatures/" + Fixture.MALLORY.fingerprint() + ".asc";
        assertTrue(r.problems().contains(new Problem(Code.SIGNATURE_UNTRUSTED, sig,
                "signed by key " + Fixture.MALLORY.fingerprint() + ", which is not in the trust store")), r.problems().toString());
        assertTrue(r.has(Code.THRESHOLD_NOT_MET));
        assertEquals(2, r.problemCount(), r.problems().toString());
    }

    @Test
    void thresholdTwoNeedsTwoSigners() throws Exception {
        BundleVerifier two = new BundleVerifier(Fixture.trust(2, Fixture.ALICE, Fixture.BOB));
        Fixture.write(dir, Fixture.ALICE);
        VerificationReport r = two.verify(dir, Fixture.NOW, Progress.NONE);
        assertEquals(List.of(new Problem(Code.THRESHOLD_NOT_MET, "signatures",
                "1 trusted signer(s) with a valid signature, 2 required (" + Fixture.ALICE.fingerprint() + ")")), r.problems());

        Path both = fs.getPath("/usb/both");
        Fixture.write(both, Fixture.ALICE, Fixture.BOB);
        VerificationReport ok = two.verify(both, Fixture.NOW, Progress.NONE);
        assertTrue(ok.ok(), ok.toText());
        assertEquals(2, ok.summary().signers().size());
    }

    @Test
    void expiryIsJudgedAgainstTheGivenClock() throws Exception {
        Fixture.write(dir, Fixture.ALICE);
        assertTrue(verifier.verify(dir, Fixture.EXPIRES.minusSeconds(1), Progress.NONE).ok());
        VerificationReport r = verifier.verify(dir, Fixture.EXPIRES, Progress.NONE);
        assertEquals(List.of(Code.BUNDLE_EXPIRED), r.problems().stream().map(Problem::code).toList());
        assertEquals("manifest field expiresAt", r.problems().get(0).location());
    }

    @Test
    void missingOrMisnamedSignature() throws Exception {
        Fixture.write(dir, Fixture.ALICE);
        Path sig = dir.resolve("signatures/" + Fixture.ALICE.fingerprint() + ".asc");
        Path renamed = dir.resolve("signatures/" + Fixture.BOB.fingerprint() + ".asc");
        Files.move(sig, renamed);
        VerificationReport r = verifier.verify(dir, Fixture.NOW, Progress.NONE);
        assertTrue(r.has(Code.SIGNATURE_NAME_MISMATCH) && r.has(Code.THRESHOLD_NOT_MET), r.problems().toString());
        Files.delete(renamed);
        r = verifier.verify(dir, Fixture.NOW, Progress.NONE);
        assertEquals(List.of(Code.SIGNATURE_MISSING), r.problems().stream().map(Problem::code).toList());
    }

    @Test
    void signedButInvalidManifestNamesTheField() throws Exception {
        Manifest m = Fixture.write(dir, Fixture.ALICE);
        String json = new String(ManifestCodec.write(m), StandardCharsets.UTF_8)
                .replace(m.entries().get(0).path(), "../../etc/passwd")
                .replace("\"size\":0,", "\"size\":-1,");
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("manifest.json"), bytes);
        Files.writeString(dir.resolve("signatures/" + Fixture.ALICE.fingerprint() + ".asc"),
                DetachedSignatures.sign(Fixture.signer(Fixture.ALICE), bytes));
        VerificationReport r = verifier.verify(dir, Fixture.NOW, Progress.NONE);
        List<String> where = r.problems().stream().map(p -> p.code() + " " + p.location()).toList();
        assertTrue(where.contains("MANIFEST_INVALID manifest field entries[0].path"), where.toString());
        assertTrue(where.contains("MANIFEST_INVALID manifest field entries[2].size"), where.toString());
        assertFalse(r.has(Code.THRESHOLD_NOT_MET));
        assertEquals(null, r.summary().bundleId());
    }

    @Test
    void singleVolumeCanBeCheckedBeforeTheOthersArrive() throws Exception {
        Manifest m = Fixture.write(dir, Fixture.ALICE);
        Path station = fs.getPath("/station/bundle");
        Files.createDirectories(station.resolve("volumes"));
        Files.copy(dir.resolve("manifest.json"), station.resolve("manifest.json"));
        Files.createDirectories(station.resolve("signatures"));
        String sig = "signatures/" + Fixture.ALICE.fingerprint() + ".asc";
        Files.copy(dir.resolve(sig), station.resolve(sig));
        Files.copy(dir.resolve("volumes/volume-0001.tar"), station.resolve("volumes/volume-0001.tar"));

        VerificationReport r = verifier.verifyVolume(station, "volume-0001.tar", Fixture.NOW, Progress.NONE);
        assertTrue(r.ok(), r.toText());
        assertEquals(1, r.summary().volumesChecked());
        long wholly = m.entries().stream().filter(e -> e.segments().stream().allMatch(s -> s.volume().equals("volume-0001.tar"))).count();
        assertEquals(wholly, r.summary().entriesChecked());

        byte[] b = Files.readAllBytes(station.resolve("volumes/volume-0001.tar"));
        b[b.length / 3] ^= 0x40;
        Files.write(station.resolve("volumes/volume-0001.tar"), b);
        r = verifier.verifyVolume(station, "volume-0001.tar", Fixture.NOW, Progress.NONE);
        assertTrue(r.has(Code.VOLUME_DIGEST_MISMATCH), r.problems().toString());
        r = verifier.verifyVolume(station, "volume-0002.tar", Fixture.NOW, Progress.NONE);
        assertEquals(List.of(new Problem(Code.VOLUME_MISSING, "volume volume-0002.tar", "asked for but absent")), r.problems());
        r = verifier.verifyVolume(station, "volume-0042.tar", Fixture.NOW, Progress.NONE);
        assertTrue(r.has(Code.VOLUME_UNKNOWN));
    }

    @Test
    void notABundle() {
        VerificationReport r = verifier.verify(fs.getPath("/nowhere"), Fixture.NOW, Progress.NONE);
        assertEquals(List.of(Code.BUNDLE_NOT_FOUND), r.problems().stream().map(Problem::code).toList());
        assertTrue(r.toText().startsWith("FAILED: 1 problem\n"));
    }
}
