package ferry.exporter.apt;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The APT source type's selection for {@code ferry export --source apt}: one suite of the upstream repository, its
 * components and architectures, and the packages wanted there (names or glob patterns), closed over their
 * dependencies. Immutable; the constructor checks every field and throws {@link IllegalArgumentException} with a
 * one-line message (the operator's usage error).
 *
 * @param suite           the suite below {@code dists/}, e.g. {@code bookworm} or {@code stable}
 * @param components      e.g. {@code main}; at least one
 * @param architectures   e.g. {@code amd64}; at least one; {@code all} packages come along with each
 * @param packages        package names or glob patterns ({@code *}, {@code ?}); at least one unless
 *                        {@code wholeComponent}
 * @param recommends      follow {@code Recommends} as well as {@code Depends} and {@code Pre-Depends}
 * @param wholeComponent  carry every package of the components (for the architectures), as the upstream has them
 * @param upstreamKeyring the OpenPGP keys trusted to sign the suite's Release: a binary keyring ({@code .gpg}) or
 *                        armored keys ({@code .asc})
 */
public record AptOptions(String suite, List<String> components, List<String> architectures, List<String> packages,
                         boolean recommends, boolean wholeComponent, Path upstreamKeyring) {

    private static final Pattern SUITE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._\\-/]{0,99}");
    private static final Pattern WORD = Pattern.compile("[a-z0-9][a-z0-9.\\-]{0,63}");
    private static final Pattern PACKAGE = Pattern.compile("[a-z0-9*?][a-z0-9+.\\-*?]{0,199}");

    public AptOptions {
        if (suite == null || !SUITE.matcher(suite).matches() || suite.contains("..")) {
            throw new IllegalArgumentException("--suite: not a suite name: " + suite);
        }
        components = words("--component", components);
        architectures = words("--arch", architectures);
        if (components.isEmpty()) {
            throw new IllegalArgumentException("select at least one --component");
        }
        if (architectures.isEmpty()) {
            throw new IllegalArgumentException("select at least one --arch");
        }
        List<String> p = new ArrayList<>();
        for (String s : Objects.requireNonNull(packages, "packages")) {
            if (s == null || !PACKAGE.matcher(s.trim()).matches()) {
                throw new IllegalArgumentException("--package: not a package name or pattern: " + s);
            }
            if (!p.contains(s.trim())) {
                p.add(s.trim());
            }
        }
        packages = List.copyOf(p);
        if (packages.isEmpty() && !wholeComponent) {
            throw new IllegalArgumentException("select at least one --package, or --whole-component");
        }
        Objects.requireNonNull(upstreamKeyring, "the upstream keyring (--upstream-keyring) is required");
    }

    private static List<String> words(String option, List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : Objects.requireNonNull(values, option)) {
            if (v == null || !WORD.matcher(v.trim()).matches()) {
                throw new IllegalArgumentException(option + ": not a name: " + v);
            }
            if (!out.contains(v.trim())) {
                out.add(v.trim());
            }
        }
        return List.copyOf(out);
    }
}
