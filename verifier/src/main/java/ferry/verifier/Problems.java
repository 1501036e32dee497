package ferry.verifier;

import java.util.ArrayList;
import java.util.List;

/** Collects problems, keeping the first {@link VerificationReport#MAX_PROBLEMS_KEPT} and counting all. */
final class Problems {
    private final List<Problem> kept = new ArrayList<>();
    private int count;

    void add(Problem.Code code, String location, String message) {
        count++;
        if (kept.size() < VerificationReport.MAX_PROBLEMS_KEPT) {
            kept.add(new Problem(code, location, message));
        }
    }

    List<Problem> kept() {
        return kept;
    }

    int count() {
        return count;
    }
}
