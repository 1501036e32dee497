package ferry.server;

import ferry.store.Store;
import ferry.wsus.server.ContentResolver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code /Content/<XX>/<SHA1HEX>.<ext>} from the store: the SHA-1 is looked up in the catalog's update files and
 * mapped to the object named by the file's SHA-256. Only files the catalog lists and whose object is present are
 * served (anything else is 404), so nothing outside {@code objects/} is reachable. Thread-safe.
 */
public final class StoreContent implements ContentResolver {
    private final Store store;

    public StoreContent(Store store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public Optional<Path> resolve(String sha1Hex) {
        return store.fileBySha1(sha1Hex)
                .map(f -> store.objectPath(f.sha256()))
                .filter(Files::isRegularFile);
    }
}
