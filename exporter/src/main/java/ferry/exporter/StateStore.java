package ferry.exporter;

import ferry.format.CrashPoints;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.stream.Stream;

/**
 * Reads and replaces the files of the state directory: {@code state.json} ({@link ExportState}) and
 * {@code pending.json} ({@link PendingBundle}). Each is written to a synced temporary file next to it
 * ({@code <name>.tmp-<pid>-<nanos>}) and renamed over it, so it is always either the old or the new content,
 * never a torn one; temporaries of a killed run are removed by the next ({@link #removeTemporaries}).
 */
final class StateStore {

    static final String FILE = "state.json";
    static final String PENDING = "pending.json";
    private static final String TMP_INFIX = ".tmp-";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path dir;

    /** Directory of the state recorded with each bundle, by sequence number. */
    static final String HISTORY = "history";

    StateStore(Path stateDir) {
        this.dir = stateDir;
    }

    Path file() {
        return dir.resolve(FILE);
    }

    Path pendingFile() {
        return dir.resolve(PENDING);
    }

    /**
     * @return the state, or null when this channel has exported nothing yet
     * @throws ExportConfigException if the file is unreadable, malformed, or belongs to another channel
     */
    ExportState read(String channel) throws ExportConfigException {
        return read(file(), channel);
    }

    /**
     * The state recorded with the bundle of {@code sequence} ({@code history/<sequence>.json}), for a receipt-driven
     * export that builds against an older position.
     *
     * @return null when that sequence's state was not kept (an older ferry wrote it, or it was never recorded)
     */
    ExportState readHistory(long sequence, String channel) throws ExportConfigException {
        return read(historyFile(sequence), channel);
    }

    /** Keeps {@code state} as the state of its sequence ({@code history/<sequence>.json}), durably. */
    void writeHistory(ExportState state) throws ExportConfigException {
        try {
            Files.createDirectories(dir.resolve(HISTORY));
        } catch (IOException e) {
            throw new ExportConfigException("cannot create " + dir.resolve(HISTORY) + ": " + oneLine(e), e);
        }
        replace(historyFile(state.lastSequence()), state, "history.tmp", "state history file");
    }

    private Path historyFile(long sequence) {
        return dir.resolve(HISTORY).resolve(sequence + ".json");
    }

