package ferry.importer;

import ferry.format.Entry;
import ferry.store.PendingImport;
import ferry.store.Store;
import ferry.store.StoreException;
import ferry.verifier.EntrySink;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Copies the entries the trust gate hands out while it hashes them into the store, on a second thread: the gate's
 * thread reads the volume and computes the volume's and entries' SHA-256, this one computes each entry's SHA-1 and
 * lets the store write the object (which it syncs in the background, without hashing it again: the stream ends only
 * when the gate matched the very bytes it handed over). So an import uses both cores and reads each volume byte once.
 *
 * <p>Entries arrive one after another (the gate finishes one before it begins the next), so one bounded queue of
 * chunks carries them all: at most {@value #QUEUE_CHUNKS} chunks of at most 1 MiB are in flight. An entry whose bytes
 * the gate found wrong is ended unmatched: its stream then fails before end of file, so the store discards the
 * staged file and nothing of it is ever visible.
 *
 * <p>Objects go through the store's {@link PendingImport}, so the store can give back what this import wrote if it
 * does not commit, even after a crash. The first failure of the store (disk full, I/O error) stops the gate at its next call.
 */
final class StoreSink implements EntrySink, AutoCloseable {
    static final int QUEUE_CHUNKS = 16;

    /** A piece of the stream between the two threads. */
    private record Chunk(Entry begin, byte[] data, int length, Boolean matched) {
        static final Chunk STOP = new Chunk(null, null, 0, null);
    }

    private final Store store;
    private final PendingImport pending;
    private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUE_CHUNKS);
    // Chunk buffers go round between the threads instead of being allocated per chunk: the gate hands over 1 MiB
    // pieces, which G1 allocates as humongous objects in a small heap, so a fresh array per piece meant a GC cycle
    // every few MiB (docs/benchmarks.md, import). The queue, the piece being written and one being filled: never
    // more in use at once.
    static final int POOLED_BUFFER_BYTES = 1 << 20;
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(QUEUE_CHUNKS + 2);
    private final Thread worker;
    private final List<String> sha1Mismatches = new ArrayList<>();
    private volatile Throwable failure;
    private int reused;
    private long reusedBytes;
    private int copied;
    private long copiedBytes;

    /** Writes through {@code pending}, which records every object in the store's import journal first. */
    StoreSink(Store store, PendingImport pending) {
        this.store = store;
        this.pending = pending;
        this.worker = new Thread(this::drain, "ferry-import-writer");
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public EntryCopy begin(Entry entry) throws IOException {
        checkFailure();
        if (store.hasObject(entry.sha256())) {
            synchronized (this) {
                reused++;
                reusedBytes += entry.size();
            }
            return null;
        }
        put(new Chunk(entry, null, 0, null));
        return new EntryCopy() {
            @Override
            public void write(byte[] buf, int off, int len) throws IOException {
                checkFailure();
                byte[] data = len <= POOLED_BUFFER_BYTES ? buffer() : new byte[len];
                System.arraycopy(buf, off, data, 0, len);
                put(new Chunk(null, data, len, null));
            }

            @Override
            public void end(boolean matched) throws IOException {
                put(new Chunk(null, null, 0, matched));
            }
        };
    }

    /**
     * Waits until every entry handed over is written (or failed) and durable in the store, and stops the worker.
     *
     * @throws IOException the store's first failure, if any
     */
    void finish() throws IOException {
        put(Chunk.STOP);
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the store was writing", e);
        }
        checkFailure();
        try {
            pending.awaitDurable();
        } catch (StoreException e) {
            failure = e;
            checkFailure();
        }
    }

    /** Stops the worker without waiting for anything; idempotent. */
    @Override
    public void close() {
        worker.interrupt();
    }

    /** Entries whose content's SHA-1 differs from the manifest's, as "path: detail". */
    synchronized List<String> sha1Mismatches() {
        return List.copyOf(sha1Mismatches);
    }

    synchronized int copied() {
        return copied;
    }

    synchronized long copiedBytes() {
        return copiedBytes;
    }

    synchronized int reused() {
        return reused;
    }

    synchronized long reusedBytes() {
        return reusedBytes;
    }

    /** The store's first failure, or null. */
    Throwable failure() {
        return failure;
    }

    private void checkFailure() throws IOException {
        Throwable f = failure;
        if (f != null) {
            throw new IOException("the store failed: " + f.getMessage(), f);
        }
    }

    /**
     * A buffer the writer gave back, or a new one. Never waits for one: the bounded queue already limits how many
     * are in flight, and a buffer the writer did not give back (an entry it skipped after a failure) must not stall
     * the gate.
     */
    private byte[] buffer() {
        byte[] b = free.poll();
        return b != null ? b : new byte[POOLED_BUFFER_BYTES];
    }

    /** Gives a chunk's buffer back to the pool, if it has room (other sizes are left to the collector). */
    private void recycle(Chunk c) {
        if (c != null && c.data() != null && c.data().length == POOLED_BUFFER_BYTES) {
            free.offer(c.data());
        }
    }

    private void put(Chunk c) throws IOException {
        try {
            while (!queue.offer(c, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                if (!worker.isAlive()) {
                    throw new IOException("the store's writer stopped", failure);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private void drain() {
        try {
            for (Chunk c = queue.take(); c != Chunk.STOP; c = queue.take()) {
                if (c.begin() != null) {
                    write(c.begin());
                }
                // Stray data or ends belong to an entry whose write already stopped: skip to the next begin.
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes one entry from the queue, consuming it up to its end marker whatever happens. */
    private void write(Entry e) throws InterruptedException {
        EntryStream in = new EntryStream();
        try {
            if (failure == null) {
                // The gate hashed these very bytes: the stream ends only when it matched them, so the store
                // need not hash them again, and it syncs them in the background.
                pending.putChecked(in, e.sha256(), e.size());
                in.transferTo(OutputStream.nullOutputStream()); // an object already stored was not read
                synchronized (this) {
                    copied++;
                    copiedBytes += e.size();
                }
                String sha1 = HexFormat.of().formatHex(in.sha1.digest());
                if (!sha1.equals(e.sha1())) {
                    synchronized (this) {
                        sha1Mismatches.add(e.path() + ": content has SHA-1 " + sha1 + ", the manifest says " + e.sha1());
                    }
                }
            }
        } catch (IOException ex) {
            if (!in.unmatched) {
                failure = ex;
            }
        } catch (StoreException ex) {
            if (!in.unmatched) {
                failure = ex; // the store's own failure, not the gate refusing the bytes
            }
        } catch (RuntimeException ex) {
            failure = ex;
        }
        in.drainToEnd();
    }

    /** The current entry's bytes as the store reads them; fails if the gate ends the entry unmatched. */
    private final class EntryStream extends InputStream {
        final MessageDigest sha1 = sha1();
        Chunk current;
        int pos;
        boolean ended;
        boolean unmatched;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (current == null || pos == current.length()) {
                if (ended) {
                    return -1;
                }
                recycle(current);
                current = null;
                Chunk c = take();
                if (c.matched() != null) {
                    ended = true;
                    if (!c.matched()) {
                        unmatched = true;
                        throw new IOException("the bundle's bytes for this entry did not match the manifest");
                    }
                    return -1;
                }
                current = c;
                pos = 0;
            }
            int n = Math.min(len, current.length() - pos);
            System.arraycopy(current.data(), pos, b, off, n);
            sha1.update(current.data(), pos, n);
            pos += n;
            return n;
        }

        void drainToEnd() throws InterruptedException {
            recycle(current);
            current = null;
            while (!ended) {
                Chunk c = queue.take();
                recycle(c);
                if (c.matched() != null) {
                    ended = true;
                    unmatched = !c.matched();
                } else if (c == Chunk.STOP || c.begin() != null) {
                    // cannot happen: the gate ends every entry it began before the next begins
                    throw new IllegalStateException("entry stream out of order");
                }
            }
        }

        private Chunk take() throws IOException {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by the Java platform", e);
        }
    }
}
