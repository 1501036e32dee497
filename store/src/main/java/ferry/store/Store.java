package ferry.store;

import ferry.verifier.ChannelPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The isolated side's store: an H2 catalog ({@code catalog.mv.db}) describing imported bundles, update
 * revisions and update files, and content-addressed objects ({@code objects/sha256/<2 hex>/<64 hex>}) holding
 * update metadata and update files.
 *
 * <p>An import writes its objects first ({@link #putObject}), then makes them reachable in one transaction
 * ({@link #commitImport}). A crash at any moment leaves the catalog as it was or fully imported; objects
 * written by an import that never committed are unreferenced and harmless ({@link #collectGarbage}).
 *
 * <p>One {@code Store} per directory at a time, across processes and within one: {@link #open} throws
 * {@link StoreLockedException} otherwise. All methods are thread-safe; queries run concurrently with an import
 * and see it either entirely or not at all. SHA-256 arguments are 64 hex digits in either case, SHA-1 arguments
 * 40, update ids GUIDs in either case; results use lower-case SHA-256 and update ids, upper-case SHA-1.
 * Sizes are in bytes, times UTC. Failures are {@link StoreException}s with a one-line message.
 */
public final class Store implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Store.class);

    private final Path dir;
    private final StoreLock lock;
    private final Catalog catalog;
    private final ObjectStore objects;
    private final Clock clock;
    // One import (or garbage collection) at a time in this process; other processes are kept out by StoreLock.
    private final ReentrantLock writeLock = new ReentrantLock();
    // Tests make an import die just before its commit.
    volatile Runnable beforeCommit = () -> { };

    private Store(Path dir, StoreLock lock, Catalog catalog, ObjectStore objects, Clock clock) {
        this.dir = dir;
        this.lock = lock;
        this.catalog = catalog;
        this.objects = objects;
        this.clock = clock;
    }

    /**
     * Opens the store in {@code dir}, creating it (and the directory) if needed, migrating the catalog to the
     * current schema and emptying {@code dir/tmp/}.
     *
     * @throws StoreLockedException if another process, or another {@code Store} in this process, has it open
     * @throws StoreException       if it cannot be created or opened, or was written by a newer ferry
     */
    public static Store open(Path dir) {
        return open(dir, Clock.systemUTC());
    }

    static Store open(Path dir, Clock clock) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StoreException("store " + dir + ": cannot create: " + e, e);
        }
        StoreLock lock = StoreLock.acquire(dir);
        try {
            ObjectStore objects = new ObjectStore(dir);
            objects.prepare();
            Catalog catalog = Catalog.open(dir);
            return new Store(dir, lock, catalog, objects, clock);
        } catch (IOException e) {
            lock.close();
            throw new StoreException("store " + dir + ": cannot prepare directories: " + e, e);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** The store's directory. */
    public Path directory() {
        return dir;
    }

    // ---- objects ----

    /**
     * Stores {@code in} as the object named {@code expectedSha256}: streams it to {@code tmp/} while hashing,
     * syncs it, checks its size and digest and renames it into place atomically. If the object is already
     * present, {@code in} is not read at all. The caller closes {@code in}.
     *
     * @param expectedSize size in bytes; reading stops with an error at the first byte beyond it
     * @return the object's path
     * @throws StoreException naming the digest on a size or digest mismatch, a malformed digest, or an I/O error;
     *                        nothing is left behind in that case
     */
    public Path putObject(InputStream in, String expectedSha256, long expectedSize) {
        return objects.put(in, expectedSha256, expectedSize);
    }

    /** Whether the object is present. @throws StoreException if {@code sha256} is not 64 hex digits */
    public boolean hasObject(String sha256) {
        return objects.has(sha256);
    }

    /**
     * Where the object is (or would be). @throws StoreException if {@code sha256} is not 64 hex digits, so the
     * path is always inside {@code objects/}
     */
    public Path objectPath(String sha256) {
        return objects.path(sha256);
    }

    /** Opens the object for reading. @throws StoreException if it is absent or {@code sha256} is malformed */
    public InputStream openObject(String sha256) {
        return objects.open(sha256);
    }

    // ---- import ----

    /**
     * Records one verified bundle in a single transaction: its revisions (those already stored are skipped, the
     * stored one kept), their categories, prerequisites, bundled and superseded updates and files, and the
     * channel's new position. Each new revision gets the next change number.
     *
     * <p>Inside the transaction, with the channel's row locked, the trust gate's {@code policy} decides again where
     * the bundle may land (bundle id new, sequence above the channel's last and within the policy's jump, a delta's
     * base not above the last, or a matching channel reset). A revision lower than one
     * already stored for the same update is recorded (a bundled update may name it) but is never the update's
     * latest revision, so it is never served in its place.
     *
     * @param policy the trust gate's channel policy ({@code BundleVerifier.channelPolicy()})
     * @throws ImportRefusedException when the policy refuses the bundle, or it was imported already; nothing changed
     * @throws StoreException         if the record is malformed, names an object not in the store, a file that
     *                                is neither in the bundle nor in the store, or a file whose SHA-256 differs
     *                                from the stored one; or on a database error. Nothing changed.
     */
    public ImportOutcome commitImport(ImportRecord rec, ChannelPolicy policy) {
        ImportTransaction tx = new ImportTransaction(rec, policy);
        writeLock.lock();
        try (Connection c = catalog.connection()) {
            ImportOutcome outcome = tx.run(c, objects, clock.instant(), beforeCommit);
            syncToDisk(c, rec.bundleId());
            LOG.info("imported bundle {} (channel {}, sequence {}): {}", rec.bundleId(), rec.channel(),
                    rec.sequenceNumber(), outcome);
            return outcome;
        } catch (SQLException e) {
            throw new StoreException("bundle " + rec.bundleId() + ": import failed: " + Catalog.firstLine(e), e);
        } finally {
            writeLock.unlock();
        }
    }

    // H2 hands a commit to the operating system; an import is rare and precious enough to wait for the disk.
    private void syncToDisk(Connection c, String bundleId) {
        try (Statement s = c.createStatement()) {
            s.execute("CHECKPOINT SYNC");
        } catch (SQLException e) {
            LOG.warn("bundle {} is imported, but syncing the catalog to disk failed: {}", bundleId,
                    Catalog.firstLine(e));
        }
    }

    /** For tests: commits under the default channel policy of a trust store. */
    ImportOutcome commitImport(ImportRecord rec) {
        return commitImport(rec, new ChannelPolicy(ferry.format.trust.TrustPolicy.DEFAULT_MAX_SEQUENCE_JUMP));
    }

    /** Whether a bundle with this id has been imported. */
    public boolean isImported(String bundleId) {
        return query(c -> CatalogQueries.isImported(c, bundleId));
    }

    /**
     * Deletes objects no catalog row references that are older than the last import's commit: what imports
     * that never committed left behind. Objects an import in progress has written (or reused) since are newer
     * and kept. Returns how many objects were deleted.
     */
    public int collectGarbage() {
        writeLock.lock();
        try (Connection c = catalog.connection()) {
            Optional<Instant> last = CatalogQueries.lastImport(c);
            if (last.isEmpty()) {
                return 0;
            }
            Set<String> referenced = CatalogQueries.referencedObjects(c);
            return objects.deleteUnreferenced(referenced::contains, last.get());
        } catch (SQLException | IOException e) {
            throw new StoreException("store " + dir + ": garbage collection failed: " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Gives back objects an import added and then did not commit: deletes each of {@code sha256s} that no catalog
     * row references (another import may have committed a reference meanwhile). Returns how many were deleted.
     *
     * @throws StoreException on a database or file system error
     */
    public int discardUnreferenced(Collection<String> sha256s) {
        writeLock.lock();
        try (Connection c = catalog.connection()) {
            Set<String> referenced = CatalogQueries.referencedObjects(c);
            int deleted = 0;
            for (String sha : sha256s) {
                String hex = Ids.sha256(sha, "object");
                if (!referenced.contains(hex) && Files.deleteIfExists(objects.path(hex))) {
                    deleted++;
                }
            }
            return deleted;
        } catch (SQLException | IOException e) {
            throw new StoreException("store " + dir + ": cannot give back objects: " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Bytes usable by this process on the file system holding the store's objects. */
    public long usableSpace() {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            throw new StoreException("store " + dir + ": cannot read the free space: " + e.getMessage(), e);
        }
    }

    // ---- queries ----

    /**
     * The highest change number of any stored revision (0 for an empty store). Read it before
     * {@link #latestRevisions} to hand out as the next anchor: an import committing in between is then
     * reported again next time rather than missed.
     */
    public long currentChangeNumber() {
        return query(CatalogQueries::currentChangeNumber);
    }

    /**
     * The latest revision of each update that matches, ordered by change number.
     *
     * <p>{@code config = true} selects categories and detectoids, {@code false} software and driver updates.
     * An update matches when its latest revision's change number is above {@code sinceChangeNumber}, and, if
     * {@code productIds} is not empty, one of its categories is one of them (a category the store knows as a
     * classification does not count as a product), and, if {@code classificationIds} is not empty, one of its
     * categories is one of those (a category the store knows as anything other than a classification does not
     * count). Empty sets do not filter.
     */
    public List<RevisionRef> latestRevisions(boolean config, Set<String> productIds, Set<String> classificationIds,
                                             long sinceChangeNumber) {
        Set<String> products = guids(productIds, "product");
        Set<String> classifications = guids(classificationIds, "classification");
        return query(c -> CatalogQueries.latestRevisions(c, config, products, classifications, sinceChangeNumber));
    }

    /** The highest stored revision number of the update, if any. */
    public Optional<Integer> latestRevisionNumber(String updateId) {
        String id = Ids.guid(updateId, "update");
        return query(c -> Optional.ofNullable(CatalogQueries.latestRevisionNumber(c, id)));
    }

    /** SHA-256 of the object holding the revision's update metadata (UTF-8 XML), if the revision is stored. */
    public Optional<String> metadataSha256(String updateId, int revisionNumber) {
        RevisionRef ref = ref(updateId, revisionNumber);
        return query(c -> CatalogQueries.metadataSha256(c, ref));
    }

    /** The stored revision with all its relations (lists sorted), if stored. */
    public Optional<RevisionRecord> revision(String updateId, int revisionNumber) {
        RevisionRef ref = ref(updateId, revisionNumber);
        return query(c -> CatalogQueries.revision(c, ref));
    }

    /** The revision's files, by file name; empty if it has none or is not stored. */
    public List<FileRecord> files(String updateId, int revisionNumber) {
        RevisionRef ref = ref(updateId, revisionNumber);
        return query(c -> CatalogQueries.files(c, ref));
    }

    /** The file with this SHA-1 (40 hex digits, either case), if stored. */
    public Optional<FileRecord> fileBySha1(String sha1Hex) {
        String sha1 = Ids.sha1(sha1Hex, "file");
        return query(c -> CatalogQueries.fileBySha1(c, sha1));
    }

    /** Imported bundles, oldest import first. */
    public List<BundleInfo> bundles() {
        return query(CatalogQueries::bundles);
    }

    /** Channels with at least one imported bundle, by name. */
    public List<ChannelState> channels() {
        return query(CatalogQueries::channels);
    }

    /** A channel's position, if anything was imported on it. */
    public Optional<ChannelState> channel(String name) {
        return channels().stream().filter(ch -> ch.name().equals(name)).findFirst();
    }

    /** Sizes of the catalog. */
    public StoreCounts counts() {
        return query(CatalogQueries::counts);
    }

    /** Closes the catalog and releases the lock. Objects and the catalog stay on disk. */
    @Override
    public void close() {
        try {
            catalog.close();
        } finally {
            lock.close();
        }
    }

    // ---- helpers ----

    /** Runs {@code sql} on a fresh connection; for tests that inspect or damage the catalog. */
    <T> T query(SqlFunction<T> sql) {
        try (Connection c = catalog.connection()) {
            return sql.apply(c);
        } catch (SQLException e) {
            throw new StoreException("store " + dir + ": catalog query failed: " + Catalog.firstLine(e), e);
        }
    }

    void execute(String sql) {
        query(c -> {
            try (Statement s = c.createStatement()) {
                s.execute(sql);
                return null;
            }
        });
    }

    @FunctionalInterface
    interface SqlFunction<T> {
        T apply(Connection c) throws SQLException;
    }

    private static RevisionRef ref(String updateId, int revisionNumber) {
        return new RevisionRef(Ids.guid(updateId, "update"), revisionNumber);
    }

    private static Set<String> guids(Collection<String> ids, String what) {
        Set<String> out = new LinkedHashSet<>();
        if (ids != null) {
            for (String id : ids) {
                out.add(Ids.guid(id, what));
            }
        }
        return out;
    }
}
