package ferry.verifier;

import ferry.format.ChannelReset;
import ferry.format.Manifest;
import ferry.format.trust.TrustPolicy;
import java.util.Objects;
import java.util.Optional;

/**
 * The one rule for where a trusted bundle may land in its channel's history: the defence against replay, rollback
 * and fast-forward (docs/security.md). Pure: it reads only what it is given, so the importer asks it before copying
 * anything and the store asks it again inside its commit transaction, under its lock, with the channel's position
 * read in that transaction; both get the same answer for the same history.
 *
 * <p>Rules, in order:
 * <ol>
 *   <li>A bundle id imported before: the same manifest (SHA-256) is {@link Verdict#ALREADY_IMPORTED} (nothing to
 *       do); another manifest under that id is {@link Verdict#ID_REUSED}.</li>
 *   <li>A {@link ChannelReset} applies only where the channel stands exactly at its {@code fromSequence} reached by
 *       its {@code fromBundleId}: then {@link Verdict#RESET} (accepted, whatever its sequence number); anywhere else
 *       {@link Verdict#RESET_MISMATCH}. On a channel with no history it is an ordinary full bundle.</li>
 *   <li>On a channel with no history: a delta is {@link Verdict#MISSING_BASE}; a full bundle is accepted.</li>
 *   <li>Otherwise: a sequence number not above the channel's last is {@link Verdict#REPLAY}; a delta whose base is
 *       above the last is {@link Verdict#MISSING_BASE}; a step forward of more than the policy's
 *       {@link TrustPolicy#maxSequenceJump()} is {@link Verdict#SEQUENCE_JUMP}; anything else is accepted.</li>
 * </ol>
 * Thread-safe and immutable.
 */
public final class ChannelPolicy {

    /** What the policy decided. */
    public enum Verdict {
        /** The bundle moves its channel forward. */
        ACCEPT,
        /** A signed channel reset that matches the channel's position: accepted, the channel moves to its sequence. */
        RESET,
        /** This very bundle (same id, same manifest) was imported before: nothing to do, not an error. */
        ALREADY_IMPORTED,
        /** Another manifest under a bundle id imported before. */
        ID_REUSED,
        /** Sequence number not above the channel's last: an old bundle played again. */
        REPLAY,
        /** A delta whose base this store has not imported on the channel. */
        MISSING_BASE,
        /** A step forward larger than the trust policy allows (a fast-forward). */
        SEQUENCE_JUMP,
        /** A channel reset that does not name the channel's current position. */
        RESET_MISMATCH
    }

    /**
     * The bundle asking to land.
     *
     * @param bundleId       the manifest's bundle id
     * @param channel        the manifest's channel
     * @param sequence       its sequence number, &ge; 1
     * @param baseSequence   its base sequence number, or null for a full bundle
     * @param manifestSha256 SHA-256 of the manifest bytes, 64 hex digits
     * @param reset          its channel reset, or null
     */
    public record Candidate(String bundleId, String channel, long sequence, Long baseSequence, String manifestSha256,
                            ChannelReset reset) {
        public Candidate {
            Objects.requireNonNull(bundleId, "bundleId");
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(manifestSha256, "manifestSha256");
        }

        /** The candidate a verified manifest describes. */
        public static Candidate of(Manifest m, String manifestSha256) {
            return new Candidate(m.bundleId().toString(), m.channel(), m.sequence(), m.baseSequence(), manifestSha256,
                    m.channelReset());
        }
    }

    /**
     * Where a channel stands: its last imported bundle.
     *
     * @param lastSequence the last imported sequence number
     * @param lastBundleId the bundle that brought it there
     */
    public record Position(long lastSequence, String lastBundleId) {
        public Position {
            Objects.requireNonNull(lastBundleId, "lastBundleId");
        }
    }

    /**
     * A bundle imported earlier under the candidate's id.
     *
     * @param channel        its channel
     * @param sequence       its sequence number
     * @param manifestSha256 SHA-256 of its manifest
     */
    public record Prior(String channel, long sequence, String manifestSha256) {
    }

