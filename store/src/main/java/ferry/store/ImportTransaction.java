package ferry.store;

import ferry.format.CrashPoints;
import ferry.verifier.ChannelPolicy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The single transaction that makes one bundle's revisions and files part of the catalog. Everything is
 * checked and normalized before the first write; the channel is re-read under a row lock inside the
 * transaction, so the decision to accept the bundle and its effects commit together or not at all.
 */
final class ImportTransaction {
    private static final Set<String> UPDATE_TYPES = Set.of("Software", "Driver", "Category", "Detectoid");
    private static final Set<String> CATEGORY_TYPES = Set.of("Company", "ProductFamily", "Product", "UpdateClassification");

    private final ImportRecord rec;
    private final ChannelPolicy policy;
    private final String bundleId;
    private final String channel;
    private final String manifestSha256;
    private final List<String> signers = new ArrayList<>();
    private final Map<RevisionRef, Revision> revisions = new LinkedHashMap<>();
    private final Map<String, FileRecord> files = new LinkedHashMap<>();

    /** A revision with every identifier in its catalog spelling. */
    private record Revision(RevisionRef ref, String updateType, String categoryType, String title, String kbArticle,
                            String metadataSha256, Set<String> categories, Set<String> prerequisites,
                            Set<RevisionRef> bundled, Set<String> superseded, Set<String> files) {
    }

    ImportTransaction(ImportRecord rec, ChannelPolicy policy) {
        this.rec = rec;
        this.policy = java.util.Objects.requireNonNull(policy, "policy");
        this.bundleId = Ids.name(rec.bundleId(), 200, "bundle id");
        String b = "bundle " + bundleId;
        this.channel = Ids.name(rec.channel(), 200, b + ": channel");
        if (rec.sequenceNumber() < 1) {
            throw new StoreException(b + ": sequence number " + rec.sequenceNumber() + " is not at least 1");
        }
        Long base = rec.baseSequence();
        if (base != null && (base < 1 || base >= rec.sequenceNumber())) {
            throw new StoreException(b + ": base sequence " + base + " is not between 1 and the bundle's sequence "
                    + rec.sequenceNumber());
        }
        this.manifestSha256 = Ids.sha256(rec.manifestSha256(), b + ": manifest");
        for (String fp : rec.signerFingerprints()) {
            signers.add(Ids.name(fp, 200, b + ": signer fingerprint"));
        }
        if (rec.producer() != null && rec.producer().length() > 1000) {
            throw new StoreException(b + ": producer is longer than 1000 characters");
        }
        for (FileRecord f : rec.files()) {
            FileRecord n = normalize(f, b);
            FileRecord prior = files.putIfAbsent(n.sha1Hex(), n);
            if (prior != null && !prior.equals(n)) {
                throw new StoreException(b + ": file " + n.sha1Hex() + " is listed twice with different details");
            }
        }
        for (RevisionRecord r : rec.revisions()) {
            Revision n = normalize(r, b);
            if (revisions.putIfAbsent(n.ref(), n) != null) {
                throw new StoreException(b + ": update " + n.ref() + " is listed twice");
            }
        }
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
        RevisionRef ref = new RevisionRef(Ids.guid(r.updateId(), b + ": update"), r.revisionNumber());
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
        Set<RevisionRef> bundled = new LinkedHashSet<>();
        for (RevisionRef ref2 : r.bundledUpdates()) {
            bundled.add(new RevisionRef(Ids.guid(ref2.updateId(), what + ": bundled update"), ref2.revisionNumber()));
        }
        Set<String> fileSha1 = new LinkedHashSet<>();
        for (String s : r.fileSha1Hex()) {
            fileSha1.add(Ids.sha1(s, what + ": file"));
        }
        return new Revision(ref, r.updateType(), r.categoryType(), r.title(), r.kbArticle(), metadata, categories,
                prerequisites, bundled, superseded, fileSha1);
    }

    private static Set<String> guids(List<String> ids, String what) {
        Set<String> out = new LinkedHashSet<>();
        for (String id : ids) {
            out.add(Ids.guid(id, what));
        }
        return out;
    }

    /** Every object the catalog will reference once this import commits. */
    Set<String> referencedObjects() {
        Set<String> out = new LinkedHashSet<>();
        revisions.values().forEach(r -> out.add(r.metadataSha256()));
        files.values().forEach(f -> out.add(f.sha256()));
        return out;
    }

