package ferry.server;

import ferry.store.Store;
import ferry.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Notices imports committed into a served store, in this process or by {@code ferry import} in another, and changes
 * made outside imports (approvals by {@code ferry approve}, {@link Store#change}), by polling {@link Store#changes()}
 * (one cheap query) every {@link #INTERVAL}, and then runs the listeners: the hook for
 * anything a serving half caches from the catalog (answers read through {@link Store#read} need none: each sees the
 * committed state of its moment). A cache must never hold a "not found" across a commit longer than this interval
 * plus its own refresh.
 *
 * <p>Listeners run on the watch's one daemon thread, one after another; one that throws is logged and the others
 * still run.
 */
public final class CommitWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CommitWatch.class);
    /** How often the store is asked. */
    public static final Duration INTERVAL = Duration.ofMillis(200);

    private final Store store;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer;
    private volatile long imports;
    private volatile long changes;

    private CommitWatch(Store store) {
        this.store = store;
        this.imports = store.imports();
        this.changes = store.changes();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ferry-commit-watch");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts watching {@code store}.
     *
     * @throws StoreException if the store cannot be read
     */
    static CommitWatch start(Store store) {
        CommitWatch w = new CommitWatch(store);
        w.timer.scheduleWithFixedDelay(w::poll, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return w;
    }

    /**
     * Runs {@code listener} after each commit this watch notices, an import's or another change's (several commits
     * between polls: once).
     */
    public void onCommit(Runnable listener) {
        listeners.add(listener);
    }

    /** How many bundles the store held at the last poll. */
    public long imports() {
        return imports;
    }

    /** How many times the catalog had changed at the last poll ({@link Store#changes()}). */
    public long changes() {
        return changes;
    }

    void poll() {
        long now;
        long bundles;
        try {
            now = store.changes();
            bundles = now == changes ? imports : store.imports();
        } catch (StoreException e) {
            LOG.warn("cannot read the store's change count: {}", e.getMessage());
            return;
        }
        if (now == changes) {
            return;
        }
        changes = now;
        if (bundles != imports) {
            imports = bundles;
            LOG.info("store {}: {} bundle(s) imported now; refreshing what the server keeps", store.directory(), bundles);
        } else {
            LOG.info("store {}: the catalog changed (approvals or groups); refreshing what the server keeps",
                    store.directory());
        }
        for (Runnable l : listeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                LOG.warn("a commit listener failed: {}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
