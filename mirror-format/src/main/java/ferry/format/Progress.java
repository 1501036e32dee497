package ferry.format;

/**
 * Receives progress of long operations (writing, verifying) measured in bytes.
 *
 * <p>Calls come from the thread doing the work, in the order {@code begin}, any number of {@code advance},
 * {@code end}; tasks do not nest. {@code info} may come at any time. Implementations must be cheap:
 * {@code advance} is called for every buffer copied (typically every 64 KiB to 1 MiB).
 */
public interface Progress {

    /** Discards everything. */
    Progress NONE = new Progress() {
        @Override public void begin(String task, long totalBytes) { }
        @Override public void advance(long bytes) { }
        @Override public void end() { }
        @Override public void info(String line) { }
    };

    /**
     * Starts a task.
     *
     * @param task short human-readable name, e.g. {@code "verify volume-0002.tar"}
     * @param totalBytes bytes the task will process, or {@code -1} when unknown
     */
    void begin(String task, long totalBytes);

    /** Reports {@code bytes} more bytes processed (a delta, not a total; never negative). */
    void advance(long bytes);

    /** Ends the current task. */
    void end();

    /** A one-line note for the operator (no trailing newline). */
    void info(String line);
}
