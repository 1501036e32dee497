package ferry.cli;

import ferry.exporter.ExportOptions;
import ferry.exporter.apt.AptOptions;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What {@code ferry export --source apt} selects from an APT repository, and the keys that sign its suite. */
final class AptSelectionOptions {
    @Option(names = "--suite", paramLabel = "SUITE", description = "apt: the suite below dists/, e.g. bookworm or stable.")
    String suite;

    @Option(names = "--component", paramLabel = "NAME", description = "apt: a component, e.g. main (repeatable; at least one).")
    List<String> components = new ArrayList<>();

    @Option(names = "--arch", paramLabel = "ARCH", description = "apt: an architecture, e.g. amd64 (repeatable; at least one; Architecture: all packages come along).")
    List<String> architectures = new ArrayList<>();

    @Option(names = "--package", paramLabel = "NAME|PATTERN", description = "apt: a package name or glob pattern (* and ?), closed over its dependencies (repeatable).")
    List<String> packages = new ArrayList<>();

    @Option(names = "--upstream-keyring", paramLabel = "FILE", description = "apt: the OpenPGP keys trusted to sign the suite's Release: a binary keyring (.gpg, e.g. /usr/share/keyrings/debian-archive-keyring.gpg) or armored keys (.asc).")
    Path upstreamKeyring;

    @Option(names = "--recommends", description = "apt: follow Recommends too, not only Pre-Depends and Depends.")
    boolean recommends;

    @Option(names = "--whole-component", description = "apt: carry every package of the components for the architectures (relations nothing meets become warnings).")
    boolean wholeComponent;

    /**
     * The APT selection for {@code --source apt}, null for another source.
     *
     * @param source       the {@code --source} value
     * @param upstream     the {@code --upstream} value (the WSUS default means none was given)
     * @param metadataOnly whether {@code --metadata-only} was given, which an APT bundle cannot honour
     * @throws IllegalArgumentException naming the option at fault: an APT option without {@code --source apt}, or
     *                                  {@code --source apt} without its upstream, suite or keyring
     */
    AptOptions resolve(String source, URI upstream, boolean metadataOnly) {
        boolean any = suite != null || !components.isEmpty() || !architectures.isEmpty() || !packages.isEmpty()
                || upstreamKeyring != null || recommends || wholeComponent;
        if (!"apt".equals(source)) {
            if (any) {
                throw new IllegalArgumentException("--suite, --component, --arch, --package, --upstream-keyring,"
                        + " --recommends and --whole-component need --source apt");
            }
            return null;
        }
        if (upstream == null || upstream.equals(ExportOptions.DEFAULT_UPSTREAM)) {
            throw new IllegalArgumentException("--source apt needs --upstream, the repository root holding dists/");
        }
        if (metadataOnly) {
            throw new IllegalArgumentException("--metadata-only is for wsus; an apt bundle always carries its .deb files");
        }
        if (suite == null) {
            throw new IllegalArgumentException("--source apt needs --suite");
        }
        if (upstreamKeyring == null) {
            throw new IllegalArgumentException("--source apt needs --upstream-keyring, the keys that sign the suite");
        }
        return new AptOptions(suite, components, architectures, packages, recommends, wholeComponent, upstreamKeyring);
    }
}
