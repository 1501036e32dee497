package ferry.exporter.apt;

import ferry.exporter.ExportFigures;
import ferry.exporter.FileCounts;

import java.util.List;

/**
 * What an APT export found: the {@code ExportResult}'s figures when its source is {@code apt}. In
 * {@code ferry export --json} these properties appear at the top level.
 *
 * @param upstream        the repository root
 * @param suite           the suite read
 * @param components      the components read
 * @param architectures   the architectures read ({@code all} packages come along with each)
 * @param requested       the package names and patterns asked for (empty with {@code wholeComponent})
 * @param recommends      whether Recommends were followed
 * @param wholeComponent  whether every package of the components was selected
 * @param upstreamSigners fingerprints of the upstream keys whose signatures on the Release verified
 * @param selected        packages in the selection after the dependency closure (one per name and architecture
 *                        index; an {@code all} package chosen for two architectures counts twice)
 * @param files           the {@code .deb} files the bundle carries (new to the channel) and how they were had
 * @param unsatisfied     relations no package of the upstream meets ({@code <package> <field>: <relation>});
 *                        only with {@code wholeComponent} does a run go on with them (as warnings)
 */
public record AptFigures(String upstream, String suite, List<String> components, List<String> architectures,
                         List<String> requested, boolean recommends, boolean wholeComponent,
                         List<String> upstreamSigners, int selected, FileCounts files, List<String> unsatisfied)
        implements ExportFigures {

    public AptFigures {
        components = List.copyOf(components);
        architectures = List.copyOf(architectures);
        requested = List.copyOf(requested);
        upstreamSigners = List.copyOf(upstreamSigners);
        unsatisfied = List.copyOf(unsatisfied);
    }
}