    /**
     * Runs the transaction on {@code c} (auto-commit off on entry is not required) and commits it.
     * {@code beforeCommit} runs just before the commit (tests use it to die there).
     */
    ImportOutcome run(Connection c, ObjectStore objects, Instant now, Runnable beforeCommit) throws SQLException {
        String b = "bundle " + bundleId;
        for (Revision r : revisions.values()) {
            requireObject(objects, r.metadataSha256(), b + ": metadata of update " + r.ref());
        }
        for (FileRecord f : files.values()) {
            requireObject(objects, f.sha256(), b + ": content of file " + f.sha1Hex() + " (" + f.fileName() + ")");
        }
        c.setAutoCommit(false);
        try {
            ImportOutcome outcome = write(c, now, b);
            beforeCommit.run();
            CrashPoints.reached("store.commit");
            c.commit();
            return outcome;
        } catch (SQLException | RuntimeException | Error e) {
            try {
                c.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static void requireObject(ObjectStore objects, String sha256, String what) {
        if (!objects.has(sha256)) {
            throw new StoreException(what + ": object " + sha256 + " is not in the store");
        }
    }

    private ImportOutcome write(Connection c, Instant now, String b) throws SQLException {
        checkPosition(c);

        Set<String> newFiles = new LinkedHashSet<>();
        for (FileRecord f : files.values()) {
            String stored = storedFileSha256(c, f.sha1Hex());
            if (stored == null) {
                newFiles.add(f.sha1Hex());
            } else if (!stored.equals(f.sha256())) {
                throw new StoreException(b + ": file " + f.sha1Hex() + " has SHA-256 " + f.sha256()
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
            Integer latest = latestStored.computeIfAbsent(r.ref().updateId(), id -> latestRevision(c, id));
            if (latest != null && latest > r.ref().revisionNumber()) {
                older++;
            }
        }
        for (Revision r : newRevisions) {
            for (String sha1 : r.files()) {
                if (!files.containsKey(sha1) && storedFileSha256(c, sha1) == null) {
                    throw new StoreException(b + ": update " + r.ref() + " names file " + sha1
                            + ", which is neither in the bundle nor in the store");
                }
            }
        }

        insertBundle(c, now, newRevisions.size(), newFiles.size());
        insertFiles(c, newFiles);
        insertRevisions(c, newRevisions);
        upsertChannel(c);
        return new ImportOutcome(newRevisions.size(), older, revisions.size() - newRevisions.size(), newFiles.size(),
                files.size() - newFiles.size(), CatalogQueries.currentChangeNumber(c));
    }

    /** Asks the gate's channel policy, with the channel's position read and row-locked in this transaction. */
    private ChannelPolicy.Decision checkPosition(Connection c) throws SQLException {
        Optional<ChannelPolicy.Prior> prior = Optional.empty();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT channel, sequence_number, manifest_sha256 FROM bundle WHERE bundle_id = ?")) {
            ps.setString(1, bundleId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    prior = Optional.of(new ChannelPolicy.Prior(rs.getString(1), rs.getLong(2), rs.getString(3)));
                }
            }
        }
        Optional<ChannelPolicy.Position> position = Optional.empty();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT last_sequence, last_bundle_id FROM channel WHERE name = ? FOR UPDATE")) {
            ps.setString(1, channel);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    position = Optional.of(new ChannelPolicy.Position(rs.getLong(1), rs.getString(2)));
                }
            }
        }
        ChannelPolicy.Candidate candidate = new ChannelPolicy.Candidate(bundleId, channel, rec.sequenceNumber(),
                rec.baseSequence(), manifestSha256, rec.channelReset());
        ChannelPolicy.Decision d = policy.decide(candidate, position, prior);
        if (!d.accepted()) {
            throw new ImportRefusedException(d.verdict(), d.message());
        }
        return d;
    }

    private static String storedFileSha256(Connection c, String sha1) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT sha256 FROM wsus_file WHERE sha1_hex = ?")) {
            ps.setString(1, sha1);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static boolean revisionExists(Connection c, RevisionRef ref) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM wsus_update_revision WHERE update_id = ? AND revision_number = ?")) {
            ps.setString(1, ref.updateId());
            ps.setInt(2, ref.revisionNumber());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static Integer latestRevision(Connection c, String updateId) {
        try {
            return CatalogQueries.latestRevisionNumber(c, updateId);
        } catch (SQLException e) {
            throw new StoreException("update " + updateId + ": " + Catalog.firstLine(e), e);
        }
    }

