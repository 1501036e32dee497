package ferry.wsus.catalog;

import ferry.store.Ids;
import ferry.store.Store;
import ferry.store.StoreException;
import ferry.wsus.UpdateIdentity;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The WSUS source's view of a store: update revisions and update files as imported ({@link WsusTables}), read
 * through {@link Store#read}, so each method sees one committed state. The store must have been opened with
 * {@link WsusTables#INSTANCE}.
 *
 * <p>SHA-1 arguments are 40 hex digits in either case, update ids GUIDs in either case; results use lower-case
 * SHA-256 and update ids, upper-case SHA-1. Sizes are in bytes. Thread-safe, as {@link Store} is. Every method
 * throws {@link StoreException} with a one-line message on a database error or a malformed argument.
 */
public final class WsusCatalog {
    private final Store store;
    // the updates that bundle anything, as of a catalog state (WsusQueries.bundlingState); a serving catalog keeps
    // it between listings
    private volatile Bundling bundling;

    public WsusCatalog(Store store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** The store this reads. */
    public Store store() {
        return store;
    }

    /**
     * The highest change number of any stored revision (0 for an empty store); every revision gets the next one
     * when it is imported. Read it before {@link #latestRevisions} to hand out as the next anchor: an import
     * committing in between is then reported again next time rather than missed.
     */
    public long currentChangeNumber() {
        return store.read(WsusQueries::currentChangeNumber);
    }

    /**
     * The latest revision of each update that matches, ordered by change number.
     *
     * <p>{@code config = true} selects categories and detectoids, {@code false} software and driver updates.
     * An update matches when its latest revision's change number is above {@code sinceChangeNumber}, and, if
     * {@code productIds} is not empty, one of its categories is one of them (a category the store knows as a
     * classification does not count as a product), and, if {@code classificationIds} is not empty, one of its
     * categories is one of those (a category the store knows as anything other than a classification does not
     * count). Empty sets do not filter.
     */
    public List<UpdateIdentity> latestRevisions(boolean config, Set<String> productIds, Set<String> classificationIds,
                                                long sinceChangeNumber) {
        Set<String> products = guids(productIds, "product");
        Set<String> classifications = guids(classificationIds, "classification");
        return store.read(c -> WsusQueries.latestRevisions(c, config, products, classifications, sinceChangeNumber));
    }

    /**
     * Every revision a listing without category filters names, in one committed state, each handed to {@code sink}
     * as it is read (never the whole list in memory): the latest revision of each update of the types
     * ({@code config} as in {@link #latestRevisions}) whose change number is above {@code sinceChangeNumber}, then
     * the stored revisions those bundle, transitively, that are not listed by themselves.
     *
     * @param sink called once per revision, inside the read; what it throws ends the read and is thrown here
     */
    public void forEachUnfilteredRevision(boolean config, long sinceChangeNumber,
                                          java.util.function.Consumer<UpdateIdentity> sink) {
        store.read(c -> {
            WsusQueries.forEachUnfiltered(c, config, sinceChangeNumber, sink);
            return null;
        });
    }

    /**
     * The highest change number among the revisions the named bundles brought (0 when they brought none): the
     * store's change number right after the last of them was imported, since imports run one at a time.
     *
     * @param bundleIds bundle ids as in {@link ferry.store.BundleInfo#bundleId()}
     */
    public long highestChangeNumber(Collection<String> bundleIds) {
        if (bundleIds.isEmpty()) {
            return 0;
        }
        List<String> ids = List.copyOf(bundleIds);
        return store.read(c -> WsusQueries.highestChangeNumber(c, ids));
    }

    /** True when the store holds at least one update file (a metadata-only store holds none). */
    public boolean holdsFiles() {
        return store.read(WsusQueries::holdsFiles);
    }

    /**
     * The bundled updates ({@code BundledUpdates}) of all the given revisions that the store holds, each once, in no
     * particular order; revisions not stored or bundling nothing contribute nothing. One query per 1,000 revisions.
     */
    public List<UpdateIdentity> storedBundledUpdates(Collection<UpdateIdentity> revisions) {
        if (revisions.isEmpty()) {
            return List.of();
        }
        return store.read(c -> WsusQueries.storedBundledUpdates(c, bundlingUpdates(c), refs(revisions)));
    }

    /**
     * Reads now which updates bundle anything, which {@link #storedBundledUpdates} otherwise reads the first time it
     * is asked after start or after an import (one walk over the bundle rows: 141,370 at 500,000 revisions, about a
     * second of CPU in a JVM that has not compiled H2's code yet).
     */
    public void prepareListings() {
        store.read(this::bundlingUpdates);
    }

    /** The updates that bundle anything in the state {@code c} sees, kept until an import changes it. */
    private Set<String> bundlingUpdates(Connection c) throws SQLException {
        String state = WsusQueries.bundlingState(c);
        Bundling kept = bundling;
        if (kept != null && kept.state().equals(state)) {
            return kept.updateIds();
        }
        Set<String> ids = WsusQueries.bundlingUpdates(c);
        bundling = new Bundling(state, ids);
        return ids;
    }

    private record Bundling(String state, Set<String> updateIds) {
    }

    /**
     * A stored revision as GetUpdateData serves it.
     *
     * @param metadataSha256 SHA-256 of the object holding its update metadata (UTF-8 XML); null when {@code document}
     *                       holds a cabinet and a file list, everything GetUpdateData sends (ask
     *                       {@link #metadataSha256(String, int)} for it then)
     * @param files          the stored files linked to it, by file name (empty for a metadata-only import)
     * @param document       its cabinet and the files its metadata names as the import made them, or null for a
     *                       revision imported before catalog format 5 (derive them from the metadata)
     */
    public record ServedRevision(String metadataSha256, List<FileRecord> files, ServedDocument document) {
        public ServedRevision {
            files = List.copyOf(files);
        }

        /** A revision without a stored {@link ServedDocument}. */
        public ServedRevision(String metadataSha256, List<FileRecord> files) {
            this(metadataSha256, files, null);
        }
    }

    /**
     * The given revisions that are stored, with their metadata object, files and served document, read in one
     * committed state (an import committing meanwhile is seen entirely or not at all); revisions not stored are
     * absent from the map.
     *
     * @throws IllegalStateException if a stored file list is malformed (the catalog was damaged)
     */
    public Map<UpdateIdentity, ServedRevision> servedRevisions(Collection<UpdateIdentity> revisions) {
        if (revisions.isEmpty()) {
            return Map.of();
        }
        List<UpdateIdentity> refs = refs(revisions);
        return store.read(c -> {
            Map<UpdateIdentity, WsusQueries.ServedRow> rows = WsusQueries.servedRows(c, refs);
            Map<UpdateIdentity, List<FileRecord>> files = WsusQueries.files(c, rows.keySet());
            Map<UpdateIdentity, ServedRevision> out = new HashMap<>();
            rows.forEach((ref, row) -> out.put(ref,
                    new ServedRevision(row.metadataSha256(), files.getOrDefault(ref, List.of()), row.document())));
            return out;
        });
    }

    /** The highest stored revision number of the update, if any. */
    public Optional<Integer> latestRevisionNumber(String updateId) {
        String id = Ids.guid(updateId, "update");
        return store.read(c -> Optional.ofNullable(WsusQueries.latestRevisionNumber(c, id)));
    }

    /** SHA-256 of the object holding the revision's update metadata (UTF-8 XML), if the revision is stored. */
    public Optional<String> metadataSha256(String updateId, int revisionNumber) {
        UpdateIdentity ref = ref(updateId, revisionNumber);
        return store.read(c -> WsusQueries.metadataSha256(c, ref));
    }

    /** The stored revision with all its relations (lists sorted), if stored. */
    public Optional<RevisionRecord> revision(String updateId, int revisionNumber) {
        UpdateIdentity ref = ref(updateId, revisionNumber);
        return store.read(c -> WsusQueries.revision(c, ref));
    }

    /** The revision's files, by file name; empty if it has none or is not stored. */
    public List<FileRecord> files(String updateId, int revisionNumber) {
        UpdateIdentity ref = ref(updateId, revisionNumber);
        return store.read(c -> WsusQueries.files(c, ref));
    }

    /** The file with this SHA-1 (40 hex digits, either case), if stored. */
    public Optional<FileRecord> fileBySha1(String sha1Hex) {
        String sha1 = Ids.sha1(sha1Hex, "file");
        return store.read(c -> WsusQueries.fileBySha1(c, sha1));
    }

    /**
     * Which of these files the store holds, in one committed state.
     *
     * @param sha1Hex SHA-1s (40 hex digits, either case)
     * @return the upper-case SHA-1s of those the store holds
     * @throws StoreException if one is not a SHA-1
     */
    public Set<String> storedFiles(Collection<String> sha1Hex) {
        List<String> sha1s = new ArrayList<>(sha1Hex.size());
        for (String s : sha1Hex) {
            sha1s.add(Ids.sha1(s, "file"));
        }
        return store.read(c -> WsusQueries.storedFiles(c, sha1s));
    }

    // ---- approvals, computer groups, declined updates (migration V3, written by WsusAdministration) ----

    /** Every computer group: "All Computers" first, then "Unassigned Computers", then by name. */
    public List<TargetGroup> groups() {
        return store.read(ApprovalQueries::groups);
    }

    /**
     * The approvals that apply to a computer in {@code groupIds}, by lower-case update id, read in one committed
     * state: approvals for those groups and for every group above them (so "All Computers" always counts), of updates
     * the store holds and no one declined, each for the update's latest stored revision ({@link Approval#revisionNumber}).
     * Where several groups approve an update, Install wins over Uninstall, then the earliest deadline, then the older
     * deployment. Unknown group ids are ignored; an empty set means "Unassigned Computers" alone, where WSUS puts a
     * computer that names no group.
     *
     * @param groupIds group ids (GUIDs, either case), e.g. of the groups a client names (client-side targeting)
     */
    public Map<String, Approval> deployments(Set<String> groupIds) {
        Set<String> ids = new LinkedHashSet<>();
        for (String id : groupIds) {
            ids.add(id.trim().toLowerCase(java.util.Locale.ROOT));
        }
        if (ids.isEmpty()) {
            ids.add(TargetGroup.UNASSIGNED_COMPUTERS);
        }
        return store.read(c -> ApprovalQueries.effective(c, ids));
    }

    /** Declined update ids, lower-case, sorted: never offered to clients, never approved by a rule. */
    public Set<String> declined() {
        return java.util.Collections.unmodifiableSortedSet(store.read(ApprovalQueries::declined));
    }

    /**
     * What applies to a computer: {@code deployments} as {@link #deployments} gives them, {@code declined} as
     * {@link #declined}.
     */
    public record ComputerDecisions(Map<String, Approval> deployments, Set<String> declined) {
    }

    /**
     * The decisions that apply to a computer naming {@code groupNames} (its client-side targeting, matched to the
     * store's groups by name with case ignored; names of no group are ignored, and a computer left with none is in
     * "Unassigned Computers"), all read in one committed state: an import or an administration command committing
     * meanwhile (groups, approvals and declines together, e.g. a bundle's approval set) is seen entirely or not at all.
     */
    public ComputerDecisions decisions(Collection<String> groupNames) {
        return store.read(c -> {
            Map<String, String> byName = new java.util.HashMap<>();
            for (TargetGroup g : ApprovalQueries.groups(c)) {
                byName.put(g.name().toLowerCase(java.util.Locale.ROOT), g.id());
            }
            Set<String> ids = new LinkedHashSet<>();
            for (String name : groupNames) {
                String id = byName.get(name.trim().toLowerCase(java.util.Locale.ROOT));
                if (id != null) {
                    ids.add(id);
                }
            }
            if (ids.isEmpty()) {
                ids.add(TargetGroup.UNASSIGNED_COMPUTERS);
            }
            return new ComputerDecisions(ApprovalQueries.effective(c, ids),
                    java.util.Collections.unmodifiableSortedSet(ApprovalQueries.declined(c)));
        });
    }

    /**
     * Every approval, or those of one group, by group name then update id (also approvals of updates the store does
     * not hold yet: their revision number is null).
     *
     * @param group a group's name (case ignored) or id; null for every group
     * @throws ApprovalException if there is no such group
     */
    public List<Approval> approvals(String group) {
        return store.read(c -> ApprovalQueries.approvals(c, group == null ? null : ApprovalQueries.group(c, group).id()));
    }

    /** The automatic-approval rules, by name. */
    public List<ApprovalRule> rules() {
        return store.read(ApprovalQueries::rules);
    }

    /**
     * What GetDeployments answers a replica that last saw deployment counter {@code since} (0 for everything), in one
     * committed state.
     */
    public DeploymentChanges deploymentChanges(long since) {
        return store.read(c -> ApprovalQueries.changesSince(c, since));
    }

    private static List<UpdateIdentity> refs(Collection<UpdateIdentity> revisions) {
        List<UpdateIdentity> out = new ArrayList<>(revisions.size());
        for (UpdateIdentity r : revisions) {
            out.add(ref(r.updateId(), r.revisionNumber()));
        }
        return out;
    }

    private static UpdateIdentity ref(String updateId, int revisionNumber) {
        String id = Ids.guid(updateId, "update");
        if (revisionNumber < 0) {
            throw new StoreException("update " + id + ": revision number " + revisionNumber + " is negative");
        }
        return new UpdateIdentity(id, revisionNumber);
    }

    private static Set<String> guids(Set<String> ids, String what) {
        Set<String> out = new LinkedHashSet<>();
        if (ids != null) {
            for (String id : ids) {
                out.add(Ids.guid(id, what));
            }
        }
        return out;
    }
}