    private ExportState read(Path f, String channel) throws ExportConfigException {
        JsonNode tree;
        try {
            tree = StateFormats.state(JSON.readTree(Files.readAllBytes(f)));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new ExportConfigException("state file " + f + " is unreadable: " + oneLine(e), e);
        }
        if (!tree.isObject()) {
            throw new ExportConfigException("state file " + f + " is unreadable: not a JSON object");
        }
        if (tree.path("formatVersion").asInt(-1) != ExportState.FORMAT_VERSION) {
            throw new ExportConfigException("state file " + f + " has format version " + tree.path("formatVersion")
                    + "; this exporter reads versions 1 to " + ExportState.FORMAT_VERSION);
        }
        ExportState s;
        try {
            s = JSON.treeToValue(tree, ExportState.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new ExportConfigException("state file " + f + " is malformed: " + reason(e), e);
        }
        checkChannel(s.channel(), channel);
        return s;
    }

    /**
     * A source type's part of a state read from this directory.
     *
     * @return null when {@code state} is null
     * @throws ExportConfigException naming {@code state.json} when the part does not read as {@code type}
     */
    <T> T sourceState(ExportState state, Class<T> type) throws ExportConfigException {
        if (state == null) {
            return null;
        }
        try {
            return JSON.treeToValue(state.sourceState(), type);
        } catch (IOException | IllegalArgumentException e) {
            throw new ExportConfigException("state file " + file() + " is malformed: " + reason(e), e);
        }
    }

    /** The source type's part of a state, as it is written. */
    static JsonNode toTree(Object sourceState) {
        return JSON.valueToTree(sourceState);
    }

    /**
     * @return the reservation a run left, or null when there is none
     * @throws ExportConfigException if the file is unreadable, malformed, or belongs to another channel
     */
    PendingBundle readPending(String channel) throws ExportConfigException {
        Path f = pendingFile();
        PendingBundle p;
        try {
            p = JSON.treeToValue(StateFormats.pending(JSON.readTree(Files.readAllBytes(f))), PendingBundle.class);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | IllegalArgumentException e) {
            throw new ExportConfigException("pending-bundle file " + f + " is unreadable: " + reason(e), e);
        }
        if (p.formatVersion() != PendingBundle.FORMAT_VERSION || p.bundleDir() == null || p.stagingDir() == null
                || p.bundleId() == null || p.state() == null || p.sequence() < 1) {
            throw new ExportConfigException("pending-bundle file " + f + " is malformed or of another format version");
        }
        checkChannel(p.channel(), channel);
        return p;
    }

    /** Replaces {@code state.json} with {@code state}, durably. */
    void write(ExportState state) throws ExportConfigException {
        replace(file(), state, "state.tmp", "state file");
    }

    /** Replaces {@code pending.json} with {@code pending}, durably. */
    void writePending(PendingBundle pending) throws ExportConfigException {
        replace(pendingFile(), pending, "pending.tmp", "pending-bundle file");
    }

    /** Deletes {@code pending.json}, durably. */
    void clearPending() throws ExportConfigException {
        try {
            Files.deleteIfExists(pendingFile());
        } catch (IOException e) {
            throw new ExportConfigException("cannot delete " + pendingFile() + ": " + oneLine(e), e);
        }
        syncDirectory(dir);
    }

    /**
     * Deletes the temporary files a killed run left next to {@code state.json} and {@code pending.json}. Only
     * call while holding the lock: then no other run can be writing one.
     */
    void removeTemporaries() throws ExportConfigException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if ((n.startsWith(FILE + TMP_INFIX) || n.startsWith(PENDING + TMP_INFIX)) && Files.isRegularFile(p)) {
                    Files.delete(p);
                }
            }
        } catch (IOException e) {
            throw new ExportConfigException("cannot clean state directory " + dir + ": " + oneLine(e), e);
        }
        if (Files.isDirectory(dir.resolve(HISTORY))) {
            try (var s = Files.list(dir.resolve(HISTORY))) {
                for (Path p : s.toList()) {
                    if (p.getFileName().toString().contains(".json" + TMP_INFIX) && Files.isRegularFile(p)) {
                        Files.delete(p);
                    }
                }
            } catch (IOException e) {
                throw new ExportConfigException("cannot clean " + dir.resolve(HISTORY) + ": " + oneLine(e), e);
            }
        }
    }

    private void replace(Path target, Object value, String crashStep, String what) throws ExportConfigException {
        Path tmp = target.getParent().resolve(target.getFileName() + TMP_INFIX + ProcessHandle.current().pid() + "-"
                + System.nanoTime());
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 OutputStream out = Channels.newOutputStream(ch)) {
                out.write(JSON.writeValueAsBytes(value));
                out.flush();
                ch.force(true);
            }
            CrashPoints.reached(crashStep);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (JsonProcessingException e) {
            deleteQuietly(tmp);
            throw new IllegalStateException(what + " is not serializable", e);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new ExportConfigException("cannot write " + what + " " + target + ": " + oneLine(e), e);
        }
        syncDirectory(dir);
    }

    private void checkChannel(String recorded, String channel) throws ExportConfigException {
        if (!channel.equals(recorded)) {
            throw new ExportConfigException("state directory " + dir + " belongs to channel \"" + recorded
                    + "\", not \"" + channel + "\"; use one state directory per channel");
        }
    }

    /** Makes a rename or delete durable where the platform allows syncing a directory. */
    static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // e.g. Windows cannot open a directory: the rename is still atomic, only its durability is the OS's
        }
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover temporary file is harmless: it is never read, and the next run removes it
        }
    }

    /** The first line of what is wrong: a record's own check (wrapped by Jackson) says it best. */
    private static String reason(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException && t.getMessage() != null) {
                return oneLine((Exception) t);
            }
        }
        return oneLine(e);
    }

    static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