    /**
     * The decision and one line for the operator.
     *
     * @param verdict what was decided
     * @param message says why, naming bundle, channel and sequence numbers
     */
    public record Decision(Verdict verdict, String message) {
        /** Whether the bundle may be imported ({@link Verdict#ACCEPT} or {@link Verdict#RESET}). */
        public boolean accepted() {
            return verdict == Verdict.ACCEPT || verdict == Verdict.RESET;
        }
    }

    private final long maxSequenceJump;

    /** A policy bounding forward steps to {@code maxSequenceJump} (&ge; 1). */
    public ChannelPolicy(long maxSequenceJump) {
        if (maxSequenceJump < 1) {
            throw new IllegalArgumentException("maxSequenceJump must be >= 1: " + maxSequenceJump);
        }
        this.maxSequenceJump = maxSequenceJump;
    }

    /** The policy a trust store's {@code policy.json} sets. */
    public static ChannelPolicy of(TrustPolicy policy) {
        return new ChannelPolicy(policy.maxSequenceJump());
    }

    /** The largest forward step accepted. */
    public long maxSequenceJump() {
        return maxSequenceJump;
    }

    /**
     * Decides where {@code c} may land.
     *
     * @param position the channel's position, empty if nothing was imported on it
     * @param sameId   the bundle imported earlier under {@code c}'s id, if any
     */
    public Decision decide(Candidate c, Optional<Position> position, Optional<Prior> sameId) {
        String what = "bundle " + c.bundleId() + " (channel " + c.channel() + ", sequence " + c.sequence() + ")";
        if (sameId.isPresent()) {
            Prior p = sameId.get();
            if (p.manifestSha256().equalsIgnoreCase(c.manifestSha256())) {
                return new Decision(Verdict.ALREADY_IMPORTED, what + " was already imported; nothing to do");
            }
            return new Decision(Verdict.ID_REUSED, "bundle id reused: " + what + " has the id of a bundle imported "
                    + "before (channel " + p.channel() + ", sequence " + p.sequence() + ") with a different manifest");
        }
        if (c.reset() != null && position.isPresent()) {
            Position at = position.get();
            ChannelReset r = c.reset();
            if (at.lastSequence() == r.fromSequence() && at.lastBundleId().equalsIgnoreCase(r.fromBundleId().toString())) {
                return new Decision(Verdict.RESET, what + " resets channel " + c.channel() + " from sequence "
                        + r.fromSequence() + " (bundle " + r.fromBundleId() + ") to " + c.sequence());
            }
            return new Decision(Verdict.RESET_MISMATCH, "channel reset refused: " + what + " resets from sequence "
                    + r.fromSequence() + " (bundle " + r.fromBundleId() + "), but the channel stands at "
                    + at.lastSequence() + " (bundle " + at.lastBundleId() + ")");
        }
        if (position.isEmpty()) {
            if (c.baseSequence() != null) {
                return new Decision(Verdict.MISSING_BASE, "missing base: " + what + " is a delta on sequence "
                        + c.baseSequence() + ", but nothing was imported on channel " + c.channel()
                        + "; import the channel's full bundle first");
            }
            return new Decision(Verdict.ACCEPT, what + " starts channel " + c.channel());
        }
        Position at = position.get();
        if (c.sequence() <= at.lastSequence()) {
            return new Decision(Verdict.REPLAY, "replay: " + what + " is not above the channel's last imported "
                    + "sequence " + at.lastSequence() + " (bundle " + at.lastBundleId() + ")");
        }
        if (c.baseSequence() != null && c.baseSequence() > at.lastSequence()) {
            return new Decision(Verdict.MISSING_BASE, "missing base: " + what + " is a delta on sequence "
                    + c.baseSequence() + ", but the channel's last imported is " + at.lastSequence()
                    + "; import the bundles in between first");
        }
        // Subtraction cannot overflow: both are >= 1 and sequence > last.
        if (c.sequence() - at.lastSequence() > maxSequenceJump) {
            return new Decision(Verdict.SEQUENCE_JUMP, "sequence jump refused: " + what + " is "
                    + (c.sequence() - at.lastSequence()) + " ahead of the channel's last imported sequence "
                    + at.lastSequence() + "; the trust policy allows at most " + maxSequenceJump
                    + " (raise maxSequenceJump in policy.json if this jump is genuine)");
        }
        return new Decision(Verdict.ACCEPT, what + " follows sequence " + at.lastSequence());
    }
}
