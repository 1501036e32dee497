package ferry.format;

import java.util.List;

/**
 * Result of parsing manifest bytes while collecting every problem.
 *
 * @param manifest the parsed manifest, or {@code null} when there are problems
 * @param problems each names its JSON field path in {@link BundleFormatException#field()}; empty when valid;
 *                 at most {@link Limits#MAX_REPORTED_FIELD_ERRORS} (+1 saying more were dropped)
 */
public record ManifestCheck(Manifest manifest, List<BundleFormatException> problems) {
    public ManifestCheck {
        problems = List.copyOf(problems);
    }

    /** Whether the bytes are a valid manifest. */
    public boolean ok() {
        return problems.isEmpty();
    }
}
