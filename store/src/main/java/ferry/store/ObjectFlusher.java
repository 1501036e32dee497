package ferry.store;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Makes one import's staged objects durable in the background ({@link ObjectStore#place}: sync the file, rename it
 * into place), so the thread that writes them never waits for the disk, and syncs each object directory once
 * before the commit instead of once per object. Several syncs run at once: the file system commits them together
 * (an import of 25,000 small metadata objects made 50,000 sequential syncs before).
 *
 * <p>At most {@value #IN_FLIGHT} objects are staged and not yet placed (each holds an open file). The first
 * failure is kept; later objects are discarded and {@link #submit} and {@link #awaitDurable} throw it.
 */
final class ObjectFlusher {
    /**
     * Syncs that run at once. A journaling file system commits the syncs waiting at the same moment together, so
     * on a slow or busy disk the wall time of an import of many objects falls with more of them (the threads
     * mostly wait on the disk and cost no CPU).
     */
    static final int THREADS = 16;
    static final int IN_FLIGHT = 64;

    private final ObjectStore objects;
    private final ExecutorService pool;
    private final Semaphore slots = new Semaphore(IN_FLIGHT);
    private final Set<Path> dirtyDirectories = ConcurrentHashMap.newKeySet();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

    ObjectFlusher(ObjectStore objects, String importId) {
        this.objects = objects;
        this.pool = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "ferry-store-sync-" + importId.substring(0, 8));
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Hands a staged object over to be placed; waits while {@value #IN_FLIGHT} are in flight.
     *
     * @throws StoreException the first failure of an earlier object (then {@code s} is discarded)
     */
    void submit(ObjectStore.Staged s) {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            objects.discard(s);
            throw new StoreException("object " + s.hex + ": interrupted while waiting to store it", e);
        }
        try {
            throwFailure();
            pool.execute(() -> {
                try {
                    if (failure.get() != null) {
                        objects.discard(s);
                        return;
                    }
                    Path dir = s.target.getParent();
                    if (objects.place(s)) {
                        dirtyDirectories.add(dir.getParent()); // the new directory's own name
                    }
                    dirtyDirectories.add(dir);
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                } finally {
                    slots.release();
                }
            });
        } catch (RuntimeException e) {
            slots.release();
            objects.discard(s);
            throw e;
        }
    }

    /**
     * Waits for every object handed over, then syncs the directories they were renamed into: afterwards every
     * placed object survives a power loss under its name.
     *
     * @throws StoreException the first failure of any object (objects placed before it stay, as the journal's)
     */
    void awaitDurable() {
        drain();
        throwFailure();
        Set<Path> dirs = Set.copyOf(dirtyDirectories);
        for (Path dir : dirs) {
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("interrupted while syncing " + dir, e);
            }
            pool.execute(() -> {
                try {
                    ObjectStore.syncDirectory(dir);
                } finally {
                    slots.release();
                }
            });
        }
        drain();
        dirtyDirectories.removeAll(dirs);
    }

    /** Waits for what is in flight (ignoring failures) and stops the threads; idempotent. */
    void close() {
        drainQuietly();
        pool.shutdown();
    }

    /** Waits until nothing is in flight. */
    private void drain() {
        try {
            slots.acquire(IN_FLIGHT);
            slots.release(IN_FLIGHT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while objects were being synced to disk", e);
        }
    }

    private void drainQuietly() {
        slots.acquireUninterruptibly(IN_FLIGHT);
        slots.release(IN_FLIGHT);
    }

    private void throwFailure() {
        RuntimeException f = failure.get();
        if (f != null) {
            throw f;
        }
    }
}
