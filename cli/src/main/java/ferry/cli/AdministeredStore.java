package ferry.cli;

import ferry.importer.Importer;
import ferry.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options every command that administers a store on the isolated side takes ({@code approve}, {@code decline},
 * {@code approvals ...}, {@code groups ...}): {@code --store DIR} and {@code --json}, as a picocli mixin. The store is
 * opened as its writer, which `ferry serve` may be serving meanwhile; an import running meanwhile makes these
 * commands fail at once with exit code 5.
 */
final class AdministeredStore {
    @Option(names = "--store", required = true, paramLabel = "DIR", description = "The store directory.")
    private Path directory;

    @Option(names = "--json", description = "Print the result as JSON on standard output.")
    private boolean json;

    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    /** The store directory as given. */
    Path directory() {
        return directory;
    }

    /** The command using these options (for usage errors naming it). */
    CommandSpec spec() {
        return spec;
    }

    /** Where the command's result goes: text, or JSON with {@code --json}. */
    Output output() {
        return new Output(spec, json);
    }

    /**
     * Opens the store for writing.
     *
     * @throws CliException (usage) when the directory holds no store: these commands never create one
     */
    Store open() {
        if (!Files.exists(directory.resolve("store.id")) && !Files.exists(directory.resolve("catalog.mv.db"))) {
            throw new CliException(ExitCodes.USAGE, "no store at " + directory + " (ferry import makes one)");
        }
        return Store.openForImport(directory, Importer.catalogs());
    }
}
