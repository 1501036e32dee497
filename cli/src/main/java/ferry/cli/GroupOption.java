package ferry.cli;

import ferry.wsus.catalog.TargetGroup;
import picocli.CommandLine.Option;

/**
 * The {@code --group NAME} option of the commands that approve for or unapprove from one computer group
 * ({@code approve}, {@code unapprove}), as a picocli mixin; All Computers unless given.
 */
final class GroupOption {
    @Option(names = "--group", paramLabel = "NAME", defaultValue = TargetGroup.ALL_COMPUTERS_NAME,
            description = "The computer group (default: ${DEFAULT-VALUE}).")
    String name;
}
