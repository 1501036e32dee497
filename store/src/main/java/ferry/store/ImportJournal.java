package ferry.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The import journal: {@code journal/<import id>.objects}, one line per object an unfinished import wrote,
 * appended before the object is written. It is the only account of objects that may be deleted: an
 * object is deleted only when a journal says an import wrote it, that import is over (committed, aborted or
 * dead), no catalog row references the object and no running import uses it.
 *
 * <p>Running imports of this process are known here ({@code live}); since a store has one writer at a time
 * ({@code store.lock}), and a process serving the store never writes it nor cleans up, every other journal file
 * belongs to an import that died. (A file rather than catalog rows: a catalog
 * commit per object would cost more than writing the object and grow the catalog file by a page each.)
 */
final class ImportJournal {
    private static final String SUFFIX = ".objects";
    private static final Pattern LINE = Pattern.compile("[0-9a-f]{64}");

    private final Path storeDir;
    private final Path dir;
    private final Catalog catalog;
    private final ObjectStore objects;
    // Guards everything below. Taken after the store's write lock when both are needed.
    private final Object lock = new Object();
    // Objects running imports wrote or reuse, with the imports holding each: theirs to keep.
    private final Map<String, Set<String>> claims = new HashMap<>();
    private final Map<String, FileChannel> live = new HashMap<>();

    ImportJournal(Path storeDir, Catalog catalog, ObjectStore objects) {
        this.storeDir = storeDir;
        this.dir = storeDir.resolve("journal");
        this.catalog = catalog;
        this.objects = objects;
    }

    /** Records a new running import; returns its id. */
    String begin() {
        String id = UUID.randomUUID().toString();
        try {
            Files.createDirectories(dir);
            FileChannel ch = FileChannel.open(file(id), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            ObjectStore.syncDirectory(dir);
            synchronized (lock) {
                live.put(id, ch);
            }
            return id;
        } catch (IOException e) {
            throw failure("cannot begin an import journal", e);
        }
    }

    /**
     * Claims {@code sha256} for running import {@code importId} (once per import and object): while claimed, no
     * clean-up deletes it. If the object is absent, records in the journal that this import writes it and returns
     * true; the caller then writes it.
     */
    boolean claim(String importId, String sha256) {
        synchronized (lock) {
            claims.computeIfAbsent(sha256, k -> new HashSet<>()).add(importId);
            if (objects.has(sha256)) {
                return false;
            }
            try {
                append(importId, List.of(sha256));
                return true;
            } catch (IOException e) {
                unclaim(importId, sha256);
                throw failure("object " + sha256 + ": cannot record it in the import journal", e);
            }
        }
    }

    private void append(String importId, List<String> sha256s) throws IOException {
        FileChannel ch = live.get(importId);
        StringBuilder b = new StringBuilder();
        sha256s.forEach(s -> b.append(s).append('\n'));
        ByteBuffer bb = ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.US_ASCII));
        // Not synced: a kill keeps what reached the operating system, and after a power loss a lost line only
        // means its object is kept (and reported by check) - never that something else is deleted. Syncing
        // would cost as much again as writing a small object.
        while (bb.hasRemaining()) {
            ch.write(bb);
        }
    }

    private void unclaim(String importId, String sha256) {
        Set<String> holders = claims.get(sha256);
        if (holders != null && holders.remove(importId) && holders.isEmpty()) {
            claims.remove(sha256);
        }
    }

    /**
     * Ends import {@code importId}: drops its claims, deletes the objects its journal says it wrote that nothing
     * references and no other running import uses, then the journal. The caller holds the store's write lock,
     * so no commit runs meanwhile. Returns how many objects were deleted.
     */
    int release(String importId, Set<String> claimed) {
        synchronized (lock) {
            FileChannel ch = live.remove(importId);
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // Every line was written as it came.
                }
            }
            claimed.forEach(sha -> unclaim(importId, sha));
            return clean(importId);
        }
    }

    /**
     * Cleans up after every import with a journal that is not running in this process (they died). Called with
     * the store's write lock held. Returns how many objects were deleted.
     */
    int recover() {
        synchronized (lock) {
            int deleted = 0;
            for (String id : journals()) {
                if (!live.containsKey(id)) {
                    deleted += clean(id);
                }
            }
            return deleted;
        }
    }

    /**
     * Forgets running import {@code importId} without cleaning up: its journal stays, to be cleaned up by a later
     * {@link #recover} like a dead import's, once a commit has had the chance to reference its objects.
     */
    void detach(String importId, Set<String> claimed) {
        synchronized (lock) {
            FileChannel ch = live.remove(importId);
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // Every line was written as it came.
                }
            }
            claimed.forEach(sha -> unclaim(importId, sha));
        }
    }

    /**
     * Objects running imports wrote or reuse, and objects the journals of unfinished imports list: not to be
     * reported as unreferenced, since the journal accounts for them.
     */
    Set<String> accountedFor() {
        synchronized (lock) {
            Set<String> out = new HashSet<>(claims.keySet());
            for (String id : journals()) {
                out.addAll(lines(id));
            }
            return out;
        }
    }

    private Set<String> lines(String importId) {
        Set<String> written = new LinkedHashSet<>();
        try {
            // A line cut short by a crash was never followed by its object.
            for (String line : Files.readAllLines(file(importId), StandardCharsets.US_ASCII)) {
                if (LINE.matcher(line).matches()) {
                    written.add(line);
                }
            }
        } catch (NoSuchFileException e) {
            return written;
        } catch (IOException e) {
            throw failure("import " + importId + ": cannot read its journal " + file(importId), e);
        }
        return written;
    }

    private List<String> journals() {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return ids;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                ids.add(name.substring(0, name.length() - SUFFIX.length()));
            }
        } catch (IOException e) {
            throw failure("cannot list the import journals", e);
        }
        return ids;
    }

    private Path file(String importId) {
        return dir.resolve(importId + SUFFIX);
    }

    // Object files go first, the journal last: a crash in between leaves a journal whose objects are gone, which
    // the next clean-up passes over. An object another running import uses is handed over to that import's
    // journal, so that it is still given back if that import does not commit it either.
    private int clean(String importId) {
        Path file = file(importId);
        Set<String> written = lines(importId);
        int deleted = 0;
        try {
            Set<String> referenced;
            try (Connection c = catalog.connection()) {
                referenced = written.isEmpty() ? Set.of() : catalog.referencedAmong(c, written);
            }
            Map<String, List<String>> handOver = new HashMap<>();
            for (String sha256 : written) {
                if (referenced.contains(sha256)) {
                    continue;
                }
                Set<String> holders = claims.get(sha256);
                if (holders != null) {
                    handOver.computeIfAbsent(holders.iterator().next(), k -> new ArrayList<>()).add(sha256);
                } else if (objects.delete(sha256)) {
                    deleted++;
                }
            }
            for (Map.Entry<String, List<String>> h : handOver.entrySet()) {
                append(h.getKey(), h.getValue());
            }
            Files.deleteIfExists(file);
        } catch (SQLException e) {
            throw new StoreException("import " + importId + ": cannot clean up: " + Catalog.firstLine(e), e);
        } catch (IOException e) {
            throw failure("import " + importId + ": cannot clean up", e);
        }
        return deleted;
    }

    private StoreException failure(String what, IOException e) {
        if (DiskSpace.isFull(e, storeDir)) {
            return new StoreFullException(storeDir, -1, DiskSpace.usable(storeDir), what, e);
        }
        return new StoreException("store " + storeDir + ": " + what + ": " + e, e);
    }
}
