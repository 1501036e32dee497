package ferry.exporter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Reads and replaces {@code <stateDir>/state.json}. A new state is written to a temporary file and synced
 * before the bundle is finished ({@link #prepare}); {@link #commit} then renames it over the old one, so the
 * state file is always either the old or the new state, never a torn one.
 */
final class StateStore {

    static final String FILE = "state.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path dir;

    StateStore(Path stateDir) {
        this.dir = stateDir;
    }

    Path file() {
        return dir.resolve(FILE);
    }

    /**
     * @return the state, or null when this channel has exported nothing yet
     * @throws ExportConfigException if the file is unreadable, malformed, or belongs to another channel
     */
    ExportState read(String channel) throws ExportConfigException {
        Path f = file();
        ExportState s;
        try {
            s = JSON.readValue(Files.readAllBytes(f), ExportState.class);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new ExportConfigException("state file " + f + " is unreadable: " + oneLine(e), e);
        }
        if (s.formatVersion() != ExportState.FORMAT_VERSION) {
            throw new ExportConfigException("state file " + f + " has format version " + s.formatVersion()
                    + "; this exporter reads version " + ExportState.FORMAT_VERSION);
        }
        if (!channel.equals(s.channel())) {
            throw new ExportConfigException("state directory " + dir + " belongs to channel \"" + s.channel()
                    + "\", not \"" + channel + "\"; use one state directory per channel");
        }
        try {
            s.revisions();
        } catch (IllegalArgumentException e) {
            throw new ExportConfigException("state file " + f + " is malformed: " + e.getMessage(), e);
        }
        return s;
    }

    /** Writes {@code state} to a synced temporary file next to the state file and returns it. */
    Path prepare(ExportState state) throws ExportConfigException {
        Path tmp = dir.resolve(FILE + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             OutputStream out = Channels.newOutputStream(ch)) {
            out.write(JSON.writeValueAsBytes(state));
            out.flush();
            ch.force(true);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("export state is not serializable", e);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new ExportConfigException("cannot write state file " + tmp + ": " + oneLine(e), e);
        }
        return tmp;
    }

    /** Renames a prepared file over the state file (atomically where the file system can). */
    void commit(Path prepared) throws ExportConfigException {
        try {
            Files.move(prepared, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(prepared);
            throw new ExportConfigException("cannot replace state file " + file() + ": " + oneLine(e), e);
        }
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover temporary file is harmless: it is never read
        }
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
