package ferry.format;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Fuzzes the volume reader: a real one-volume bundle whose volume file is replaced by arbitrary bytes, then every
 * entry read through {@link BundleReader#openEntry}. The only outcomes allowed: the entry's exact content (when
 * the bytes at its segments are intact) or {@link EntryDigestException}; a reader that returns other bytes, or
 * throws anything else, is a finding. Seeds: {@code VolumeFuzzTestInputs/volume/} holds the real volume of
 * {@link #writeBundle} and variants of it.
 */
class VolumeFuzzTest {
    static final byte[] METADATA = TestData.bytes(700, 11);
    static final byte[] CONTENT = TestData.bytes(3000, 12);

    private static Path dir;
    private static BundleReader reader;
    private static Path volume;

    /** A bundle of one volume holding a small metadata document, a content file and an empty file. */
    static Manifest writeBundle(Path bundle) throws IOException {
        try (BundleWriter w = BundleWriter.create(bundle, Limits.MIN_VOLUME_SIZE)) {
            w.add("wsus/metadata/aaaa/1.xml", "application/xml", Map.of("kind", "wsus-metadata"),
                    TestData.in(METADATA), METADATA.length);
            w.add("wsus/content/AB/0123456789ABCDEF0123456789ABCDEF012345AB.cab", "application/vnd.ms-cab-compressed",
                    Map.of("kind", "wsus-content"), TestData.in(CONTENT), CONTENT.length);
            w.add("empty.txt", "text/plain", Map.of(), TestData.in(new byte[0]), 0);
            return w.finish(TestData.header(), List.of(TestData.signer()));
        }
    }

    @BeforeAll
    static void bundle() throws IOException {
        dir = Files.createTempDirectory("volume-fuzz");
        Manifest m = writeBundle(dir.resolve("bundle"));
        reader = BundleReader.open(dir.resolve("bundle"));
        volume = reader.volumeFile(m.volumes().get(0));
    }

    @AfterAll
    static void cleanUp() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    @FuzzTest(maxDuration = "20s")
    void volume(byte[] bytes) throws IOException {
        Files.write(volume, bytes);
        List<byte[]> expected = List.of(METADATA, CONTENT, new byte[0]);
        for (int i = 0; i < expected.size(); i++) {
            Entry e = reader.manifest().entries().get(i);
            try (InputStream in = reader.openEntry(e)) {
                assertArrayEquals(expected.get(i), in.readAllBytes(), "content returned for " + e.path());
            } catch (EntryDigestException refused) {
                // the documented outcome for a volume that does not hold the entry's content
            }
        }
    }
}
