package ferry.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code store.id}: written once when a store is created, it says "a store lives here" and names it with the id
 * its catalog also holds ({@code store_info.store_id}). Its presence is what tells a damaged store from a new one.
 */
final class StoreMarker {
    static final String FILE = "store.id";
    private static final String HEADER = "ferry store ";
    private static final Pattern LINE = Pattern.compile(
            Pattern.quote(HEADER) + "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\\R?");

    private StoreMarker() {
    }

    /**
     * The store id the marker holds, or empty if there is no marker.
     *
     * @throws StoreDamagedException if the marker exists but cannot be read or does not hold an id
     */
    static Optional<String> read(Path storeDir) {
        Path file = storeDir.resolve(FILE);
        String text;
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length > 200) {
                throw damaged(file, "is " + bytes.length + " bytes long");
            }
            text = new String(bytes, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreDamagedException("store " + storeDir + ": cannot read the store marker " + file + ": " + e, e);
        }
        Matcher m = LINE.matcher(text);
        if (!m.matches()) {
            throw damaged(file, "does not hold a store id");
        }
        return Optional.of(m.group(1));
    }

    private static StoreDamagedException damaged(Path file, String what) {
        return new StoreDamagedException("store marker " + file + " " + what + "; it must read \"" + HEADER
                + "<id>\" with the id in the catalog's store_info (see docs/store.md)");
    }

    /** Writes the marker atomically and durably. */
    static void write(Path storeDir, String storeId) {
        Path file = storeDir.resolve(FILE);
        Path part = storeDir.resolve(FILE + ".part");
        try {
            try (FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bb = ByteBuffer.wrap((HEADER + storeId + "\n").getBytes(StandardCharsets.UTF_8));
                while (bb.hasRemaining()) {
                    ch.write(bb);
                }
                ch.force(true);
            }
            Files.move(part, file, StandardCopyOption.ATOMIC_MOVE);
            ObjectStore.syncDirectory(storeDir);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // Overwritten by the next attempt.
            }
            if (DiskSpace.isFull(e, storeDir)) {
                throw new StoreFullException(storeDir, -1, DiskSpace.usable(storeDir), "store marker", e);
            }
            throw new StoreException("store " + storeDir + ": cannot write the store marker " + file + ": " + e, e);
        }
    }
}
