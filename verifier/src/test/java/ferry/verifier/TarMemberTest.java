package ferry.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ferry.format.BundleLayout;
import ferry.format.BundleWriter;
import ferry.format.Entry;
import ferry.format.Limits;
import ferry.format.Manifest;
import ferry.format.ManifestCodec;
import ferry.format.Progress;
import ferry.format.Segment;
import ferry.format.Volume;
import ferry.format.pgp.DetachedSignatures;
import ferry.verifier.Problem.Code;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review finding 11: tar members unsafe to untar (links, devices, names escaping the directory, members the manifest
 * does not list) are refused by verification, each with one problem naming the member and why; ferry's own volumes
 * (pax headers for long names, split members) have none.
 */
class TarMemberTest {
    private static final String GOOD = "wsus/content/00/good.bin";
    private static final String VOLUME = "volume volume-0001.tar";
    private static final String ONLY_REGULAR = "; a volume may hold only regular files";

    @TempDir
    Path tmp;
    private final BundleVerifier verifier = new BundleVerifier(Fixture.trust(1, Fixture.ALICE));

    @Test
    void aSymbolicLinkIsRefused() throws Exception {
        TarArchiveEntry e = new TarArchiveEntry("wsus/content/00/link", TarConstants.LF_SYMLINK);
        e.setLinkName("/etc/passwd");
        assertOnly(craft(e, null), "member \"wsus/content/00/link\" is a symbolic link to \"/etc/passwd\"" + ONLY_REGULAR);
    }

    @Test
    void aHardLinkIsRefused() throws Exception {
        TarArchiveEntry e = new TarArchiveEntry("wsus/content/00/hard", TarConstants.LF_LINK);
        e.setLinkName(GOOD);
        assertOnly(craft(e, null), "member \"wsus/content/00/hard\" is a hard link to \"" + GOOD + "\"" + ONLY_REGULAR);
    }

    @Test
    void aCharacterDeviceIsRefused() throws Exception {
        TarArchiveEntry e = new TarArchiveEntry("dev/null", TarConstants.LF_CHR);
        e.setDevMajor(1);
        e.setDevMinor(3);
        assertOnly(craft(e, null), "member \"dev/null\" is a character device" + ONLY_REGULAR);
    }

    @Test
    void aDotDotNameIsRefused() throws Exception {
        assertOnly(craft(new TarArchiveEntry("../x"), "abc"), "member \"../x\" has a \"..\" segment in its name");
    }

    @Test
    void anAbsoluteNameIsRefused() throws Exception {
        assertOnly(craft(new TarArchiveEntry("/etc/cron.d/x", true), "abc"),
                "member \"/etc/cron.d/x\" has an absolute name");
    }

    @Test
    void aBackslashInANameIsRefused() throws Exception {
        assertOnly(craft(new TarArchiveEntry("..\\x"), "abc"), "member \"..\\\\x\" has a backslash in its name");
    }

    @Test
    void aMemberTheManifestDoesNotListIsRefused() throws Exception {
        // good.bin's header at 0, its 1000 bytes at 512 padded to 1536, this member's header at 1536, data at 2048
        assertOnly(craft(new TarArchiveEntry("wsus/content/00/extra.bin"), "abc"),
                "member \"wsus/content/00/extra.bin\" (3 bytes of data at byte 2048) is not listed in the manifest");
    }

    @Test
    void aSignedVolumeThatIsNotWellFormedTarIsRefused() throws Exception {
        // a non-octal digit in the first header's size field: tar cannot tell where anything is
        VerificationReport r = verifier.verify(craft(null, null, b -> b[124] = 'x'), Fixture.NOW, Progress.NONE);
        assertEquals(1, r.problemCount(), r.toText());
        Problem p = r.problems().get(0);
        assertEquals(Code.TAR_MEMBER_UNSAFE, p.code());
        assertEquals(VOLUME, p.location());
        assertTrue(p.message().startsWith("not a well-formed tar archive after byte 512 ("), p.message());
        assertTrue(p.message().endsWith("); its members cannot be checked"), p.message());
        assertEquals(1, r.summary().entriesChecked(), "content is still checked by offset");
    }

    @Test
    void aCraftedVolumeOfListedRegularFilesIsAccepted() throws Exception {
        VerificationReport r = verifier.verify(craft(null, null), Fixture.NOW, Progress.NONE);
        assertTrue(r.ok(), r.toText());
        assertEquals(1, r.summary().entriesChecked());
    }

    @Test
    void aNormalBundleWithLongNamesAndSpanningEntriesHasNoTarProblem() throws Exception {
        Path dir = tmp.resolve("long");
        String longPath = "wsus/content/AB/" + "x".repeat(140) + ".cab"; // over 100 bytes: a pax header carries it
        Manifest m;
        try (BundleWriter w = BundleWriter.create(dir, Limits.MIN_VOLUME_SIZE)) {
            w.add(longPath, "application/octet-stream", Map.of(), new ByteArrayInputStream(Fixture.bytes(150_000, 5)),
                    150_000);
            w.add("wsus/content/00/empty.txt", "text/plain", Map.of(), new ByteArrayInputStream(new byte[0]), 0);
            w.add("wsus/content/CD/" + "y".repeat(120) + ".bin", "application/octet-stream", Map.of(),
                    new ByteArrayInputStream(Fixture.bytes(70_000, 6)), 70_000);
            m = w.finish(Fixture.header(), List.of(Fixture.signer(Fixture.ALICE)));
        }
        assertTrue(m.entries().get(0).segments().size() > 1, "the long entry spans volumes");
        VerificationReport r = verifier.verify(dir, Fixture.NOW, Progress.NONE);
        assertTrue(r.ok(), r.toText());
        assertEquals(3, r.summary().entriesChecked());
    }

