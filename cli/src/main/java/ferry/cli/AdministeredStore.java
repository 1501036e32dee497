package ferry.cli;

import ferry.importer.Importer;
import ferry.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens a store for the commands that administer it on the isolated side ({@code approve}, {@code decline},
 * {@code approvals}, {@code groups}): as its writer, which `ferry serve` may be serving meanwhile; an import running
 * meanwhile makes them wait for nothing and fail with exit code 5.
 */
final class AdministeredStore {
    private AdministeredStore() {
    }

    /**
     * @throws CliException (usage) when {@code dir} holds no store: these commands never create one
     */
    static Store open(Path dir) {
        if (!Files.exists(dir.resolve("store.id")) && !Files.exists(dir.resolve("catalog.mv.db"))) {
            throw new CliException(ExitCodes.USAGE, "no store at " + dir + " (ferry import makes one)");
        }
        return Store.openForImport(dir, Importer.catalogs());
    }
}
