package ferry.exporter;

import ferry.format.CrashPoints;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/**
 * A run's scratch directory under the state directory ({@code work-<random>}), holding the documents a source
 * type received (as UTF-8) until the bundle is written. Deleted at the end of the run; leftovers of a crashed run are
 * deleted by the next one (which holds the lock, so no other run can be using them).
 */
public final class Spool implements AutoCloseable {

    static final String PREFIX = "work-";

    private final Path dir;

    private Spool(Path dir) {
        this.dir = dir;
    }

    static Spool create(Path stateDir) throws ExportConfigException {
        try (Stream<Path> old = Files.list(stateDir)) {
            for (Path p : old.filter(p -> p.getFileName().toString().startsWith(PREFIX)).toList()) {
                deleteTree(p);
            }
            return new Spool(Files.createTempDirectory(stateDir, PREFIX));
        } catch (IOException e) {
            throw new ExportConfigException("cannot create a work directory in " + stateDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * A spooled document.
     *
     * @param file where it is, until the end of the run
     * @param size its size in bytes
     */
    public record Spooled(Path file, long size) {
    }

    /**
     * Writes a document's text as UTF-8.
     *
     * @param name a file name unique within the run, e.g. {@code <updateId>-r<revision>.xml}
     * @throws ExportConfigException if the file cannot be written
     */
    public Spooled put(String name, String text) throws ExportConfigException {
        Path f = dir.resolve(name);
        try {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            Files.write(f, bytes);
            CrashPoints.reached("spool");
            return new Spooled(f, bytes.length);
        } catch (IOException e) {
            throw new ExportConfigException("cannot write " + f + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            deleteTree(dir);
        } catch (IOException ignored) {
            // the next run deletes it
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> all;
        try (Stream<Path> walk = Files.walk(root)) {
            all = new ArrayList<>(walk.toList());
        }
        Collections.reverse(all);
        for (Path p : all) {
            Files.deleteIfExists(p);
        }
    }
}
