package ferry.cli;

import ferry.server.ServeException;
import ferry.server.StoreServer;
import ferry.store.StoreLockedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code ferry serve}: the store as a local upstream server. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve a store as an upstream server until interrupted:",
                "  /ServerSyncWebService/ServerSyncWebService.asmx  MS-WSUSSS, for downstream WSUS servers",
                "  /Content/XX/SHA1.ext                             update files for Windows clients (HEAD, ranges)",
                "  /  and  /status.json                             what the store holds and where it came from",
                "Point a downstream WSUS server at this host and port as its upstream server (plain HTTP)."},
        footer = {"", "Exit codes: 0 stopped, 2 cannot open the store or bind the port, 5 store in use (e.g. by an import)."})
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--store", required = true, paramLabel = "DIR", description = "The store directory.")
    Path store;

    @Option(names = "--port", defaultValue = "8530", description = "TCP port (default: ${DEFAULT-VALUE}, the WSUS HTTP port).")
    int port;

    @Option(names = "--bind", defaultValue = "0.0.0.0",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, all interfaces; 127.0.0.1 for this machine only).")
    String bind;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        StoreServer server;
        try {
            server = StoreServer.start(store, bind, port);
        } catch (ServeException | StoreLockedException e) {
            throw new CliException(Errors.exitCode(e), e.getMessage(), e);
        }
        try (server) {
            spec.commandLine().getOut().println("Serving store " + store.toAbsolutePath() + " at "
                    + ServedAddress.describe(server.uri()) + " (status page at /). Ctrl-C stops it.");
            spec.commandLine().getOut().flush();
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            stop.await();
        }
        return ExitCodes.OK;
    }
}
