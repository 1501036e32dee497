package ferry.format;

import java.util.Objects;

/**
 * The program that wrote a bundle.
 *
 * @param name    program name, 1-128 chars, no control characters, e.g. {@code "ferry"}
 * @param version program version, same rules, e.g. {@code "0.1.0"}
 */
public record Producer(String name, String version) {
    public Producer {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        String p = FieldRules.shortTextProblem(name);
        if (p != null) {
            throw new IllegalArgumentException("producer name " + p);
        }
        p = FieldRules.shortTextProblem(version);
        if (p != null) {
            throw new IllegalArgumentException("producer version " + p);
        }
    }
}
