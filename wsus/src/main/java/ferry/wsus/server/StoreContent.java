package ferry.wsus.server;

import ferry.wsus.catalog.WsusCatalog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * {@code /Content/<XX>/<SHA1HEX>.<ext>} from the store: the SHA-1 is looked up in the catalog's update files and
 * mapped to the object named by the file's SHA-256. Only files the catalog lists are served (anything else is 404),
 * so nothing outside {@code objects/} is reachable. Thread-safe.
 *
 * <p>The SHA-1s found are remembered (up to {@link #MAX_REMEMBERED}), so a download does not query the catalog per
 * request. That stays right while imports commit, in this process or another: a SHA-1 and a SHA-256 name the same
 * bytes for good, so an import only adds SHA-1s, which are looked up because they are not remembered; and SHA-1s
 * not found are never remembered. Whenever the catalog's change number has moved (checked at most every
 * {@link #RECHECK}), everything remembered is forgotten, so a file a later catalog no longer lists stops being
 * served within that time. Whether the object is (still) on disk is the caller's check, per request.
 */
public final class StoreContent implements ContentResolver {

    /** SHA-1s remembered at most (about 200 bytes each); beyond that the memory starts over. */
    static final int MAX_REMEMBERED = 65_536;
    /** How often the catalog's change number is compared, at most. */
    static final Duration RECHECK = Duration.ofSeconds(1);

    private final WsusCatalog catalog;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Path> objects = new ConcurrentHashMap<>();
    private volatile long changeNumber = -1;
    private volatile long checkedAt;

    public StoreContent(WsusCatalog catalog) {
        this(catalog, System::nanoTime);
    }

    StoreContent(WsusCatalog catalog, LongSupplier nanoTime) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.checkedAt = nanoTime.getAsLong() - RECHECK.toNanos();
    }

    /**
     * @return the object holding the file with this SHA-1, if the catalog lists it; the object was present when the
     *         SHA-1 was first looked up, and may have gone since (quarantined)
     * @throws ferry.store.StoreException if the catalog cannot be read
     */
    @Override
    public Optional<Path> resolve(String sha1Hex) {
        forgetIfCatalogMoved();
        Path known = objects.get(sha1Hex);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<Path> found = catalog.fileBySha1(sha1Hex)
                .map(f -> catalog.store().objectPath(f.sha256()))
                .filter(Files::isRegularFile);
        found.ifPresent(path -> {
            if (objects.size() >= MAX_REMEMBERED) {
                objects.clear();
            }
            objects.put(sha1Hex, path);
        });
        return found;
    }

    /** How many SHA-1s are remembered (for tests). */
    int remembered() {
        return objects.size();
    }

    private void forgetIfCatalogMoved() {
        long now = nanoTime.getAsLong();
        if (now - checkedAt < RECHECK.toNanos()) {
            return;
        }
        checkedAt = now;
        long current = catalog.currentChangeNumber();
        if (current != changeNumber) {
            objects.clear();
            changeNumber = current;
        }
    }
}
