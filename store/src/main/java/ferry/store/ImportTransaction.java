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
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The single transaction that makes one bundle part of the catalog: its row, its signers, the source type's rows
 * ({@link CatalogWrite}) and the channel's new position. The bundle's own fields are checked before the first
 * write; the channel is re-read under a row lock inside the transaction, so the decision to accept the bundle and
 * its effects commit together or not at all.
 *
 * @param <R> what the source type's write reports
 */
final class ImportTransaction<R extends CatalogWrite.Result> {
    private final ImportRecord<R> rec;
    private final ChannelPolicy policy;
    private final String bundleId;
    private final String channel;
    private final String manifestSha256;
    private final List<String> signers = new ArrayList<>();

    ImportTransaction(ImportRecord<R> rec, ChannelPolicy policy) {
        this.rec = rec;
        this.policy = Objects.requireNonNull(policy, "policy");
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
    }

    /** Every object the catalog will reference once this import commits. */
    Set<String> referencedObjects() {
        return rec.write().referencedObjects();
    }

    /**
     * Runs the transaction on {@code c} and commits it. {@code beforeCommit} runs just before the commit (tests use
     * it to die there).
     */
    R run(Connection c, ObjectStore objects, Instant now, Runnable beforeCommit) throws SQLException {
        for (String sha256 : referencedObjects()) {
            if (!objects.has(sha256)) {
                throw new StoreException("bundle " + bundleId + ": object " + sha256 + " is not in the store");
            }
        }
        c.setAutoCommit(false);
        try {
            checkPosition(c);
            insertBundle(c, now);
            R result = rec.write().write(c, bundleId);
            recordCounts(c, result);
            upsertChannel(c);
            beforeCommit.run();
            CrashPoints.reached("store.commit");
            c.commit();
            return result;
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

    /** Asks the gate's channel policy, with the channel's position read and row-locked in this transaction. */
    private void checkPosition(Connection c) throws SQLException {
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
    }

    // The counts are known only after the source type's write; the row must exist before it (its rows reference it).
    private void insertBundle(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO bundle (bundle_id, channel, sequence_number,"
                + " base_sequence, created_at, imported_at, manifest_sha256, producer, revision_count,"
                + " new_revision_count, file_count, new_file_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0)")) {
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

    private void recordCounts(Connection c, CatalogWrite.Result r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE bundle SET revision_count = ?, new_revision_count = ?,"
                + " file_count = ?, new_file_count = ? WHERE bundle_id = ?")) {
            ps.setInt(1, r.records());
            ps.setInt(2, r.newRecords());
            ps.setInt(3, r.files());
            ps.setInt(4, r.newFiles());
            ps.setString(5, bundleId);
            ps.executeUpdate();
        }
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
