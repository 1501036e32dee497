package ferry.importer;

import ferry.store.BundleInfo;
import ferry.store.ChannelState;
import ferry.store.Store;
import ferry.store.StoreCounts;
import ferry.wsus.catalog.WsusCatalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Everything a test compares to show a store did not change: catalog counts, channel positions, imported bundles,
 * change number, and the names of the objects on disk.
 */
public record StoreSnapshot(boolean exists, StoreCounts counts, List<ChannelState> channels, List<BundleInfo> bundles,
                            long changeNumber, List<String> objects) {

    /** Opens the store briefly (nothing else may have it open) and reads it; a missing store is its own state. */
    public static StoreSnapshot of(Path storeDir) {
        if (!Files.exists(storeDir)) {
            return new StoreSnapshot(false, null, List.of(), List.of(), 0, List.of());
        }
        try (Store s = open(storeDir)) {
            return of(s);
        }
    }

    /** Opens a store with every source type the importer knows, as {@code ferry import} does. */
    public static Store open(Path storeDir) {
        return Store.open(storeDir, Importer.catalogs());
    }

    /**
     * The catalog's counts without the WSUS change number, which a crash may advance without changing anything
     * else (it comes from an H2 sequence): compare the change number on its own.
     */
    public static StoreCounts counts(Store s) {
        StoreCounts c = s.counts();
        return new StoreCounts(c.bundles(), c.channels(), c.sources().stream().map(src -> new StoreCounts.Source(
                src.name(), src.counts().stream().filter(n -> !n.name().equals("changeNumber")).toList())).toList());
    }

    /** Reads an open store. */
    public static StoreSnapshot of(Store s) {
        return new StoreSnapshot(true, counts(s), s.channels(), s.bundles(), new WsusCatalog(s).currentChangeNumber(),
                objects(s.directory()));
    }

    /** The catalog part only: what is imported and served, leaving out unreferenced objects a failed run left. */
    public StoreSnapshot catalog() {
        return new StoreSnapshot(exists, counts, channels, bundles, changeNumber, List.of());
    }

    public static List<String> objects(Path storeDir) {
        Path root = storeDir.resolve("objects");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
