package ferry.verifier;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;

/**
 * The outcome of verifying a bundle: every problem found, and a summary. Immutable.
 *
 * <p>{@link #ok()} is true only when there is no problem at all. For a partial verification
 * ({@link #volumesRequested()} non-empty) "ok" means the signatures, the manifest and the requested volumes
 * are good; entries that span other volumes are not checked then.
 */
public final class VerificationReport {
    /** Most problems kept in the report; {@link #problemCount()} counts all. */
    public static final int MAX_PROBLEMS_KEPT = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String bundle;
    private final Instant verifiedAt;
    private final List<String> volumesRequested;
    private final Summary summary;
    private final List<Problem> problems;
    private final int problemCount;
    private final List<String> notes;

    VerificationReport(String bundle, Instant verifiedAt, List<String> volumesRequested, Summary summary,
                       List<Problem> problems, int problemCount) {
        this(bundle, verifiedAt, volumesRequested, summary, problems, problemCount, List.of());
    }

    VerificationReport(String bundle, Instant verifiedAt, List<String> volumesRequested, Summary summary,
                       List<Problem> problems, int problemCount, List<String> notes) {
        this.notes = List.copyOf(notes);
        this.bundle = bundle;
        this.verifiedAt = verifiedAt;
        this.volumesRequested = List.copyOf(volumesRequested);
        this.summary = summary;
        this.problems = List.copyOf(problems);
        this.problemCount = problemCount;
    }

    /** True when no problem was found. */
    public boolean ok() {
        return problemCount == 0;
    }

    /** Problems in the order found (signatures, manifest, expiry, layout, volumes, entries); at most {@value #MAX_PROBLEMS_KEPT}. */
    public List<Problem> problems() {
        return problems;
    }

    /** Number of problems found, including any beyond {@value #MAX_PROBLEMS_KEPT} that were not kept. */
    public int problemCount() {
        return problemCount;
    }

    /** Whether any problem has this code. */
    public boolean has(Problem.Code code) {
        return problems.stream().anyMatch(p -> p.code() == code);
    }

    /**
     * What the gate noticed that is not a problem, one line each: an override used ({@code --allow-expired}), a trust
     * policy change the bundle carries and whether it would be applied.
     */
    public List<String> notes() {
        return notes;
    }

    /** The summary. */
    public Summary summary() {
        return summary;
    }

    /** The bundle directory as given. */
    public String bundle() {
        return bundle;
    }

    /** The instant expiry was judged against. */
    public Instant verifiedAt() {
        return verifiedAt;
    }

    /** Volume names a partial verification was asked for; empty for a full verification. */
    public List<String> volumesRequested() {
        return volumesRequested;
    }

    /**
     * The report as one JSON object: {@code ok}, {@code bundle}, {@code verifiedAt}, {@code scope}
     * ("full" or "volumes"), {@code volumesRequested}, {@code summary} {...}, {@code problemCount},
     * {@code problems} [{code, location, message}], {@code notes} [string]. Times are ISO 8601 UTC strings.
     */
    public String toJson() {
        Summary m = summary;
        List<SignerJson> signers = m.signers().stream().map(g -> new SignerJson(g.fingerprint(), g.userId(), g.file(),
                text(g.signedAt()))).toList();
        SummaryJson s = new SummaryJson(m.bundleId() == null ? null : m.bundleId().toString(), m.channel(), m.sequence(),
                m.baseSequence(), text(m.createdAt()), text(m.expiresAt()), m.producer(), signers, m.threshold(),
                m.volumes(), m.volumesChecked(), m.entries(), m.entriesChecked(), m.entryBytes(), m.volumeBytes(),
                m.bytesRead());
        List<ProblemJson> ps = problems.stream().map(p -> new ProblemJson(p.code().name(), p.location(), p.message()))
                .toList();
        ReportJson root = new ReportJson(ok(), bundle, verifiedAt.toString(),
                volumesRequested.isEmpty() ? "full" : "volumes", volumesRequested, s, problemCount, ps, notes);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // The JSON shapes, field order as documented above.
    record ReportJson(boolean ok, String bundle, String verifiedAt, String scope, List<String> volumesRequested,
                              SummaryJson summary, int problemCount, List<ProblemJson> problems, List<String> notes) {
    }

    record SummaryJson(String bundleId, String channel, Long sequence, Long baseSequence, String createdAt,
                               String expiresAt, String producer, List<SignerJson> signers, int threshold, int volumes,
                               int volumesChecked, int entries, int entriesChecked, long entryBytes, long volumeBytes,
                               long bytesRead) {
    }

    record SignerJson(String fingerprint, String userId, String file, String signedAt) {
    }

    record ProblemJson(String code, String location, String message) {
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }

    /** A human summary that fits one screen (at most about 30 lines), ending with a newline. */
    public String toText() {
        return ReportText.render(this);
    }

    @Override
    public String toString() {
        return "VerificationReport[ok=" + ok() + ", problems=" + problems + "]";
    }
}
