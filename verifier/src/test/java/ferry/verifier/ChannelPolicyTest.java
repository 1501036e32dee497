package ferry.verifier;

import ferry.format.ChannelReset;
import ferry.verifier.ChannelPolicy.Candidate;
import ferry.verifier.ChannelPolicy.Position;
import ferry.verifier.ChannelPolicy.Prior;
import ferry.verifier.ChannelPolicy.Verdict;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every rule of the channel policy, each case once (the importer and store tests show it wired in). */
class ChannelPolicyTest {
    static final String SHA = "a".repeat(64);
    static final UUID LAST = UUID.fromString("00000000-0000-4000-8000-000000000005");
    final ChannelPolicy policy = new ChannelPolicy(1000);

    static Candidate bundle(long seq, Long base) {
        return new Candidate("b" + seq, "wsus", seq, base, SHA, null);
    }

    static Optional<Position> at(long seq) {
        return Optional.of(new Position(seq, LAST.toString()));
    }

    Verdict decide(Candidate c, Optional<Position> p) {
        return policy.decide(c, p, Optional.empty()).verdict();
    }

    @Test
    void aNewChannelTakesAFullBundleAtAnySequenceButNoDelta() {
        assertEquals(Verdict.ACCEPT, decide(bundle(1, null), Optional.empty()));
        assertEquals(Verdict.ACCEPT, decide(bundle(5000, null), Optional.empty()));
        assertEquals(Verdict.MISSING_BASE, decide(bundle(3, 2L), Optional.empty()));
    }

    @Test
    void forwardWithinTheBoundIsAcceptedBeyondItIsAFastForward() {
        assertEquals(Verdict.ACCEPT, decide(bundle(6, null), at(5)));
        assertEquals(Verdict.ACCEPT, decide(bundle(1005, null), at(5)));
        assertEquals(Verdict.SEQUENCE_JUMP, decide(bundle(1006, null), at(5)));
        assertEquals(Verdict.SEQUENCE_JUMP, decide(bundle(Long.MAX_VALUE, null), at(1)));
    }

    @Test
    void notAboveTheLastIsAReplay() {
        assertEquals(Verdict.REPLAY, decide(bundle(5, null), at(5)));
        assertEquals(Verdict.REPLAY, decide(bundle(1, null), at(5)));
        assertEquals(Verdict.REPLAY, decide(bundle(5, null), at(Long.MAX_VALUE)));
    }

    @Test
    void aDeltaNeedsItsBase() {
        assertEquals(Verdict.ACCEPT, decide(bundle(6, 5L), at(5)));
        assertEquals(Verdict.ACCEPT, decide(bundle(7, 3L), at(5)), "a base at or below the last is held");
        assertEquals(Verdict.MISSING_BASE, decide(bundle(8, 6L), at(5)));
    }

    @Test
    void aBundleIdSeenBeforeIsANoOpOrAReuse() {
        Optional<Prior> same = Optional.of(new Prior("wsus", 6, SHA.toUpperCase()));
        assertEquals(Verdict.ALREADY_IMPORTED, policy.decide(bundle(6, null), at(9), same).verdict());
        Optional<Prior> other = Optional.of(new Prior("wsus", 6, "b".repeat(64)));
        assertEquals(Verdict.ID_REUSED, policy.decide(bundle(6, null), at(9), other).verdict());
    }

    @Test
    void aResetAppliesOnlyAtTheExactPositionItNames() {
        Candidate reset = new Candidate("r", "wsus", 2, null, SHA, new ChannelReset(Long.MAX_VALUE, LAST));
        ChannelPolicy.Decision d = policy.decide(reset, at(Long.MAX_VALUE), Optional.empty());
        assertEquals(Verdict.RESET, d.verdict());
        assertTrue(d.accepted());
        assertEquals(Verdict.RESET_MISMATCH, decide(reset, at(Long.MAX_VALUE - 1)));
        assertEquals(Verdict.RESET_MISMATCH, policy.decide(reset, Optional.of(new Position(Long.MAX_VALUE,
                UUID.randomUUID().toString())), Optional.empty()).verdict());
        assertEquals(Verdict.ACCEPT, decide(reset, Optional.empty()), "on a new channel it is a full bundle");
        assertFalse(policy.decide(reset, at(3), Optional.empty()).accepted());
    }

    @Test
    void theBoundMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new ChannelPolicy(0));
    }
}
