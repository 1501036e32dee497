package ferry.importer;

import java.util.List;

/**
 * What importing a bundle would change, found without changing anything ({@link Importer#dryRun}). Serializes with a
 * plain Jackson {@code ObjectMapper} for {@code ferry import --dry-run --json}.
 *
 * @param bundleId         the bundle's id
 * @param channel          its channel
 * @param sequence         its sequence number
 * @param baseSequence     the sequence it builds on, or null for a full bundle
 * @param verdict          the channel rule's verdict with the store's history ({@code ACCEPT}, {@code REPLAY},
 *                         {@code MISSING_BASE}, {@code ALREADY_IMPORTED}, ...)
 * @param message          the channel rule's reason
 * @param updatesAdded     updates (WSUS update revisions) the store does not hold in any revision
 * @param updatesReplaced  updates the store holds in another revision: this revision would be added beside it
 * @param updatesUnchanged revisions the store holds already
 * @param filesAdded       files (content objects) the store does not hold
 * @param filesUnchanged   files the store holds already
 * @param bytesAdded       bytes the import would copy into the store
 * @param changes          one line per update or file added or replaced, e.g. {@code add update 3f2e…/201},
 *                         {@code replace update 3f2e…/201 (stored 200)}, {@code add file wsus/content/… (150000 bytes)}
 * @param overrides        overrides that would admit the bundle (e.g. an expired bundle with --allow-expired)
 */
public record DryRun(String bundleId, String channel, long sequence, Long baseSequence, String verdict, String message,
                     int updatesAdded, int updatesReplaced, int updatesUnchanged, int filesAdded, int filesUnchanged,
                     long bytesAdded, List<String> changes, List<String> overrides) {
    public DryRun {
        changes = List.copyOf(changes);
        overrides = List.copyOf(overrides);
    }

    /** Whether the import would change the store (accepted and something new). */
    public boolean wouldChange() {
        return ("ACCEPT".equals(verdict) || "RESET".equals(verdict));
    }
}
