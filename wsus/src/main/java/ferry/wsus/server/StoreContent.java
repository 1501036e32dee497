package ferry.wsus.server;

import ferry.wsus.catalog.WsusCatalog;

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
    private final WsusCatalog catalog;

    public StoreContent(WsusCatalog catalog) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    @Override
    public Optional<Path> resolve(String sha1Hex) {
        return catalog.fileBySha1(sha1Hex)
                .map(f -> catalog.store().objectPath(f.sha256()))
                .filter(Files::isRegularFile);
    }
}
