package ferry.store;

import java.util.Objects;

/**
 * One revision of one update: the update id (a GUID; stored and returned in lower case) and its revision
 * number.
 */
public record RevisionRef(String updateId, int revisionNumber) {
    public RevisionRef {
        Objects.requireNonNull(updateId, "updateId");
    }

    @Override
    public String toString() {
        return updateId + "/" + revisionNumber;
    }
}
