package ferry.wsus.catalog;

import ferry.store.CatalogWrite;
import ferry.store.Ids;
import ferry.store.StoreException;
import ferry.wsus.UpdateIdentity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One bundle's update revisions and update files as rows of the WSUS tables, written in the store's import
 * transaction. Revisions the store already has are skipped (the stored one is kept); each new revision gets the
 * next change number, in bundle order. A revision lower than one already stored for the same update is recorded
 * (a bundled update may name it) but is never the update's latest revision, so it is never served in its place.
 *
 * <p>Everything is checked and put in its catalog spelling when the write is made ({@link #of}); {@link #write}
 * refuses, rolling the import back, a file whose SHA-256 differs from the stored one and a revision naming a file
 * that is neither in the bundle nor in the store.
 */
public final class WsusCatalogWrite implements CatalogWrite<WsusCatalogWrite.Result> {
    private static final Set<String> UPDATE_TYPES = Set.of("Software", "Driver", "Category", "Detectoid");
    private static final Set<String> CATEGORY_TYPES = Set.of("Company", "ProductFamily", "Product", "UpdateClassification");

    private final String what;
    private int filesNotCarried;
    private ApprovalSet approvals;
    private final Map<UpdateIdentity, Revision> revisions = new LinkedHashMap<>();
    private final Map<String, FileRecord> files = new LinkedHashMap<>();
    private final Map<UpdateIdentity, ServedDocument> served = new HashMap<>();

    /**
     * What the write changed.
     *
     * @param newRevisions     revisions recorded that the store did not have
     * @param olderRevisions   of those, revisions lower than a revision of the same update already stored
     * @param skippedRevisions revisions the store already had (the stored one is kept)
     * @param newFiles         files recorded that the store did not have
     * @param skippedFiles     files the store already had
     * @param filesNotCarried  files named by the revisions' metadata that neither the bundle nor the store holds
     *                         (an export may leave files out on purpose: metadata only, other languages)
     * @param changeNumber     the store's change number after the import
     * @param approvedByRules  updates the automatic-approval rules approved at this import
     * @param approvals        what the approval set the bundle carried changed, or null when it carried none
     */
    public record Result(int newRevisions, int olderRevisions, int skippedRevisions, int newFiles, int skippedFiles,
                         int filesNotCarried, long changeNumber, int approvedByRules, AppliedApprovals approvals)
            implements CatalogWrite.Result {
        /** A result without an approval set. */
        public Result(int newRevisions, int olderRevisions, int skippedRevisions, int newFiles, int skippedFiles,
                      int filesNotCarried, long changeNumber, int approvedByRules) {
            this(newRevisions, olderRevisions, skippedRevisions, newFiles, skippedFiles, filesNotCarried, changeNumber,
                    approvedByRules, null);
        }

        /** A result without rule approvals. */
        public Result(int newRevisions, int olderRevisions, int skippedRevisions, int newFiles, int skippedFiles,
                      int filesNotCarried, long changeNumber) {
            this(newRevisions, olderRevisions, skippedRevisions, newFiles, skippedFiles, filesNotCarried, changeNumber,
                    0);
        }

        @Override
        public List<String> notes() {
            List<String> out = new ArrayList<>();
            if (approvedByRules > 0) {
                out.add(approvedByRules + " new update(s) approved by automatic-approval rules (ferry approvals list)");
            }
            if (olderRevisions > 0) {
                out.add(olderRevisions + " revision(s) are older than revisions already stored: kept, but the newer"
                        + " ones stay served");
            }
            if (filesNotCarried > 0) {
                out.add(filesNotCarried + " file(s) named by the update metadata are neither in the bundle nor in the"
                        + " store; those updates are served without them");
            }
            return out;
        }

        @Override
        public List<String> summary() {
            return approvals == null ? List.of() : List.of(approvals.line());
        }

        @Override
        public int records() {
            return newRevisions + skippedRevisions;
        }

        @Override
        public int newRecords() {
            return newRevisions;
        }

        @Override
        public int files() {
            return newFiles + skippedFiles;
        }
    }

    /** A revision with every identifier in its catalog spelling. */
    private record Revision(UpdateIdentity ref, String updateType, String categoryType, String title, String kbArticle,
                            String metadataSha256, Set<String> categories, Set<String> prerequisites,
                            Set<UpdateIdentity> bundled, Set<String> superseded, Set<String> files) {
    }

    private WsusCatalogWrite(String what) {
        this.what = what;
    }

    /**
     * The rows for one bundle.
     *
     * @param bundleId  names the bundle in messages
     * @param revisions the update revisions it carries; each metadata object must be in the store at commit
     * @param files     the update files it carries; each object must be in the store at commit
     * @throws StoreException naming the bundle and the field if a record is malformed or listed twice
     */
    public static WsusCatalogWrite of(String bundleId, List<RevisionRecord> revisions, List<FileRecord> files) {
        return of(bundleId, revisions, files, 0);
    }

    /**
     * As {@link #of(String, List, List)}, reporting {@code filesNotCarried} files the metadata names that neither the
     * bundle nor the store holds (left out of the revisions' file lists by the caller).
     */
    public static WsusCatalogWrite of(String bundleId, List<RevisionRecord> revisions, List<FileRecord> files,
                                      int filesNotCarried) {
        return of(bundleId, revisions, files, filesNotCarried, null);
    }

    /**
     * As {@link #of(String, List, List, int)}, applying {@code approvals} (an approval set the bundle carried,
     * {@linkplain ApprovalSet#check checked} as carried; null for none) in the same transaction.
     */
    public static WsusCatalogWrite of(String bundleId, List<RevisionRecord> revisions, List<FileRecord> files,
                                      int filesNotCarried, ApprovalSet approvals) {
        WsusCatalogWrite w = new WsusCatalogWrite("bundle " + bundleId);
        w.filesNotCarried = filesNotCarried;
        w.approvals = approvals;
        for (FileRecord f : files) {
            FileRecord n = normalize(f, w.what);
            FileRecord prior = w.files.putIfAbsent(n.sha1Hex(), n);
            if (prior != null && !prior.equals(n)) {
                throw new StoreException(w.what + ": file " + n.sha1Hex() + " is listed twice with different details");
            }
        }
        for (RevisionRecord r : revisions) {
            Revision n = normalize(r, w.what);
            if (w.revisions.putIfAbsent(n.ref(), n) != null) {
                throw new StoreException(w.what + ": update " + n.ref() + " is listed twice");
            }
        }
        return w;
    }

    /**
     * Adds what GetUpdateData will send for revisions of this write ({@link ServedDocument#of}), kept with each new
     * revision (table {@code wsus_served_document}); a revision without one is served as from a store older than
     * catalog format 5 (derived from its metadata at each request).
     *
     * @param documents by revision, each a revision {@link #of} was given
     * @return this write
     * @throws StoreException if a revision is not one of this write's
     */
    public WsusCatalogWrite withServedDocuments(Map<UpdateIdentity, ServedDocument> documents) {
        for (Map.Entry<UpdateIdentity, ServedDocument> e : documents.entrySet()) {
            UpdateIdentity ref = identity(e.getKey().updateId(), e.getKey().revisionNumber(), what + ": update");
            if (!revisions.containsKey(ref)) {
                throw new StoreException(what + ": served document of update " + ref + ", which the bundle does not"
                        + " carry");
            }
            served.put(ref, e.getValue());
        }
        return this;
    }

    @Override
    public String source() {
        return WsusTables.INSTANCE.name();
    }

    @Override
    public Set<String> referencedObjects() {
        Set<String> out = new LinkedHashSet<>();
        revisions.values().forEach(r -> out.add(r.metadataSha256()));
        files.values().forEach(f -> out.add(f.sha256()));
        return out;
    }

    private static FileRecord normalize(FileRecord f, String b) {
        String sha1 = Ids.sha1(f.sha1Hex(), b + ": file SHA-1");
        String what = b + ": file " + sha1;
        String sha256 = Ids.sha256(f.sha256(), what);
        if (f.size() < 0) {
            throw new StoreException(what + ": negative size " + f.size());
        }
        String name = Ids.name(f.fileName(), 1000, what + ": file name");
        if (f.muUrl() != null && f.muUrl().length() > 4000) {
            throw new StoreException(what + ": URL is longer than 4000 characters");
        }
        return new FileRecord(sha1, sha256, f.size(), name, f.muUrl());
    }

    private static Revision normalize(RevisionRecord r, String b) {
        UpdateIdentity ref = identity(r.updateId(), r.revisionNumber(), b + ": update");
        String what = b + ": update " + ref;
        if (!UPDATE_TYPES.contains(r.updateType())) {
            throw new StoreException(what + ": unknown update type " + Ids.quote(r.updateType()));
        }
        if (r.categoryType() != null && !(r.updateType().equals("Category") && CATEGORY_TYPES.contains(r.categoryType()))) {
            throw new StoreException(what + ": category type " + Ids.quote(r.categoryType())
                    + " on a " + r.updateType() + " update");
        }
        if (r.title() != null && r.title().length() > 4000) {
            throw new StoreException(what + ": title is longer than 4000 characters");
        }
        if (r.kbArticle() != null && r.kbArticle().length() > 100) {
            throw new StoreException(what + ": KB article is longer than 100 characters");
        }
        String metadata = Ids.sha256(r.metadataSha256(), what + ": metadata");
        Set<String> categories = guids(r.categoryIds(), what + ": category");
        Set<String> prerequisites = guids(r.prerequisiteIds(), what + ": prerequisite");
        Set<String> superseded = guids(r.supersededIds(), what + ": superseded update");
        Set<UpdateIdentity> bundled = new LinkedHashSet<>();
        for (UpdateIdentity ref2 : r.bundledUpdates()) {
            bundled.add(identity(ref2.updateId(), ref2.revisionNumber(), what + ": bundled update"));
        }
        Set<String> fileSha1 = new LinkedHashSet<>();
        for (String s : r.fileSha1Hex()) {
            fileSha1.add(Ids.sha1(s, what + ": file"));
        }
        return new Revision(ref, r.updateType(), r.categoryType(), r.title(), r.kbArticle(), metadata, categories,
                prerequisites, bundled, superseded, fileSha1);
    }

    private static UpdateIdentity identity(String updateId, int revisionNumber, String what) {
        String id = Ids.guid(updateId, what);
        if (revisionNumber < 0) {
            throw new StoreException(what + " " + id + ": revision number " + revisionNumber + " is negative");
        }
        return new UpdateIdentity(id, revisionNumber);
    }

    private static Set<String> guids(List<String> ids, String what) {
        Set<String> out = new LinkedHashSet<>();
        for (String id : ids) {
            out.add(Ids.guid(id, what));
        }
        return out;
    }

    @Override
    public Result write(Connection c, String bundleId) throws SQLException {
        Set<String> newFiles = new LinkedHashSet<>();
        for (FileRecord f : files.values()) {
            String stored = storedFileSha256(c, f.sha1Hex());
            if (stored == null) {
                newFiles.add(f.sha1Hex());
            } else if (!stored.equals(f.sha256())) {
                throw new StoreException(what + ": file " + f.sha1Hex() + " has SHA-256 " + f.sha256()
                        + " but the store has it with " + stored);
            }
        }
        List<Revision> newRevisions = new ArrayList<>();
        int older = 0;
        Map<String, Integer> latestStored = new HashMap<>();
        for (Revision r : revisions.values()) {
            if (revisionExists(c, r.ref())) {
                continue;
            }
            newRevisions.add(r);
            Integer latest = latestStored.get(r.ref().updateId());
            if (!latestStored.containsKey(r.ref().updateId())) {
                latest = WsusQueries.latestRevisionNumber(c, r.ref().updateId());
                latestStored.put(r.ref().updateId(), latest);
            }
            if (latest != null && latest > r.ref().revisionNumber()) {
                older++;
            }
        }
        for (Revision r : newRevisions) {
            for (String sha1 : r.files()) {
                if (!files.containsKey(sha1) && storedFileSha256(c, sha1) == null) {
                    throw new StoreException(what + ": update " + r.ref() + " names file " + sha1
                            + ", which is neither in the bundle nor in the store");
                }
            }
        }
        insertFiles(c, newFiles);
        Map<String, Integer> before = new HashMap<>(latestStored);
        insertRevisions(c, bundleId, newRevisions, latestStored);
        BundleApprovals carried = approvals == null ? null : new BundleApprovals(bundleId, approvals, importedAt(c, bundleId));
        if (carried != null) {
            carried.groupsAndRules(c);
        }
        int approved = approveNewLatest(c, bundleId, before, latestStored);
        AppliedApprovals applied = carried == null ? null : carried.decisions(c);
        return new Result(newRevisions.size(), older, revisions.size() - newRevisions.size(), newFiles.size(),
                files.size() - newFiles.size(), filesNotCarried, WsusQueries.currentChangeNumber(c), approved, applied);
    }

    /**
     * For the updates whose latest revision this bundle brought: their approvals (also one made before the store held
     * the update) get a new deployment for the new revision (clients and replicas see a deployment they have not
     * seen), and the automatic-approval rules approve them. Returns how many updates the rules approved.
     */
    private static int approveNewLatest(Connection c, String bundleId, Map<String, Integer> before,
                                        Map<String, Integer> after) throws SQLException {
        List<String> changed = new ArrayList<>();
        after.forEach((id, rev) -> {
            Integer prior = before.get(id);
            if (prior == null || prior < rev) {
                changed.add(id);
            }
        });
        if (changed.isEmpty()) {
            return 0;
        }
        java.time.Instant now = importedAt(c, bundleId);
        ApprovalQueries.renew(c, changed, now);
        return RuleApplication.apply(c, changed, null, now).size();
    }

    /** The import's time, as the bundle's row records it. */
    private static java.time.Instant importedAt(Connection c, String bundleId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT imported_at FROM bundle WHERE bundle_id = ?")) {
            ps.setString(1, bundleId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? ApprovalQueries.instant(rs, 1) : java.time.Instant.now();
            }
        }
    }

    private static String storedFileSha256(Connection c, String sha1) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT sha256 FROM wsus_file WHERE sha1_hex = ?")) {
            ps.setString(1, sha1);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static boolean revisionExists(Connection c, UpdateIdentity ref) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM wsus_update_revision WHERE update_id = ? AND revision_number = ?")) {
            ps.setString(1, ref.updateId());
            ps.setInt(2, ref.revisionNumber());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private void insertFiles(Connection c, Set<String> newFiles) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO wsus_file (sha1_hex, sha256, size, file_name, mu_url) VALUES (?, ?, ?, ?, ?)")) {
            for (String sha1 : newFiles) {
                FileRecord f = files.get(sha1);
                ps.setString(1, f.sha1Hex());
                ps.setString(2, f.sha256());
                ps.setLong(3, f.size());
                ps.setString(4, f.fileName());
                ps.setString(5, f.muUrl());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * @param latest the highest revision number stored of each update a new revision belongs to (null: none), kept
     *               up to date here as revisions are inserted
     */
    private void insertRevisions(Connection c, String bundleId, List<Revision> newRevisions,
                                 Map<String, Integer> latest) throws SQLException {
        // Change numbers in bundle order, so they follow the order the exporter chose; the sequence hands them out
        // in blocks (migration V4), so drawing one costs no store of the catalog's pages.
        Map<UpdateIdentity, Long> changeNumbers = new HashMap<>();
        Map<String, Revision> newLatest = new HashMap<>();
        Set<String> replaced = new HashSet<>();
        try (PreparedStatement next = c.prepareStatement("SELECT NEXT VALUE FOR change_number_seq")) {
            for (Revision r : newRevisions) {
                try (ResultSet rs = next.executeQuery()) {
                    rs.next();
                    changeNumbers.put(r.ref(), rs.getLong(1));
                }
                String id = r.ref().updateId();
                Integer stored = latest.get(id);
                if (stored == null || stored < r.ref().revisionNumber()) {
                    // the update's new latest revision: GetRevisionIdList lists this one under its categories
                    latest.put(id, r.ref().revisionNumber());
                    if (stored != null && !newLatest.containsKey(id)) {
                        replaced.add(id); // its rows in wsus_latest_category are an earlier import's
                    }
                    newLatest.put(id, r);
                }
            }
        }
        // Rows in key order (update id, revision): consecutive inserts land on the same index pages, so the pages
        // H2 writes out while the import's transaction grows hold many new rows each instead of one; in bundle
        // order (random GUIDs) a 25,000-revision import wrote most of every index again and again.
        List<Revision> sorted = new ArrayList<>(newRevisions);
        sorted.sort(Comparator.comparing((Revision r) -> r.ref().updateId())
                .thenComparingInt(r -> r.ref().revisionNumber()));
        try (PreparedStatement rev = c.prepareStatement("INSERT INTO wsus_update_revision (update_id, revision_number,"
                + " update_type, category_type, title, kb_article, metadata_sha256, bundle_id, change_number)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement unlist = c.prepareStatement("DELETE FROM wsus_latest_category WHERE update_id = ?");
             PreparedStatement list = c.prepareStatement("INSERT INTO wsus_latest_category (category_id, update_id,"
                     + " revision_number, change_number, update_type) VALUES (?, ?, ?, ?, ?)");
             PreparedStatement cat = c.prepareStatement(
                     "INSERT INTO wsus_update_category (update_id, revision_number, category_id) VALUES (?, ?, ?)");
             PreparedStatement pre = c.prepareStatement(
                     "INSERT INTO wsus_prerequisite (update_id, revision_number, prerequisite_id) VALUES (?, ?, ?)");
             PreparedStatement bun = c.prepareStatement("INSERT INTO wsus_bundled_update (update_id, revision_number,"
                     + " bundled_update_id, bundled_revision_number) VALUES (?, ?, ?, ?)");
             PreparedStatement sup = c.prepareStatement(
                     "INSERT INTO wsus_superseded (update_id, revision_number, superseded_update_id) VALUES (?, ?, ?)");
             PreparedStatement fil = c.prepareStatement(
                     "INSERT INTO wsus_revision_file (update_id, revision_number, sha1_hex) VALUES (?, ?, ?)");
             PreparedStatement doc = c.prepareStatement("INSERT INTO wsus_served_document (update_id,"
                     + " revision_number, blob_cabinet, document_files) VALUES (?, ?, ?, ?)")) {
            int pending = 0;
            for (Revision r : sorted) {
                bindRef(rev, r.ref());
                rev.setString(3, r.updateType());
                rev.setString(4, r.categoryType());
                rev.setString(5, r.title());
                rev.setString(6, r.kbArticle());
                rev.setString(7, r.metadataSha256());
                rev.setString(8, bundleId);
                rev.setLong(9, changeNumbers.get(r.ref()));
                rev.addBatch();
                if (++pending == BATCH) {
                    rev.executeBatch();
                    pending = 0;
                }
            }
            rev.executeBatch();
            pending = 0;
            for (String id : new java.util.TreeSet<>(replaced)) {
                unlist.setString(1, id);
                unlist.addBatch();
            }
            unlist.executeBatch();
            // the child rows name their revision (foreign keys): written once every revision row is
            for (Revision r : sorted) {
                if (newLatest.get(r.ref().updateId()) == r) {
                    for (String category : r.categories()) {
                        list.setString(1, category);
                        bindRef2(list, r.ref());
                        list.setLong(4, changeNumbers.get(r.ref()));
                        list.setString(5, r.updateType());
                        list.addBatch();
                    }
                }
                addAll(cat, r.ref(), r.categories());
                addAll(pre, r.ref(), r.prerequisites());
                addAll(sup, r.ref(), r.superseded());
                addAll(fil, r.ref(), r.files());
                for (UpdateIdentity ref : r.bundled()) {
                    bindRef(bun, r.ref());
                    bun.setString(3, ref.updateId());
                    bun.setInt(4, ref.revisionNumber());
                    bun.addBatch();
                }
                ServedDocument d = served.get(r.ref());
                if (d != null) {
                    bindRef(doc, r.ref());
                    doc.setBytes(3, d.cabinet());
                    doc.setString(4, ServedDocument.encodeFiles(d.files()));
                    doc.addBatch();
                }
                if (++pending == BATCH) {
                    for (PreparedStatement ps : List.of(list, cat, pre, bun, sup, fil, doc)) {
                        ps.executeBatch();
                    }
                    pending = 0;
                }
            }
            for (PreparedStatement ps : List.of(list, cat, pre, bun, sup, fil, doc)) {
                ps.executeBatch();
            }
        }
    }

    /** Revisions per JDBC batch: H2 keeps a batch's parameter sets in memory until it runs. */
    private static final int BATCH = 1000;

    private static void addAll(PreparedStatement ps, UpdateIdentity ref, Set<String> values) throws SQLException {
        for (String v : values) {
            bindRef(ps, ref);
            ps.setString(3, v);
            ps.addBatch();
        }
    }

    private static void bindRef2(PreparedStatement ps, UpdateIdentity ref) throws SQLException {
        ps.setString(2, ref.updateId());
        ps.setInt(3, ref.revisionNumber());
    }

    private static void bindRef(PreparedStatement ps, UpdateIdentity ref) throws SQLException {
        ps.setString(1, ref.updateId());
        ps.setInt(2, ref.revisionNumber());
    }
}
