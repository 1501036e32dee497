package ferry.importer;

import ferry.format.Entry;
import ferry.format.Manifest;
import ferry.store.Store;
import ferry.verifier.ChannelPolicy;
import ferry.wsus.catalog.WsusCatalog;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Counts what a bundle's entries would add to a store, by reading the store only. */
final class DryRunPlan {
    /** Most change lines listed; the counts cover everything. */
    static final int MAX_LINES = 1000;

    private DryRunPlan() { }

    /**
     * @param store the catalog to compare with, or null when there is none yet (everything is new)
     * @param held  whether the store holds the object with this SHA-256
     */
    static DryRun of(Manifest m, ChannelPolicy.Decision d, Store store, java.util.function.Predicate<String> held,
                     List<String> overrides) {
        WsusCatalog wsus = store == null ? null : new WsusCatalog(store);
        int added = 0;
        int replaced = 0;
        int unchanged = 0;
        int filesAdded = 0;
        int filesUnchanged = 0;
        long bytes = 0;
        List<String> lines = new ArrayList<>();
        Set<String> counted = new HashSet<>();
        for (Entry e : m.entries()) {
            String kind = e.source().getOrDefault("kind", "");
            if (kind.equals("wsus-metadata")) {
                String id = e.source().get("updateId");
                int rev = Integer.parseInt(e.source().get("revisionNumber"));
                if (wsus != null && wsus.revision(id, rev).isPresent()) {
                    unchanged++;
                    continue;
                }
                Optional<Integer> stored = wsus == null ? Optional.empty() : wsus.latestRevisionNumber(id);
                if (stored.isPresent()) {
                    replaced++;
                    line(lines, "replace update " + id + "/" + rev + " (stored " + stored.get() + ")");
                } else {
                    added++;
                    line(lines, "add update " + id + "/" + rev);
                }
            }
            if (kind.equals(ferry.wsus.catalog.ApprovalSet.KIND)) {
                // the counts are the manifest's (signed); the import checks them against the set itself
                line(lines, "apply the approval set " + e.path() + " in place of the channel's earlier bundle-carried"
                        + " approvals: " + e.source().getOrDefault("approvals", "?") + " approval(s), "
                        + e.source().getOrDefault("declines", "?") + " decline(s), "
                        + e.source().getOrDefault("rules", "?") + " rule(s), "
                        + e.source().getOrDefault("groups", "?") + " group(s); local approvals are kept");
                if (counted.add(e.sha256()) && !held.test(e.sha256())) {
                    bytes += e.size();
                }
                continue;
            }
            if (!counted.add(e.sha256())) {
                continue;
            }
            boolean present = held.test(e.sha256());
            if (!kind.equals("wsus-metadata")) {
                if (present) {
                    filesUnchanged++;
                } else {
                    filesAdded++;
                    line(lines, "add file " + e.path() + " (" + e.size() + " bytes)");
                }
            }
            if (!present) {
                bytes += e.size();
            }
        }
        return new DryRun(m.bundleId().toString(), m.channel(), m.sequence(), m.baseSequence(), d.verdict().name(),
                d.message(), added, replaced, unchanged, filesAdded, filesUnchanged, bytes, lines, overrides);
    }

    private static void line(List<String> lines, String l) {
        if (lines.size() < MAX_LINES) {
            lines.add(l);
        }
    }
}
