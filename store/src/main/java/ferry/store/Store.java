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
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The isolated side's store: an H2 catalog ({@code catalog.mv.db}) describing imported bundles, channels and
 * signers, and content-addressed objects ({@code objects/sha256/<2 hex>/<64 hex>}) holding what the bundles
 * carried. Each source type (WSUS, APT) keeps its own tables in the catalog ({@link SourceCatalog}): it fills them
 * in the import's transaction ({@link CatalogWrite}) and reads them through {@link #read}. The store itself knows
 * no source type.
 *
 * <p>An import ({@link #beginImport}) writes its objects first, recording each in the import journal before
 * writing it, then makes them reachable in one transaction ({@link PendingImport#commit}). A crash at any moment
 * leaves the catalog as it was or fully imported; objects an import wrote and never committed are given back
 * when it is aborted, or by the next {@link #open} if the process died. Nothing ever deletes an object the
 * journal does not list as written by an unfinished import, nor one the catalog references.
 *
 * <p>A directory that holds a store (its marker {@code store.id}, or any object) is only ever opened with its own
 * catalog: a missing, empty, unreadable or foreign catalog is refused ({@link StoreDamagedException}) rather
 * than replaced by a new one, which would forget every channel's position. See docs/store.md.
 *
 * <p>Who may have a store open at once ({@link StoreLock}): one writer ({@link #openForImport}) and one server
 * ({@link #openForServing}), in the same process or two; {@link #open} takes both roles (exclusive). Anything more
 * is refused with {@link StoreLockedException}. A store opened for serving only reads: it sees each import of the
 * other process entirely or not at all, from the moment it commits. All methods are thread-safe; queries run concurrently with an import
 * and see it either entirely or not at all. SHA-256 arguments are 64 hex digits in either case; results use
 * lower-case SHA-256.
 * Sizes are in bytes, times UTC. Failures are {@link StoreException}s with a one-line message.
 */
public final class Store implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Store.class);

    private final Path dir;
    private final List<StoreLock> locks;
    // False when opened for serving: another process may be the writer, so nothing here may write.
    private final boolean writer;
    private final Catalog catalog;
    private final ObjectStore objects;
    private final ImportJournal journal;
    private final Clock clock;
    // Journals objects written through putObject (outside any PendingImport); left for collectGarbage on close.
    private PendingImport session;
    // One import (or garbage collection) at a time in this process; other processes are kept out by StoreLock.
    private final ReentrantLock writeLock = new ReentrantLock();
    // Tests make an import die just before its commit.
    volatile Runnable beforeCommit = () -> { };
    // ... or just after it, before the import's journal is cleaned up.
    volatile Runnable afterCommit = () -> { };

    private Store(Path dir, List<StoreLock> locks, boolean writer, Catalog catalog, ObjectStore objects, Clock clock) {
        this.dir = dir;
        this.locks = locks;
        this.writer = writer;
        this.catalog = catalog;
        this.objects = objects;
        this.journal = new ImportJournal(dir, catalog, objects);
        this.clock = clock;
    }

    /**
     * Opens the store in {@code dir}, or creates a new one if {@code dir} is absent or holds no store (no marker
     * {@code store.id}, no objects). Migrates the catalog to the current schema and empties {@code dir/tmp/}.
     * Objects that imports which died before finishing wrote stay (a new import may reuse them) until
     * {@link #collectGarbage}.
     *
     * @throws StoreLockedException  if another process, or another {@code Store} in this process, has it open
     * @throws StoreDamagedException if {@code dir} holds a store whose catalog is missing, empty, unreadable or
     *                               another store's; nothing is changed
     * @throws StoreFullException    if its file system has no room to create, open or migrate the catalog; a new
     *                               store that could not be made leaves no catalog or marker behind
     * @throws StoreException        if it cannot be created or opened, or was written by a newer ferry
     */
    public static Store open(Path dir, List<? extends SourceCatalog> sources) {
        return open(dir, sources, Clock.systemUTC());
    }

    /**
     * Opens the store in {@code dir} as {@link #open}, but never creates one: for commands that look after an
     * existing store.
     *
     * @throws StoreException        "no store at DIR" if {@code dir} is absent or holds neither a marker, nor a
     *                               catalog, nor objects
     * @throws StoreDamagedException as {@link #open}
     */
    public static Store openExisting(Path dir, List<? extends SourceCatalog> sources) {
        boolean any;
        try {
            any = Files.isDirectory(dir) && (Files.exists(dir.resolve(StoreMarker.FILE))
                    || Files.exists(dir.resolve(Catalog.FILE)) || new ObjectStore(dir).anyFile());
        } catch (IOException e) {
            throw new StoreException("store " + dir + ": cannot read: " + e, e);
        }
        if (!any) {
            throw new StoreException("no store at " + dir);
        }
        return open(dir, sources);
    }

    /**
     * Opens the store in {@code dir} as its writer, for one import: as {@link #open}, but a process serving the store
     * ({@link #openForServing}) may have it open at the same time.
     *
     * @throws StoreLockedException  if another writer (an import, a check, an exclusive open) has it open
     * @throws StoreDamagedException as {@link #open}
     * @throws StoreException        as {@link #open}
     */
    public static Store openForImport(Path dir, List<? extends SourceCatalog> sources) {
        return open(dir, sources, Clock.systemUTC(), Role.IMPORT);
    }

    /**
     * Opens the store in {@code dir} for serving: reads only ({@link #beginImport}, {@link #putObject},
     * {@link #commitImport}, {@link #collectGarbage} and {@link #check} throw {@link StoreException}), while one
     * import ({@link #openForImport}) may write it from another process. If no writer holds the store, it is
     * created, migrated and tidied as {@link #open} does; if one does, it is opened as that writer left it.
     *
     * @throws StoreLockedException  if another process serves it, an exclusive open holds it, or the import
     *                               holding it is still creating or upgrading its catalog
     * @throws StoreDamagedException as {@link #open}
     * @throws StoreException        as {@link #open}
     */
    public static Store openForServing(Path dir, List<? extends SourceCatalog> sources) {
        return open(dir, sources, Clock.systemUTC(), Role.SERVE);
    }

    /** Which locks an open takes ({@link StoreLock}). */
    enum Role { EXCLUSIVE, IMPORT, SERVE }

    static Store open(Path dir, List<? extends SourceCatalog> sources, Clock clock) {
        return open(dir, sources, clock, Role.EXCLUSIVE);
    }

    static Store open(Path dir, List<? extends SourceCatalog> sources, Clock clock, Role role) {
        List<SourceCatalog> types = sourceTypes(sources);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StoreException("store " + dir + ": cannot create: " + e, e);
        }
        List<StoreLock> locks = new java.util.ArrayList<>();
        StoreLock maintenance = null;
        Catalog catalog = null;
        // Set once this open has begun making a new store: what it made goes again if the open fails.
        boolean creating = false;
        try {
            if (role == Role.SERVE) {
                locks.add(StoreLock.acquire(dir, StoreLock.SERVER));
                // Creating, migrating and tidying is the writer's job: done here only while no import runs.
                maintenance = StoreLock.tryAcquire(dir, StoreLock.WRITER);
            } else {
                locks.add(StoreLock.acquire(dir, StoreLock.WRITER));
                if (role == Role.EXCLUSIVE) {
                    locks.add(StoreLock.acquire(dir, StoreLock.SERVER));
                }
            }
            boolean maintain = role != Role.SERVE || maintenance != null;
            ObjectStore objects = new ObjectStore(dir);
            Optional<String> marker = StoreMarker.read(dir);
            boolean existing = marker.isPresent() || objects.anyFile();
            if (!maintain && !existing) {
                throw new StoreLockedException("store " + dir + " is being created by an import (lock "
                        + dir.resolve(StoreLock.WRITER) + "); serve it once that import is done");
            }
            Path catalogFile = dir.resolve(Catalog.FILE);
            if (existing && !Files.exists(catalogFile)) {
                throw Catalog.unusable(dir, "is missing", null);
            }
            if (existing && Files.size(catalogFile) == 0) {
                throw Catalog.unusable(dir, "is empty", null);
            }
            creating = maintain && !existing && !Files.exists(catalogFile);
            catalog = Catalog.open(dir, existing, marker.orElse(null), types, maintain);
            String id = catalog.storeId();
            if (maintain) {
                if (marker.isEmpty()) {
                    // A new store, or one made before stores had markers: from now on it is recognised as a store.
                    StoreMarker.write(dir, id);
                }
                objects.prepare();
            }
            // Leftovers of imports that died are not given back here but after the next commit
            // (collectGarbage): an import run again reuses what its killed predecessor had already copied.
            return new Store(dir, List.copyOf(locks), role != Role.SERVE, catalog, objects, clock);
        } catch (IOException e) {
            closeQuietly(catalog);
            if (creating) {
                forgetNew(dir);
            }
            release(locks);
            if (DiskSpace.isFull(e, dir)) {
                throw new StoreFullException(dir, -1, DiskSpace.usable(dir), "creating the store", e);
            }
            throw new StoreException("store " + dir + ": cannot prepare directories: " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(catalog);
            if (creating) {
                forgetNew(dir);
            }
            release(locks);
            throw e;
        } finally {
            if (maintenance != null) {
                maintenance.close();
            }
        }
    }

    /**
     * After a failed first open of a new store (a full disk, typically): removes the catalog and marker it made, which
     * would otherwise make every later run see a store whose catalog is unusable. Runs with the writer's lock held and
     * the catalog closed; only ever for a directory that held no store, so nothing of value can go.
     */
    private static void forgetNew(Path dir) {
        for (String name : List.of(StoreMarker.FILE, Catalog.FILE, Catalog.LOCK_FILE, "catalog.trace.db")) {
            try {
                Files.deleteIfExists(dir.resolve(name));
            } catch (IOException e) {
                LOG.warn("store {}: cannot remove {} of the store that could not be created: {}", dir, name, e.toString());
            }
        }
    }

    private static void release(List<StoreLock> locks) {
        for (int i = locks.size() - 1; i >= 0; i--) {
            locks.get(i).close();
        }
    }

    // A store opened for serving shares the directory with a writer in another process: it must never write.
    private void requireWriter(String what) {
        if (!writer) {
            throw new StoreException("store " + dir + " is open for serving, which only reads: cannot " + what
                    + " (an import does that, in its own process)");
        }
    }

    private static List<SourceCatalog> sourceTypes(List<? extends SourceCatalog> sources) {
        List<SourceCatalog> out = List.copyOf(sources);
        Set<String> names = new java.util.HashSet<>();
        for (SourceCatalog s : out) {
            if (!SourceCatalog.NAME.matcher(s.name()).matches() || !names.add(s.name())) {
                throw new IllegalArgumentException("source type name " + Ids.quote(s.name())
                        + " is not a distinct lower-case name of 2 to 16 letters and digits");
            }
        }
        return out;
    }

    private static void closeQuietly(Catalog catalog) {
        if (catalog != null) {
            catalog.close();
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
     * <p>An object written this way is recorded in the journal of this {@code Store}'s own session: it is
     * given back by a {@link #collectGarbage} after this {@code Store} is closed (or its process died) if no
     * commit references it by then. An import uses {@link #beginImport} instead, which gives back what it wrote
     * as soon as it is aborted.
     *
     * @param expectedSize size in bytes; reading stops with an error at the first byte beyond it
     * @return the object's path
     * @throws StoreFullException if the file system has fewer usable bytes than {@code expectedSize} (checked
     *                            before reading), or runs out of space while writing
     * @throws StoreException     naming the digest on a size or digest mismatch, a malformed digest, or an I/O
     *                            error; nothing is left behind in any of these cases
     */
    public Path putObject(InputStream in, String expectedSha256, long expectedSize) {
        return session().putObject(in, expectedSha256, expectedSize);
    }

    private synchronized PendingImport session() {
        requireWriter("write an object");
        if (session == null) {
            session = beginImport();
        }
        return session;
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

    /**
     * Bytes usable for new objects and the catalog on the store's file system
     * ({@link java.nio.file.FileStore#getUsableSpace()} of {@code objects/}), for a pre-flight check before an
     * import; -1 if the file system cannot tell.
     */
    public long usableSpace() {
        return DiskSpace.usable(objects.directory());
    }

    ObjectStore objects() {
        return objects;
    }

    // ---- import ----

    /**
     * Begins an import: the returned handle writes objects, recording each in the import journal before writing
     * it, and either commits the bundle or gives the objects it wrote back (see {@link PendingImport}). Use it in
     * try-with-resources: closing it without a commit aborts it. Several imports may run at once; the channel
     * checks at commit decide between them.
     *
     * @throws StoreFullException if the journal cannot be written for lack of space
     * @throws StoreException     on a database error
     */
    public PendingImport beginImport() {
        requireWriter("begin an import");
        return new PendingImport(this, journal, journal.begin());
    }

    void finish(PendingImport imp, Set<String> claimed) {
        writeLock.lock();
        try {
            int deleted = journal.release(imp.id(), claimed);
            if (deleted > 0) {
                LOG.info("import {}: removed {} object(s) it wrote that the catalog does not reference", imp.id(), deleted);
            }
        } catch (StoreException e) {
            LOG.warn("import {} is committed, but cleaning up its journal failed (the next open retries): {}",
                    imp.id(), e.getMessage());
        } finally {
            writeLock.unlock();
        }
    }

    int abort(PendingImport imp, Set<String> claimed) {
        writeLock.lock();
        try {
            int deleted = journal.release(imp.id(), claimed);
            LOG.info("import {} aborted: gave back {} object(s)", imp.id(), deleted);
            return deleted;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Records one verified bundle in a single transaction: its row and signers, the source type's rows
     * ({@link ImportRecord#write}, whose objects must all be in the store), and the channel's new position.
     *
     * <p>Inside the transaction, with the channel's row locked, the trust gate's {@code policy} decides again where
     * the bundle may land (bundle id new, sequence above the channel's last and within the policy's jump, a delta's
     * base not above the last, or a matching channel reset).
     *
     * @param policy the trust gate's channel policy ({@code BundleVerifier.channelPolicy()})
     * @return what the source type's write reported
     * @throws ImportRefusedException when the policy refuses the bundle, or it was imported already; nothing changed
     * @throws StoreFullException     if the catalog cannot grow for lack of space. Nothing changed.
     * @throws StoreLockedException   if the connection to the catalog was lost during the transaction (the process
     *                                sharing it stopped): rolled back, unless the loss came just after the commit
     * @throws StoreException         if the record is malformed, names an object not in the store, the store was not
     *                                opened with the record's source type, the source type's write refuses (see its
     *                                documentation), or on a database error. Nothing changed.
     */
    public <R extends CatalogWrite.Result> R commitImport(ImportRecord<R> rec, ChannelPolicy policy) {
        requireWriter("commit an import");
        ImportTransaction<R> tx = new ImportTransaction<>(rec, policy);
        String source = rec.write().source();
        if (catalog.sources().stream().noneMatch(s -> s.name().equals(source))) {
            throw new StoreException("bundle " + rec.bundleId() + ": its entries are of source type " + Ids.quote(source)
                    + ", which this store was not opened with");
        }
        writeLock.lock();
        try (Connection c = catalog.connection()) {
            R outcome = tx.run(c, objects, clock.instant(), beforeCommit);
            syncToDisk(c, rec.bundleId());
            LOG.info("imported bundle {} (channel {}, sequence {}): {}", rec.bundleId(), rec.channel(),
                    rec.sequenceNumber(), outcome);
            return outcome;
        } catch (SQLException e) {
            catalog.discardIfLost(e);
            if (Catalog.connectionBroken(e) && !DiskSpace.isFull(e, dir)) {
                throw new StoreLockedException("store " + dir + ": bundle " + rec.bundleId() + ": the catalog went away"
                        + " during the commit (the process sharing it, `ferry serve`, stopped); the commit was rolled"
                        + " back unless it had just completed: run the import again, it then either imports the bundle"
                        + " or says it is already imported", e);
            }
            if (DiskSpace.isFull(e, dir)) {
                throw new StoreFullException(dir, -1, DiskSpace.usable(dir), "catalog: bundle " + rec.bundleId(), e);
            }
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

    /**
     * Changes a source type's tables outside any import, in one transaction: for what an operator decides on the
     * isolated side (e.g. WSUS approvals). The same writer as an import ({@link #openForImport}, {@link #open}) runs it,
     * so it waits for nothing and never overlaps an import of this process; a server sharing the store
     * ({@link #openForServing}) sees it entirely or not at all, and {@link #changes()} grows by one when it commits.
     * The catalog is synced to disk after the commit.
     *
     * @param what   names the change in messages, e.g. {@code "approve"}
     * @param dryRun run the change and roll it back: the result says what it would do, nothing is kept
     * @return what {@code change} returned
     * @throws StoreFullException   if the catalog cannot grow for lack of space. Nothing changed.
     * @throws StoreLockedException if the connection to the catalog was lost (the process sharing it stopped): rolled
     *                              back, unless the loss came just after the commit
     * @throws StoreException       if the store is open for serving only, or on a database error. Nothing changed.
     * @throws RuntimeException     whatever {@code change} threw to refuse, unchanged. Nothing changed.
     */
    public <T> T change(String what, boolean dryRun, CatalogChange<T> change) {
        requireWriter(what);
        writeLock.lock();
        try (Connection c = catalog.connection()) {
            c.setAutoCommit(false);
            T result;
            try {
                result = change.apply(c);
                if (dryRun) {
                    c.rollback();
                } else {
                    try (Statement s = c.createStatement()) {
                        s.executeUpdate("UPDATE store_info SET catalog_changes = catalog_changes + 1");
                    }
                    c.commit();
                }
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            if (!dryRun) {
                try (Statement s = c.createStatement()) {
                    s.execute("CHECKPOINT SYNC");
                } catch (SQLException e) {
                    LOG.warn("{}: committed, but syncing the catalog to disk failed: {}", what, Catalog.firstLine(e));
                }
            }
            return result;
        } catch (SQLException e) {
            catalog.discardIfLost(e);
            if (DiskSpace.isFull(e, dir)) {
                throw new StoreFullException(dir, -1, DiskSpace.usable(dir), "catalog: " + what, e);
            }
            if (Catalog.connectionBroken(e)) {
                throw new StoreLockedException("store " + dir + ": " + what + ": the catalog went away during the"
                        + " change (the process sharing it, `ferry serve`, stopped); it was rolled back unless it had"
                        + " just completed: look, then run it again", e);
            }
            throw new StoreException("store " + dir + ": " + what + " failed: " + Catalog.firstLine(e), e);
        } finally {
            writeLock.unlock();
        }
    }

    /** For tests: commits under the default channel policy of a trust store. */
    <R extends CatalogWrite.Result> R commitImport(ImportRecord<R> rec) {
        return commitImport(rec, new ChannelPolicy(ferry.format.trust.TrustPolicy.DEFAULT_MAX_SEQUENCE_JUMP));
    }

    /** Whether a bundle with this id has been imported. */
    public boolean isImported(String bundleId) {
        return query(c -> CatalogQueries.isImported(c, bundleId));
    }

    /**
     * Gives back the objects written by imports that did not finish and are not running in this process (their
     * process died, or their {@code Store} was closed first): those their journals list that no catalog row
     * references. Nothing else is ever deleted. An import calls this after its commit. Returns how many objects
     * were deleted.
     *
     * @throws StoreException if the journal cannot be read or an object cannot be deleted
     */
    public int collectGarbage() {
        requireWriter("collect garbage");
        writeLock.lock();
        try {
            return journal.recover();
        } finally {
            writeLock.unlock();
        }
    }

    // ---- check ----

    /**
     * Checks that the catalog and the objects agree: every object the catalog references is present, every
     * present object is referenced, update files have the size their catalog row says, and with {@code rehash}
     * every object's content has the SHA-256 it is named by. A damaged object is moved to {@code quarantine/},
     * so it is no longer served ({@link #openObject} and {@link #hasObject} no longer find it). Nothing is
     * deleted. Imports in this process wait until the check is over.
     *
     * @param rehash   read and hash every object (slow: reads the whole store)
     * @param progress told the bytes to hash and each chunk hashed
     * @throws StoreException on a database or I/O error
     */
    public CheckReport check(boolean rehash, CheckProgress progress) {
        requireWriter("check it");
        writeLock.lock();
        try (Connection c = catalog.connection()) {
            CheckReport report = new StoreChecker(objects, catalog.sources()).check(c, journal.accountedFor(), rehash, progress);
            for (CheckReport.Problem d : report.damaged()) {
                LOG.warn("store {}: object {} {}", dir, d.sha256(), d.detail());
            }
            return report;
        } catch (SQLException e) {
            throw new StoreException("store " + dir + ": check failed: " + Catalog.firstLine(e), e);
        } catch (IOException e) {
            throw new StoreException("store " + dir + ": check failed: " + e, e);
        } finally {
            writeLock.unlock();
        }
    }

    // ---- queries ----

    /**
     * Runs {@code read} on the catalog, seeing one committed state however many statements it runs (an import
     * committing meanwhile is seen entirely or not at all). This is how source types read their own tables.
     *
     * @throws StoreException with a one-line message on a database error
     */
    public <T> T read(CatalogRead<T> read) {
        try {
            return catalog.read(read);
        } catch (SQLException e) {
            throw new StoreException("store " + dir + ": catalog query failed: " + Catalog.firstLine(e), e);
        }
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

    /**
     * How many bundles have been imported, read afresh: it grows by one with each import's commit, in this process or
     * another, so a cache of anything read from the catalog is stale once this differs from when it was filled.
     * One cheap query (H2 keeps a table's row count).
     *
     * @throws StoreException with a one-line message on a database error
     */
    public long imports() {
        try {
            return catalog.imports();
        } catch (SQLException e) {
            throw new StoreException("store " + dir + ": catalog query failed: " + Catalog.firstLine(e), e);
        }
    }

    /**
     * How many times the catalog has changed, read afresh: it grows with each import's commit ({@link #imports()})
     * and each {@link #change}, in this process or another, so a cache of anything read from the catalog is stale
     * once this differs from when it was filled. One cheap query.
     *
     * @throws StoreException with a one-line message on a database error
     */
    public long changes() {
        try {
            return catalog.changes();
        } catch (SQLException e) {
            throw new StoreException("store " + dir + ": catalog query failed: " + Catalog.firstLine(e), e);
        }
    }

    /** Sizes of the catalog. */
    public StoreCounts counts() {
        return read(c -> CatalogQueries.counts(c, catalog.sources()));
    }

    /** Closes the catalog and releases the lock. Objects and the catalog stay on disk. */
    @Override
    public void close() {
        try {
            synchronized (this) {
                if (session != null) {
                    session.detach();
                }
            }
            catalog.close();
        } finally {
            release(locks);
        }
    }

    // ---- helpers ----

    /** Runs {@code sql} on a fresh connection; for tests that inspect or damage the catalog. */
    <T> T query(SqlFunction<T> sql) {
        try {
            return catalog.read(sql::apply);
        } catch (SQLException e) {
            throw new StoreException("store " + dir + ": catalog query failed: " + Catalog.firstLine(e), e);
        }
    }

    void execute(String sql) {
        try (Connection c = catalog.connection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new StoreException("store " + dir + ": catalog statement failed: " + Catalog.firstLine(e), e);
        }
    }

    @FunctionalInterface
    interface SqlFunction<T> {
        T apply(Connection c) throws SQLException;
    }
}
