package ferry.store;

import ferry.format.CrashPoints;
import ferry.verifier.ChannelPolicy;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One import in progress ({@link Store#beginImport}): the objects it writes are recorded in the store's import
 * journal before they are written, so that whatever happens they can be given back.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #putObject} as {@link Store#putObject}, recording the object as this import's when it was absent.
 *       An object already in the store is reused and never deleted by this import.</li>
 *   <li>{@link #commit} records the bundle ({@link Store#commitImport}); then objects this import wrote that the
 *       catalog does not reference are deleted. If {@code commit} throws, the import stays open.</li>
 *   <li>{@link #abort} (or {@link #close} without a commit) deletes the objects this import wrote that no
 *       committed bundle references and no other running import uses, giving their space back.</li>
 *   <li>If the process dies instead, the next {@link Store#open} (or {@link Store#collectGarbage}) does the
 *       same for it from the journal.</li>
 * </ul>
 * Objects an import only reused, and objects the journal does not list, are never deleted.
 *
 * <p>{@link #putObject} may be called from several threads at once; {@link #commit} and {@link #abort} wait
 * for puts in progress and refuse later ones.
 */
public final class PendingImport implements AutoCloseable {
    private enum State { OPEN, COMMITTED, ABORTED }

    private final Store store;
    private final ImportJournal journal;
    private final String id;
    private final Set<String> claimed = ConcurrentHashMap.newKeySet();
    private final Set<String> written = ConcurrentHashMap.newKeySet();
    private final Set<String> staged = ConcurrentHashMap.newKeySet(); // putChecked's, written in full
    private final AtomicLong bytesWritten = new AtomicLong();
    // Puts share it; commit and abort take it exclusively, so no object is written after the journal is cleaned.
    private final ReentrantReadWriteLock finishing = new ReentrantReadWriteLock();
    private volatile State state = State.OPEN;
    private ObjectFlusher flusher; // guarded by this; created by the first putChecked

    PendingImport(Store store, ImportJournal journal, String id) {
        this.store = store;
        this.journal = journal;
        this.id = id;
    }

    /** The import's id in the journal (a UUID), for log messages. */
    public String id() {
        return id;
    }

    /**
     * Stores {@code in} as the object named {@code expectedSha256} (see {@link Store#putObject}).
     *
     * @return the object's path
     * @throws StoreFullException if the store's file system has no room for it (nothing of it is left behind)
     * @throws StoreException     on a size or digest mismatch, a malformed digest, an I/O error, or if this
     *                            import has already been committed or aborted
     */
    public Path putObject(InputStream in, String expectedSha256, long expectedSize) {
        String hex = Ids.sha256(expectedSha256, "object");
        finishing.readLock().lock();
        try {
            requireOpen();
            boolean mine = claim(hex) == Claim.FIRST_MINE;
            boolean present = store.objects().has(hex);
            Path p = store.objects().put(in, hex, expectedSize);
            if (mine && !present) {
                bytesWritten.addAndGet(expectedSize);
            }
            return p;
        } finally {
            finishing.readLock().unlock();
        }
    }

    /**
     * Stores an object the caller has already hashed, without waiting for the disk: as {@link #putObject}, except
     * that the store does not compute the SHA-256 again and that the object is synced and renamed into place in the
     * background; {@link #awaitDurable} (and {@link #commit}) wait until every such object is durable in place.
     *
     * <p>{@code in} must reach end of file only after its source checked that exactly the bytes it gave have SHA-256
     * {@code expectedSha256}, and must throw an IOException otherwise: what is committed is then what was hashed.
     * (The import's sink ends an entry's stream only when the trust gate has matched the entry's digest over the
     * same buffers it handed over.) An object that is present, or that this import is already storing, is not read.
     *
     * @throws StoreFullException if the store's file system has no room for it (nothing of it is left behind)
     * @throws StoreException     on a size mismatch, a malformed digest, an I/O error, a failure of an object handed
     *                            over earlier, or if this import has already been committed or aborted
     */
    public void putChecked(InputStream in, String expectedSha256, long expectedSize) {
        String hex = Ids.sha256(expectedSha256, "object");
        finishing.readLock().lock();
        try {
            requireOpen();
            Claim claim = claim(hex);
            if (claim == Claim.SEEN && staged.contains(hex)) {
                return; // being stored by this import already
            }
            boolean mine = claim == Claim.FIRST_MINE;
            if (store.objects().has(hex)) {
                return;
            }
            ObjectStore.Staged s = store.objects().stage(in, hex, expectedSize, false);
            staged.add(hex);
            flusher().submit(s);
            if (mine) {
                bytesWritten.addAndGet(expectedSize);
            }
        } finally {
            finishing.readLock().unlock();
        }
    }

    /** What {@link #claim} found: the first sight of an object, journalled as this import's or another's; or seen before. */
    private enum Claim { FIRST_MINE, FIRST_NOT_MINE, SEEN }

    /**
     * Journals {@code hex} the first time this import sees it (an object the journal gives to this import is one it
     * writes and may give back on abort).
     */
    private Claim claim(String hex) {
        if (!claimed.add(hex)) {
            return Claim.SEEN;
        }
        boolean mine;
        try {
            mine = journal.claim(id, hex);
        } catch (RuntimeException e) {
            claimed.remove(hex);
            throw e;
        }
        if (mine) {
            written.add(hex);
        }
        return mine ? Claim.FIRST_MINE : Claim.FIRST_NOT_MINE;
    }

    /**
     * Waits until every object {@link #putChecked} took is synced, in place, and its directory synced.
     *
     * @throws StoreFullException if the disk filled up while one was written
     * @throws StoreException     the first failure of any of them
     */
    public void awaitDurable() {
        ObjectFlusher f;
        synchronized (this) {
            f = flusher;
        }
        if (f != null) {
            f.awaitDurable();
        }
    }

    private synchronized ObjectFlusher flusher() {
        if (flusher == null) {
            flusher = new ObjectFlusher(store.objects(), id);
        }
        return flusher;
    }

    /** Waits for background writes (whatever their outcome) and stops their threads. */
    private void closeFlusher() {
        ObjectFlusher f;
        synchronized (this) {
            f = flusher;
        }
        if (f != null) {
            f.close();
        }
    }

    /** Objects this import wrote (absent before), so far. */
    public int objectsWritten() {
        return written.size();
    }

    /** Bytes of the objects this import wrote, so far. */
    public long bytesWritten() {
        return bytesWritten.get();
    }

    /**
     * Commits the import: {@link Store#commitImport} under the trust gate's channel {@code policy}, then deletes objects this import wrote that the catalog
     * does not reference (a failure there is logged and left to the next open).
     *
     * @throws ImportRefusedException as {@link Store#commitImport}; the import stays open (abort it)
     * @throws StoreFullException     if the catalog cannot grow; the import stays open (abort it)
     * @throws StoreException         as {@link Store#commitImport}, or if this import is no longer open
     */
    public <R extends CatalogWrite.Result> R commit(ImportRecord<R> rec, ChannelPolicy policy) {
        finishing.writeLock().lock();
        try {
            requireOpen();
            awaitDurable();
            R outcome = store.commitImport(rec, policy);
            CrashPoints.reached("store.committed");
            state = State.COMMITTED;
            closeFlusher();
            store.afterCommit.run();
            store.finish(this, claimed);
            return outcome;
        } finally {
            finishing.writeLock().unlock();
        }
    }

    /** For tests: commits under the default channel policy of a trust store. */
    <R extends CatalogWrite.Result> R commit(ImportRecord<R> rec) {
        return commit(rec, new ChannelPolicy(ferry.format.trust.TrustPolicy.DEFAULT_MAX_SEQUENCE_JUMP));
    }

    /**
     * Gives back what this import wrote: deletes the objects it wrote that no committed bundle references and
     * no other running import uses. Does nothing after a commit or a first abort.
     *
     * @return how many objects were deleted
     * @throws StoreException if an object or the journal cannot be updated; the next {@link Store#open} retries
     */
    public int abort() {
        finishing.writeLock().lock();
        try {
            if (state != State.OPEN) {
                return 0;
            }
            state = State.ABORTED;
            closeFlusher(); // nothing may be renamed into place after the journal is cleaned
            return store.abort(this, claimed);
        } finally {
            finishing.writeLock().unlock();
        }
    }

    /** Leaves the journal for a later {@link Store#collectGarbage}: for the store's own session on close. */
    void detach() {
        finishing.writeLock().lock();
        try {
            if (state == State.OPEN) {
                state = State.ABORTED;
                closeFlusher();
                journal.detach(id, claimed);
            }
        } finally {
            finishing.writeLock().unlock();
        }
    }

    /** {@link #abort()} unless committed. */
    @Override
    public void close() {
        abort();
    }

    private void requireOpen() {
        if (state != State.OPEN) {
            throw new StoreException("import " + id + " is already " + state.name().toLowerCase(java.util.Locale.ROOT));
        }
    }
}
