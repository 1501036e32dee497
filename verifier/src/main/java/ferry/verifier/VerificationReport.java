package ferry.verifier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

    VerificationReport(String bundle, Instant verifiedAt, List<String> volumesRequested, Summary summary,
                       List<Problem> problems, int problemCount) {
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
     * {@code problems} [{code, location, message}]. Times are ISO 8601 UTC strings.
     */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("ok", ok());
        root.put("bundle", bundle);
        root.put("verifiedAt", verifiedAt.toString());
        root.put("scope", volumesRequested.isEmpty() ? "full" : "volumes");
        ArrayNode req = root.putArray("volumesRequested");
        volumesRequested.forEach(req::add);
        ObjectNode s = root.putObject("summary");
        s.put("bundleId", summary.bundleId() == null ? null : summary.bundleId().toString());
        s.put("channel", summary.channel());
        s.put("sequence", summary.sequence());
        s.put("baseSequence", summary.baseSequence());
        s.put("createdAt", summary.createdAt() == null ? null : summary.createdAt().toString());
        s.put("expiresAt", summary.expiresAt() == null ? null : summary.expiresAt().toString());
        s.put("producer", summary.producer());
        ArrayNode signers = s.putArray("signers");
        for (Signer g : summary.signers()) {
            ObjectNode o = signers.addObject();
            o.put("fingerprint", g.fingerprint());
            o.put("userId", g.userId());
            o.put("file", g.file());
            o.put("signedAt", g.signedAt() == null ? null : g.signedAt().toString());
        }
        s.put("threshold", summary.threshold());
        s.put("volumes", summary.volumes());
        s.put("volumesChecked", summary.volumesChecked());
        s.put("entries", summary.entries());
        s.put("entriesChecked", summary.entriesChecked());
        s.put("entryBytes", summary.entryBytes());
        s.put("volumeBytes", summary.volumeBytes());
        s.put("bytesRead", summary.bytesRead());
        root.put("problemCount", problemCount);
        ArrayNode ps = root.putArray("problems");
        for (Problem p : problems) {
            ObjectNode o = ps.addObject();
            o.put("code", p.code().name());
            o.put("location", p.location());
            o.put("message", p.message());
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
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
