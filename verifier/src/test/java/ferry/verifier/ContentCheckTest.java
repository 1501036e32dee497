package ferry.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
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
 * Review findings 3 and 11 on the verify path, and parallel verification: a volume of the wrong size is refused
 * unread; tar members unsafe to untar (links, devices, names escaping the directory, members the manifest does not
 * list) are refused; reports do not depend on the number of threads.
 */
class ContentCheckTest {
    private static final String GOOD = "wsus/content/00/good.bin";
    private static final String VOLUME = "volume volume-0001.tar";
    private static final String ONLY_REGULAR = "; a volume may hold only regular files";

    @TempDir
    Path tmp;
    private final BundleVerifier verifier = new BundleVerifier(Fixture.trust(1, Fixture.ALICE));

    @Test
    void aHugeSparseVolumeIsRefusedByItsSizeUnread() throws Exception {
        Path dir = tmp.resolve("b");
        Manifest m = Fixture.write(dir, Fixture.ALICE);
        long huge = 200L << 30;
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("volumes/volume-0002.tar").toFile(), "rw")) {
            f.setLength(huge); // sparse: reading it would take minutes
        }
        VerificationReport r = verifier.verify(dir, Fixture.NOW, Progress.NONE);

        assertTrue(r.problems().contains(new Problem(Code.VOLUME_SIZE_MISMATCH, "volume volume-0002.tar",
                "too long: " + huge + " bytes, the manifest says " + m.volumes().get(1).size())), r.toText());
        assertTrue(r.problems().contains(new Problem(Code.ENTRY_INCOMPLETE, "entry " + m.entries().get(1).path(),
                "cannot be checked: volume-0002.tar is too long")), r.toText());
        assertEquals(2, r.problemCount(), r.toText());
        long others = m.totalVolumeBytes() - m.volumes().get(1).size();
        long spanningElsewhere = m.entries().stream().filter(e -> e.segments().size() > 1)
                .filter(e -> e.segments().stream().noneMatch(s -> s.volume().equals("volume-0002.tar")))
                .mapToLong(Entry::size).sum();
        assertEquals(others + spanningElsewhere, r.summary().bytesRead(),
                "every other volume read once (and entries spanning them again), the sparse one not at all");
        assertEquals(3, r.summary().volumesChecked());
    }

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
    void problemsComeOutInTheSameOrderWithOneThreadOrMany() throws Exception {
        Path dir = tmp.resolve("damaged");
        Manifest m = Fixture.write(dir, Fixture.ALICE);
        for (int v = 1; v <= 4; v++) {
            Path f = dir.resolve("volumes/" + BundleLayout.volumeName(v));
            byte[] b = Files.readAllBytes(f);
            b[b.length / 3] ^= 0x55; // inside entry data or padding of every volume
            Files.write(f, b);
        }
        VerificationReport one = withThreads("1", () -> verifier.verify(dir, Fixture.NOW, Progress.NONE));
        VerificationReport many = withThreads("4", () -> verifier.verify(dir, Fixture.NOW, Progress.NONE));
        assertFalse(one.ok());
        assertEquals(one.problems(), many.problems());
        assertEquals(one.summary(), many.summary());
        List<String> volumes = one.problems().stream().filter(p -> p.code() == Code.VOLUME_DIGEST_MISMATCH)
                .map(Problem::location).toList();
        assertEquals(List.of("volume volume-0001.tar", "volume volume-0002.tar", "volume volume-0003.tar",
                "volume volume-0004.tar"), volumes);
        assertTrue(one.problems().stream().anyMatch(p -> p.code() == Code.ENTRY_DIGEST_MISMATCH
                && p.location().equals("entry " + m.entries().get(1).path())), one.toText());
        // each volume once, plus the spanning entries' bytes a second time
        assertEquals(m.totalVolumeBytes() + m.entries().stream().filter(e -> e.segments().size() > 1)
                .mapToLong(Entry::size).sum(), one.summary().bytesRead());
    }

    private interface Run {
        VerificationReport call() throws Exception;
    }

    private static VerificationReport withThreads(String n, Run run) throws Exception {
        String before = System.getProperty(ContentStage.THREADS_PROPERTY);
        System.setProperty(ContentStage.THREADS_PROPERTY, n);
        try {
            return run.call();
        } finally {
            if (before == null) {
                System.clearProperty(ContentStage.THREADS_PROPERTY);
            } else {
                System.setProperty(ContentStage.THREADS_PROPERTY, before);
            }
        }
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