    @Test
    void theImportsSingleReadRefusesTheSameMembersAsVerify() throws Exception {
        TarArchiveEntry link = new TarArchiveEntry("wsus/content/00/link", TarConstants.LF_SYMLINK);
        link.setLinkName("/etc/passwd");
        Path bundle = craft(link, null);
        VerificationReport verified = verifier.verify(bundle, Fixture.NOW, Progress.NONE);
        BundleVerifier.Admission a = verifier.admit(bundle, Fixture.NOW);
        assertTrue(a.ok(), a.report().toText());
        List<String> ends = new java.util.ArrayList<>();
        ByteArrayOutputStream copied = new ByteArrayOutputStream();
        VerificationReport imported = verifier.verifyAndCopy(a, Fixture.NOW, Progress.NONE, entry -> new EntrySink.EntryCopy() {
            @Override public void write(byte[] buf, int off, int len) { copied.write(buf, off, len); }
            @Override public void end(boolean matched) { ends.add(entry.path() + " " + matched); }
        });
        assertEquals(verified.problems(), imported.problems(), imported.toText());
        assertEquals(Code.TAR_MEMBER_UNSAFE, imported.problems().get(0).code());
        assertTrue(!imported.ok());
        assertEquals(List.of(GOOD + " true"), ends, "the entry itself matched; the bundle as a whole did not");
        assertEquals(1000, copied.size());
    }

    @Test
    void aSinkFailureDuringTheTarWalkIsTheSinksNotABadArchive() throws Exception {
        Path bundle = craft(null, null);
        BundleVerifier.Admission a = verifier.admit(bundle, Fixture.NOW);
        IOException e = assertThrows(IOException.class, () -> verifier.verifyAndCopy(a, Fixture.NOW, Progress.NONE,
                entry -> new EntrySink.EntryCopy() {
                    @Override public void write(byte[] buf, int off, int len) throws IOException {
                        throw new IOException("No space left on device");
                    }
                    @Override public void end(boolean matched) { }
                }));
        assertEquals("No space left on device", e.getMessage());
    }

    private void assertOnly(Path bundle, String message) {
        VerificationReport r = verifier.verify(bundle, Fixture.NOW, Progress.NONE);
        assertEquals(List.of(new Problem(Code.TAR_MEMBER_UNSAFE, VOLUME, message)), r.problems(), r.toText());
    }

    /**
     * A signed one-volume bundle: {@value #GOOD} (1000 bytes, listed in the manifest), then {@code extra} (not
     * listed) holding {@code data} if given.
     */
    private Path craft(TarArchiveEntry extra, String data) throws Exception {
        return craft(extra, data, b -> { });
    }

    /** Like {@link #craft(TarArchiveEntry, String)}, with the volume's bytes changed by {@code damage} before signing. */
    private Path craft(TarArchiveEntry extra, String data, java.util.function.Consumer<byte[]> damage) throws Exception {
        Path dir = tmp.resolve("crafted");
        Path volumes = Files.createDirectories(dir.resolve(BundleLayout.VOLUMES_DIR));
        Files.createDirectories(dir.resolve(BundleLayout.SIGNATURES_DIR));
        Path volume = volumes.resolve(BundleLayout.volumeName(1));
        byte[] good = Fixture.bytes(1000, 9);
        try (OutputStream out = Files.newOutputStream(volume);
             TarArchiveOutputStream t = new TarArchiveOutputStream(out, 512)) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            TarArchiveEntry e = new TarArchiveEntry(GOOD);
            e.setSize(good.length);
            add(t, e, good);
            if (extra != null) {
                byte[] bytes = data == null ? new byte[0] : data.getBytes(StandardCharsets.UTF_8);
                extra.setSize(bytes.length);
                add(t, extra, bytes);
            }
            t.finish();
        }
        byte[] volumeBytes = Files.readAllBytes(volume);
        damage.accept(volumeBytes);
        Files.write(volume, volumeBytes);
        Entry entry = new Entry(GOOD, good.length, hex("SHA-256", good), hex("SHA-1", good), "application/octet-stream",
                List.of(new Segment(BundleLayout.volumeName(1), 512, good.length)), Map.of());
        Manifest m = Manifest.of(Fixture.header(), List.of(new Volume(BundleLayout.volumeName(1), volumeBytes.length,
                hex("SHA-256", volumeBytes))), List.of(entry));
        byte[] manifest = ManifestCodec.write(m);
        Files.write(dir.resolve(BundleLayout.MANIFEST), manifest);
        Files.writeString(dir.resolve(BundleLayout.SIGNATURES_DIR).resolve(BundleLayout.signatureFileName(
                Fixture.ALICE.fingerprint())), DetachedSignatures.sign(Fixture.signer(Fixture.ALICE), manifest));
        return dir;
    }

    private static void add(TarArchiveOutputStream t, TarArchiveEntry e, byte[] data) throws IOException {
        t.putArchiveEntry(e);
        t.write(data);
        t.closeArchiveEntry();
    }

    private static String hex(String algorithm, byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(b));
    }
}
