package ferry.cli;

import picocli.CommandLine.Option;

/**
 * The {@code --dry-run} option of the commands that change a store's approvals ({@code approve}, {@code unapprove},
 * {@code decline}), as a picocli mixin: the command says what it would change and changes nothing.
 */
final class DryRunOption {
    @Option(names = "--dry-run", description = "Say what would change; change nothing.")
    boolean requested;
}