    private void insertBundle(Connection c, Instant now, int newRevisionCount, int newFileCount) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO bundle (bundle_id, channel, sequence_number,"
                + " base_sequence, created_at, imported_at, manifest_sha256, producer, revision_count,"
                + " new_revision_count, file_count, new_file_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, bundleId);
            ps.setString(2, channel);
            ps.setLong(3, rec.sequenceNumber());
            if (rec.baseSequence() == null) {
                ps.setNull(4, Types.BIGINT);
            } else {
                ps.setLong(4, rec.baseSequence());
            }
            ps.setObject(5, utc(rec.createdAt()));
            ps.setObject(6, utc(now));
            ps.setString(7, manifestSha256);
            ps.setString(8, rec.producer());
            ps.setInt(9, revisions.size());
            ps.setInt(10, newRevisionCount);
            ps.setInt(11, files.size());
            ps.setInt(12, newFileCount);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO bundle_signer (bundle_id, position, fingerprint) VALUES (?, ?, ?)")) {
            for (int i = 0; i < signers.size(); i++) {
                ps.setString(1, bundleId);
                ps.setInt(2, i);
                ps.setString(3, signers.get(i));
                ps.addBatch();
            }
            ps.executeBatch();
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

    private void insertRevisions(Connection c, List<Revision> newRevisions) throws SQLException {
        try (PreparedStatement rev = c.prepareStatement("INSERT INTO wsus_update_revision (update_id, revision_number,"
                + " update_type, category_type, title, kb_article, metadata_sha256, bundle_id, change_number)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, NEXT VALUE FOR change_number_seq)");
             PreparedStatement cat = c.prepareStatement(
                     "INSERT INTO wsus_update_category (update_id, revision_number, category_id) VALUES (?, ?, ?)");
             PreparedStatement pre = c.prepareStatement(
                     "INSERT INTO wsus_prerequisite (update_id, revision_number, prerequisite_id) VALUES (?, ?, ?)");
             PreparedStatement bun = c.prepareStatement("INSERT INTO wsus_bundled_update (update_id, revision_number,"
                     + " bundled_update_id, bundled_revision_number) VALUES (?, ?, ?, ?)");
             PreparedStatement sup = c.prepareStatement(
                     "INSERT INTO wsus_superseded (update_id, revision_number, superseded_update_id) VALUES (?, ?, ?)");
             PreparedStatement fil = c.prepareStatement(
                     "INSERT INTO wsus_revision_file (update_id, revision_number, sha1_hex) VALUES (?, ?, ?)")) {
            // Revisions one by one, in bundle order, so change numbers follow the order the exporter chose.
            for (Revision r : newRevisions) {
                bindRef(rev, r.ref());
                rev.setString(3, r.updateType());
                rev.setString(4, r.categoryType());
                rev.setString(5, r.title());
                rev.setString(6, r.kbArticle());
                rev.setString(7, r.metadataSha256());
                rev.setString(8, bundleId);
                rev.executeUpdate();
                addAll(cat, r.ref(), r.categories());
                addAll(pre, r.ref(), r.prerequisites());
                addAll(sup, r.ref(), r.superseded());
                addAll(fil, r.ref(), r.files());
                for (RevisionRef ref : r.bundled()) {
                    bindRef(bun, r.ref());
                    bun.setString(3, ref.updateId());
                    bun.setInt(4, ref.revisionNumber());
                    bun.addBatch();
                }
            }
            for (PreparedStatement ps : List.of(cat, pre, bun, sup, fil)) {
                ps.executeBatch();
            }
        }
    }

    private static void addAll(PreparedStatement ps, RevisionRef ref, Set<String> values) throws SQLException {
        for (String v : values) {
            bindRef(ps, ref);
            ps.setString(3, v);
            ps.addBatch();
        }
    }

    private static void bindRef(PreparedStatement ps, RevisionRef ref) throws SQLException {
        ps.setString(1, ref.updateId());
        ps.setInt(2, ref.revisionNumber());
    }

    private void upsertChannel(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "MERGE INTO channel (name, last_sequence, last_bundle_id) KEY (name) VALUES (?, ?, ?)")) {
            ps.setString(1, channel);
            ps.setLong(2, rec.sequenceNumber());
            ps.setString(3, bundleId);
            ps.executeUpdate();
        }
    }

    static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
