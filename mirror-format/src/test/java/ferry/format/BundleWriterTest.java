package ferry.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BundleWriterTest {
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final Path root = fs.getPath("/media/usb");

    @AfterEach
    void closeFs() throws IOException {
        fs.close();
    }

    @Test
    void writesVolumesWithinSizeAndEntriesReadBack() throws IOException {
        Path dir = root.resolve("bundle");
        Manifest m = TestData.smallBundle(dir);
        assertEquals(List.of("bundle"), names(root), "only the bundle is left, no staging directory");
        assertTrue(m.volumes().size() >= 3, "150 KB must span 64 KiB volumes");
        for (Volume v : m.volumes()) {
            Path f = dir.resolve("volumes").resolve(v.name());
            assertEquals(v.size(), Files.size(f));
            assertTrue(v.size() <= Limits.MIN_VOLUME_SIZE, v.name() + " is " + v.size());
        }
        BundleReader r = BundleReader.open(dir);
        assertEquals(m, r.manifest());
        assertArrayEquals(ManifestCodec.write(m), Files.readAllBytes(dir.resolve("manifest.json")));
        long[] seeds = {1, 2, 0, 3};
        int[] sizes = {3000, 150_000, 0, 700};
        for (int i = 0; i < 4; i++) {
            try (InputStream in = r.openEntry(m.entries().get(i))) {
                assertArrayEquals(TestData.bytes(sizes[i], seeds[i]), in.readAllBytes(), m.entries().get(i).path());
            }
        }
        Entry big = m.entries().get(1);
        assertTrue(big.segments().size() >= 3);
        assertTrue(Files.exists(dir.resolve("signatures").resolve(TestData.KEY.fingerprint() + ".asc")));
    }

    @Test
    void segmentOffsetsPointAtMemberDataAndSpannedPartsAreNamed() throws IOException {
        Path dir = root.resolve("bundle");
        Manifest m = TestData.smallBundle(dir);
        Entry big = m.entries().get(1);
        byte[] data = TestData.bytes(150_000, 2);
        long pos = 0;
        int part = 1;
        for (Segment s : big.segments()) {
            byte[] got = new byte[(int) s.length()];
            try (SeekableByteChannel ch = Files.newByteChannel(dir.resolve("volumes").resolve(s.volume()))) {
                ch.position(s.offset());
                ch.read(ByteBuffer.wrap(got));
            }
            assertArrayEquals(java.util.Arrays.copyOfRange(data, (int) pos, (int) (pos + s.length())), got);
            pos += s.length();
            List<String> members = members(dir.resolve("volumes").resolve(s.volume()));
            assertTrue(members.contains(big.path() + String.format(".part%04d", part++)), members.toString());
        }
        List<String> first = members(dir.resolve("volumes/volume-0001.tar"));
        assertEquals("wsus/metadata/aaaa/1.xml", first.get(0));
    }

    @Test
    void closeWithoutFinishLeavesNothing() throws IOException {
        try (BundleWriter w = BundleWriter.create(root.resolve("bundle"), Limits.MIN_VOLUME_SIZE)) {
            w.add("a.bin", "application/octet-stream", Map.of(), TestData.in(TestData.bytes(100_000, 5)), 100_000);
        }
        assertEquals(List.of(), names(root));
    }

    @Test
    void stagesUnderARecognisableNameAndReportsEachStepInOrder() throws IOException {
        Path bundle = root.resolve("bundle");
        List<String> steps = new ArrayList<>();
        Path staging = BundleWriter.stagingDir(bundle, "0f0e0d0c-run-1");
        assertEquals(root.resolve(".bundle" + BundleWriter.STAGING_INFIX + "0f0e0d0c-run-1"), staging);
        assertTrue(BundleWriter.isStagingName(staging.getFileName().toString()));
        assertFalse(BundleWriter.isStagingName("bundle"));
        assertFalse(BundleWriter.isStagingName(".bundle.staging-abc"));
        try (BundleWriter w = BundleWriter.create(bundle, Limits.MIN_VOLUME_SIZE, Progress.NONE, "0f0e0d0c-run-1",
                steps::add)) {
            assertEquals(staging, w.stagingDir());
            w.add("a.bin", "application/octet-stream", Map.of(), TestData.in(TestData.bytes(100_000, 5)), 100_000);
            w.add("b.bin", "application/octet-stream", Map.of(), TestData.in(TestData.bytes(10, 6)), 10);
            assertEquals(List.of("." + "bundle" + BundleWriter.STAGING_INFIX + "0f0e0d0c-run-1"), names(root));
            w.finish(TestData.header(), List.of(TestData.signer()));
        }
        assertEquals(List.of("entry", "entry", "volumes", "manifest", "signature", "rename", "placed"), steps);
        assertEquals(List.of("bundle"), names(root));
    }

    @Test
    void aStagingTokenIsNeverReusedAndMustBeSafe() throws IOException {
        Path bundle = root.resolve("bundle");
        Files.createDirectories(BundleWriter.stagingDir(bundle, "t1"));
        assertThrows(FileAlreadyExistsException.class,
                () -> BundleWriter.create(bundle, Limits.MIN_VOLUME_SIZE, Progress.NONE, "t1", BundleWriter.StepListener.NONE));
        for (String bad : new String[]{"", "../x", "a/b", "a.b", "x".repeat(65)}) {
            assertThrows(IllegalArgumentException.class, () -> BundleWriter.stagingDir(bundle, bad), bad);
        }
    }

    @Test
    void discardStagingRemovesWhatAKilledWriterLeftAndNothingElse() throws IOException {
        Path bundle = root.resolve("bundle");
        // a writer that is never finished or closed, as when its process is killed
        BundleWriter killed = BundleWriter.create(bundle, Limits.MIN_VOLUME_SIZE, Progress.NONE, "k1",
                BundleWriter.StepListener.NONE);
        killed.add("a.bin", "application/octet-stream", Map.of(), TestData.in(TestData.bytes(100_000, 5)), 100_000);
        Path staging = killed.stagingDir();
        assertTrue(Files.isDirectory(staging));
        assertTrue(BundleWriter.discardStaging(staging));
        assertFalse(Files.exists(staging));
        assertFalse(BundleWriter.discardStaging(staging), "already gone");

        // anything not named like a staging directory, or named so but not a directory, is left alone
        Path other = root.resolve("bundle-of-someone-else");
        Files.createDirectories(other.resolve("volumes"));
        Files.writeString(other.resolve("volumes/keep.tar"), "keep");
        assertThrows(IOException.class, () -> BundleWriter.discardStaging(other));
        assertTrue(Files.exists(other.resolve("volumes/keep.tar")));
        Path file = BundleWriter.stagingDir(root.resolve("x"), "f1");
        Files.writeString(file, "a file");
        assertThrows(IOException.class, () -> BundleWriter.discardStaging(file));
        assertTrue(Files.exists(file));
        Path link = BundleWriter.stagingDir(root.resolve("y"), "l1");
        Files.createSymbolicLink(link, other);
        assertThrows(IOException.class, () -> BundleWriter.discardStaging(link));
        assertTrue(Files.exists(other.resolve("volumes/keep.tar")), "a link is never followed");
    }

    @Test
    void shortOrLongStreamFailsAndLeavesNothing() throws IOException {
        try (BundleWriter w = BundleWriter.create(root.resolve("bundle"), Limits.MIN_VOLUME_SIZE)) {
            assertThrows(IOException.class, () -> w.add("a.bin", "application/octet-stream", Map.of(),
                    TestData.in(new byte[10]), 11));
            assertThrows(IllegalStateException.class, () -> w.add("b.bin", "application/octet-stream", Map.of(),
                    TestData.in(new byte[1]), 1));
        }
        try (BundleWriter w = BundleWriter.create(root.resolve("bundle"), Limits.MIN_VOLUME_SIZE)) {
            assertThrows(IOException.class, () -> w.add("a.bin", "application/octet-stream", Map.of(),
                    TestData.in(new byte[12]), 11));
        }
        assertEquals(List.of(), names(root));
    }

    @Test
    void refusesBadInput() throws IOException {
        Files.createDirectories(root.resolve("exists"));
        assertThrows(FileAlreadyExistsException.class, () -> BundleWriter.create(root.resolve("exists"), 1 << 20));
        assertThrows(IllegalArgumentException.class, () -> BundleWriter.create(root.resolve("b"), Limits.MIN_VOLUME_SIZE - 1));
        try (BundleWriter w = BundleWriter.create(root.resolve("bundle"), 1 << 20)) {
            for (String bad : List.of("../x", "/abs", "a\\b", "a//b", "a/./b", "a/", "", "c:x", "a\u0001b")) {
                assertThrows(IllegalArgumentException.class,
                        () -> w.add(bad, "text/plain", Map.of(), TestData.in(new byte[0]), 0), bad);
            }
            assertThrows(IllegalArgumentException.class,
                    () -> w.add("ok", "Text/Plain", Map.of(), TestData.in(new byte[0]), 0));
            assertThrows(IllegalArgumentException.class,
                    () -> w.add("ok", "text/plain", Map.of("bad key", "v"), TestData.in(new byte[0]), 0));
            w.add("dir/file", "text/plain", Map.of(), TestData.in(new byte[0]), 0);
            assertThrows(IllegalArgumentException.class,
                    () -> w.add("dir/file", "text/plain", Map.of(), TestData.in(new byte[0]), 0));
            assertThrows(IllegalArgumentException.class,
                    () -> w.add("dir", "text/plain", Map.of(), TestData.in(new byte[0]), 0));
            assertThrows(IllegalArgumentException.class,
                    () -> w.add("dir/file/x", "text/plain", Map.of(), TestData.in(new byte[0]), 0));
            assertThrows(IllegalArgumentException.class, () -> w.finish(TestData.header(), List.of()));
        }
        assertFalse(Files.exists(root.resolve("bundle")));
    }

    @Test
    void longAndNonAsciiPathsUsePaxAndStillFit() throws IOException {
        String longPath = "d/" + "x".repeat(200) + "/" + "ü".repeat(100) + ".bin";
        Path dir = root.resolve("bundle");
        try (BundleWriter w = BundleWriter.create(dir, Limits.MIN_VOLUME_SIZE)) {
            w.add(longPath, "application/octet-stream", Map.of(), TestData.in(TestData.bytes(200_000, 9)), 200_000);
            w.finish(TestData.header(), List.of(TestData.signer()));
        }
        BundleReader r = BundleReader.open(dir);
        for (Volume v : r.manifest().volumes()) {
            assertTrue(v.size() <= Limits.MIN_VOLUME_SIZE);
            assertTrue(members(r.volumeFile(v)).get(0).startsWith(longPath + ".part"));
        }
        try (InputStream in = r.openEntry(r.manifest().entries().get(0))) {
            assertArrayEquals(TestData.bytes(200_000, 9), in.readAllBytes());
        }
    }

    @Test
    void damagedVolumeMakesEntryStreamFail() throws IOException {
        Path dir = root.resolve("bundle");
        Manifest m = TestData.smallBundle(dir);
        Segment s = m.entries().get(0).segments().get(0);
        Path vol = dir.resolve("volumes").resolve(s.volume());
        byte[] b = Files.readAllBytes(vol);
        b[(int) s.offset() + 10] ^= 1;
        Files.write(vol, b);
        BundleReader r = BundleReader.open(dir);
        try (InputStream in = r.openEntry(m.entries().get(0))) {
            assertThrows(EntryDigestException.class, () -> in.transferTo(new ByteArrayOutputStream()));
        }
        Files.delete(dir.resolve("volumes/volume-0002.tar"));
        try (InputStream in = r.openEntry(m.entries().get(1))) {
            EntryDigestException e = assertThrows(EntryDigestException.class, () -> in.transferTo(new ByteArrayOutputStream()));
            assertTrue(e.getMessage().contains("volume-0002.tar is missing"), e.getMessage());
        }
    }

    static List<String> names(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static List<String> members(Path tar) throws IOException {
        List<String> out = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                out.add(e.getName());
            }
        }
        return out;
    }
}
