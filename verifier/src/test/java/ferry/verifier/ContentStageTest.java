package ferry.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ferry.format.BundleLayout;
import ferry.format.Entry;
import ferry.format.Manifest;
import ferry.format.Progress;
import ferry.verifier.Problem.Code;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review finding 3 on the verify path and parallel verification: a volume of the wrong size is refused unread, and
 * reports do not depend on the number of threads.
 */
class ContentStageTest {
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
}
