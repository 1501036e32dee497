package ferry.importer;

import ferry.verifier.VerificationReport;

import java.util.Optional;

/**
 * The bundle is not one to import: verification found problems (signatures, threshold, manifest,
 * expiry, volumes, entries; see {@link #report()}), or the bundle changed after it was verified, or its
 * verified content is not usable WSUS data (an entry path that disagrees with its source identifiers, update
 * metadata that does not parse or names another revision, content whose SHA-1 differs from the upstream digest).
 * The store's catalog is unchanged.
 */
public final class BundleInvalidException extends ImporterException {
    private static final long serialVersionUID = 1L;

    private final transient VerificationReport report;

    /** Verification failed; the message summarizes the report's first problem and the count. */
    public BundleInvalidException(VerificationReport report) {
        super(summary(report), null);
        this.report = report;
    }

    /** The bundle passed verification but is unusable or changed since; {@code what} names the entry or file. */
    public BundleInvalidException(String message, Throwable cause) {
        super(message, cause);
        this.report = null;
    }

    public BundleInvalidException(String message) {
        this(message, null);
    }

    /** The verification report when verification itself failed; empty when the problem was found afterwards. */
    public Optional<VerificationReport> report() {
        return Optional.ofNullable(report);
    }

    private static String summary(VerificationReport report) {
        if (report.problems().isEmpty()) {
            return "bundle " + report.bundle() + " is invalid";
        }
        var first = report.problems().get(0);
        int more = report.problemCount() - 1;
        return "bundle " + report.bundle() + " is invalid: " + first.location() + ": " + first.message()
                + (more > 0 ? " (and " + more + " more problem" + (more == 1 ? "" : "s") + ")" : "");
    }
}
