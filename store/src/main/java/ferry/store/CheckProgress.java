package ferry.store;

/** Progress of {@link Store#check}: one task, counted in bytes hashed. Called from the checking thread. */
public interface CheckProgress {
    /** Reports nothing. */
    CheckProgress NONE = new CheckProgress() {
    };

    /** Hashing begins: {@code totalBytes} will be read (0 without rehashing). */
    default void begin(long totalBytes) {
    }

    /** {@code bytes} more were read. */
    default void advance(long bytes) {
    }

    /** The check is over. */
    default void end() {
    }
}
