package ferry.cli;

import ferry.server.ClientsReport;
import ferry.wsus.wusp.ClientRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code ferry clients}: the Windows computers a served store's server answers. */
@Command(name = "clients", mixinStandardHelpOptions = true,
        description = {"The Windows computers that use `ferry serve` as their update server (see docs/windows-clients.md)."},
        subcommands = {ClientsCommand.ListClients.class})
public final class ClientsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"List the registered computers: name, client id, groups, OS, last contact, and each approved",
                    "update ferry offered it with what the computer reported (offered, needed, downloading, downloaded,",
                    "installing, installed, pending-restart, failed). Reads <store>/clients.mv.db, also while",
                    "`ferry serve` runs."},
            footer = {"", "Exit codes: 0 listed, 2 usage error or no store there, 10 internal error."})
    static final class ListClients implements Callable<Integer> {
        @Option(names = "--store", required = true, paramLabel = "DIR", description = "The store directory.")
        Path store;

        @Mixin
        OutputOptions output;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (!Files.exists(store.resolve("store.id")) && !Files.exists(store.resolve("catalog.mv.db"))) {
                throw new CliException(ExitCodes.USAGE, "no store at " + store + " (ferry import makes one)");
            }
            List<ClientRegistry.Computer> computers;
            Optional<ClientRegistry> registry = ClientRegistry.openExisting(store);
            if (registry.isEmpty()) {
                computers = List.of();
            } else {
                try (ClientRegistry r = registry.get()) {
                    computers = r.computers();
                }
            }
            ClientsReport.ReportJson report = ClientsReport.model(computers, null, Instant.now());
            new Output(spec, output.json).result(report, ClientsReport.text(report).stripTrailing());
            return ExitCodes.OK;
        }
    }
}
