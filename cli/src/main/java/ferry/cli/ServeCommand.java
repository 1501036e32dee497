package ferry.cli;

import ferry.server.ServeException;
import ferry.server.ServerLimits;
import ferry.server.StoreServer;
import ferry.store.StoreLockedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code ferry serve}: the store as a local upstream server. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve a store as an upstream server until interrupted:",
                "  /ServerSyncWebService/ServerSyncWebService.asmx  MS-WSUSSS, for downstream WSUS servers",
                "  /Content/XX/SHA1.ext                             update files for Windows clients (HEAD, ranges)",
                "  /  and  /status.json                             what the store holds and where it came from",
                "Point a downstream WSUS server at this host and port as its upstream server (plain HTTP)."},
        footer = {"", "Limits against slow or greedy clients: a connection over --max-connections-per-address is closed "
                + "as soon as it is accepted; connections over --max-connections wait in the accept backlog. Request "
                + "bodies are read without holding a worker thread, must arrive within --request-body-timeout and may "
                + "be at most 4 MiB (413 otherwise); that size has no option because it is the largest SOAP request "
                + "the MS-WSUSSS handler reads, so a larger limit would change nothing.",
                "", "Exit codes: 0 stopped, 2 cannot open the store or bind the port or a limit is not positive, "
                + "5 store in use (e.g. by an import)."})
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--store", required = true, paramLabel = "DIR", description = "The store directory.")
    Path store;

    @Option(names = "--port", defaultValue = "8530", description = "TCP port (default: ${DEFAULT-VALUE}, the WSUS HTTP port).")
    int port;

    @Option(names = "--bind", defaultValue = "0.0.0.0",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, all interfaces; 127.0.0.1 for this machine only).")
    String bind;

    private static final ServerLimits DEFAULTS = ServerLimits.defaults();

    @Option(names = "--max-connections-per-address", paramLabel = "N",
            description = "Open connections allowed from one client IP address (default: ${DEFAULT-VALUE}). "
                    + "Raise it for a proxy or NAT gateway that carries many clients.")
    int maxConnectionsPerAddress = DEFAULTS.maxConnectionsPerAddress();

    @Option(names = "--max-connections", paramLabel = "N",
            description = "Open connections allowed over all clients (default: ${DEFAULT-VALUE}).")
    int maxConnections = DEFAULTS.maxConnections();

    @Option(names = "--max-threads", paramLabel = "N",
            description = "Worker threads, at least 8 (default: ${DEFAULT-VALUE}).")
    int maxThreads = DEFAULTS.maxThreads();

    @Option(names = "--request-body-timeout", paramLabel = "SECONDS",
            description = "Time a whole request body must arrive in, after its headers, before the connection is "
                    + "cut (default: ${DEFAULT-VALUE}).")
    long requestBodyTimeoutSeconds = DEFAULTS.requestBodyTimeout().toSeconds();

    @Option(names = "--idle-timeout", paramLabel = "SECONDS",
            description = "A connection with no bytes moving for this long is closed (default: ${DEFAULT-VALUE}).")
    long idleTimeoutSeconds = DEFAULTS.idleTimeout().toSeconds();

    @Spec
    CommandSpec spec;

    /** Released by the shutdown hook (Ctrl-C, SIGTERM) to stop serving; tests release it themselves. */
    final CountDownLatch stop = new CountDownLatch(1);

    /**
     * The limits the options give.
     *
     * @throws ParameterException (a usage error) if one is not positive or the threads are fewer than 8
     */
    ServerLimits limits() {
        try {
            return new ServerLimits(maxThreads, maxConnections, maxConnectionsPerAddress,
                    DEFAULTS.maxRequestBodyBytes(), Duration.ofSeconds(requestBodyTimeoutSeconds),
                    Duration.ofSeconds(idleTimeoutSeconds));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--max-threads must be at least 8, and "
                    + "--max-connections, --max-connections-per-address, --request-body-timeout and --idle-timeout "
                    + "positive (got " + maxThreads + ", " + maxConnections + ", " + maxConnectionsPerAddress + ", "
                    + requestBodyTimeoutSeconds + ", " + idleTimeoutSeconds + ")");
        }
    }

    @Override
    public Integer call() throws Exception {
        ServerLimits limits = limits();
        StoreServer server;
        try {
            server = StoreServer.start(store, bind, port, limits);
        } catch (ServeException | StoreLockedException e) {
            throw new CliException(Errors.exitCode(e), e.getMessage(), e);
        }
        try (server) {
            spec.commandLine().getOut().println("Serving store " + store.toAbsolutePath() + " at "
                    + ServedAddress.describe(server.uri()) + " (status page at /). Ctrl-C stops it.");
            spec.commandLine().getOut().flush();
            Thread hook = new Thread(stop::countDown);
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                stop.await();
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is what released us
                }
            }
        }
        return ExitCodes.OK;
    }
}
