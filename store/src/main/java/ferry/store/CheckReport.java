package ferry.store;

import java.util.List;

/**
 * What {@link Store#check} found. The store is consistent when every list is empty.
 *
 * @param objects       objects found under {@code objects/} (after quarantining damaged ones: before)
 * @param objectBytes   their total size, in bytes
 * @param referenced    distinct objects the catalog references
 * @param rehashed      whether every object's content was hashed again
 * @param bytesHashed   bytes read to rehash
 * @param missing       objects the catalog references that are not in the store (deleted, or quarantined as
 *                      damaged), sorted by SHA-256; they cannot be served
 * @param damaged       objects found damaged by this check (wrong size for their catalog row, or content whose
 *                      SHA-256 is not their name), sorted; each was moved to {@code quarantine/} and is no
 *                      longer served
 * @param unreferenced  SHA-256 of objects no catalog row references and no import journal accounts for
 *                      (put there by hand, or kept after a power loss), sorted; kept (ferry never deletes what
 *                      it cannot account for)
 * @param strays        paths (relative to the store directory) under {@code objects/} that are not objects
 * @param unfinished    SHA-256 of unreferenced objects that imports which have not finished wrote, sorted: in use
 *                      by a running import, or given back after the next commit ({@link Store#collectGarbage});
 *                      not a problem
 */
public record CheckReport(long objects, long objectBytes, long referenced, boolean rehashed, long bytesHashed,
                          List<Problem> missing, List<Problem> damaged, List<String> unreferenced,
                          List<String> strays, List<String> unfinished) {
    public CheckReport {
        unfinished = List.copyOf(unfinished);
        missing = List.copyOf(missing);
        damaged = List.copyOf(damaged);
        unreferenced = List.copyOf(unreferenced);
        strays = List.copyOf(strays);
    }

    /**
     * One object with a problem.
     *
     * @param sha256 the object's name (64 lower-case hex digits)
     * @param detail what is wrong and what in the catalog uses it, one line
     */
    public record Problem(String sha256, String detail) {
    }

    /** Whether the catalog and the objects agree and no object is damaged. */
    public boolean consistent() {
        return missing.isEmpty() && damaged.isEmpty() && unreferenced.isEmpty() && strays.isEmpty();
    }
}
