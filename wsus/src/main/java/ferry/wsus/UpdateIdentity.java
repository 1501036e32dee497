package ferry.wsus;

import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * One revision of one update: {@code UpdateIdentity/@UpdateID} (a GUID) and {@code @RevisionNumber}.
 * Source: MS-WSUSSS 2.2.4.1 (UpdateIdentity complex type) and the update metadata schema.
 *
 * @param updateId       the update GUID, normalised to lower case, 36 characters
 * @param revisionNumber the revision, {@code >= 0}
 */
public record UpdateIdentity(String updateId, int revisionNumber) implements Comparable<UpdateIdentity> {

    /** @throws IllegalArgumentException if {@code updateId} is not a GUID or the revision is negative */
    public UpdateIdentity {
        Objects.requireNonNull(updateId, "updateId");
        try {
            updateId = UUID.fromString(updateId).toString().toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("UpdateID is not a GUID: " + abbreviate(updateId));
        }
        if (updateId.length() != 36) {
            throw new IllegalArgumentException("UpdateID is not a GUID: " + abbreviate(updateId));
        }
        if (revisionNumber < 0) {
            throw new IllegalArgumentException("RevisionNumber is negative: " + revisionNumber);
        }
    }

    @Override
    public int compareTo(UpdateIdentity o) {
        int c = updateId.compareTo(o.updateId);
        return c != 0 ? c : Integer.compare(revisionNumber, o.revisionNumber);
    }

    /** {@code <updateId>-r<revision>}, the form used in file names and messages. */
    @Override
    public String toString() {
        return updateId + "-r" + revisionNumber;
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
