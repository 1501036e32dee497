package ferry.cli;

import ferry.server.AccessLog;
import ferry.server.Listeners;
import ferry.server.ServeException;
import ferry.server.ServerLimits;
import ferry.server.StoreServer;
import ferry.server.TlsCredentials;
import ferry.store.StoreLockedException;
import ferry.wsus.server.ServerSyncSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
                "Point a downstream WSUS server at this host and port as its upstream server: HTTP on --port (8530),",
                "HTTPS on --tls-port (8531) with --tls-cert and --tls-key (PEM) or --tls-pkcs12, or both, as WSUS does.",
                "`ferry import` may import into the store while it is served: each answer is the state before the",
                "import's commit or the state after it, never a mix, and the new state is served from the commit on."},
        footer = {"", "Limits against slow or greedy clients: a connection over --max-connections-per-address is closed "
                + "as soon as it is accepted; connections over --max-connections wait in the accept backlog. Request "
                + "bodies are read without holding a worker thread, must arrive within --request-body-timeout and may "
                + "be at most 4 MiB (413 otherwise); that size has no option because it is the largest SOAP request "
                + "the MS-WSUSSS handler reads, so a larger limit would change nothing.",
                "", "HTTPS speaks TLS 1.3 and 1.2 only. A certificate for host wsus-up.example.org, valid two years:",
                "  openssl req -x509 -newkey rsa:3072 -sha256 -days 730 -nodes -keyout ferry.key -out ferry.crt \\",
                "    -subj /CN=wsus-up.example.org -addext subjectAltName=DNS:wsus-up.example.org",
                "then import ferry.crt into the downstream server's Trusted Root store (docs/serving.md).",
                "", "Exit codes: 0 stopped, 2 cannot open the store or bind the port or a limit is not positive, "
                + "5 store in use (already served, or held by `ferry store check`)."})
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--store", required = true, paramLabel = "DIR", description = "The store directory.")
    Path store;

    @Option(names = "--port", defaultValue = "8530", description = "HTTP port (default: ${DEFAULT-VALUE}, the WSUS HTTP port).")
    int port;

    @Option(names = "--access-log", paramLabel = "FILE",
            description = "Log every request in the NCSA combined format, appended to FILE; - for standard output.")
    String accessLog;

    @Option(names = "--no-http", description = "Serve HTTPS only (needs --tls-port).")
    boolean noHttp;

    @Option(names = "--tls-port", paramLabel = "PORT", description = "Also serve HTTPS on PORT (WSUS uses 8531).")
    Integer tlsPort;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Certificate chain for HTTPS, server certificate first.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "Its unencrypted private key (PKCS#8, RSA or EC); keep it readable by the serving user only.")
    Path tlsKey;

    @Option(names = "--tls-pkcs12", paramLabel = "FILE", description = "Certificate chain and key for HTTPS as one PKCS#12 file, instead of --tls-cert/--tls-key.")
    Path tlsPkcs12;

    @Option(names = "--tls-pkcs12-password-file", paramLabel = "FILE", description = "The PKCS#12 file's password, from the first line of FILE (default: empty).")
    Path tlsPkcs12PasswordFile;

    @Option(names = "--bind", defaultValue = "0.0.0.0",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, all interfaces; 127.0.0.1 for this machine only).")
    String bind;

    @Option(names = "--plain-blobs",
            description = "Send every update document as plain XmlUpdateBlob in GetUpdateData, never as an LZX "
                    + "cabinet in XmlUpdateBlobCompressed (the default for documents over 5,120 UTF-16 bytes, as "
                    + "Microsoft's servers send them). For a downstream server that cannot read ferry's cabinets, or "
                    + "to save the CPU compressing costs; answers get several times larger. A document with characters "
                    + "XML 1.0 cannot carry still travels as a cabinet, the only lossless form.")
    boolean plainBlobs;

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

    /** The MS-WSUSSS settings the options give. */
    ServerSyncSettings settings() {
        return ServerSyncSettings.defaults().withPlainBlobsOnly(plainBlobs);
    }

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

    /**
     * The ports and TLS credentials the options give.
     *
     * @throws ParameterException (a usage error) for options that do not fit together
     * @throws ServeException     if the certificate, key or PKCS#12 file cannot be used
     */
    Listeners listeners() throws ServeException {
        boolean pem = tlsCert != null || tlsKey != null;
        if (tlsPort == null) {
            if (pem || tlsPkcs12 != null || noHttp) {
                throw new ParameterException(spec.commandLine(), "--tls-cert, --tls-key, --tls-pkcs12 and --no-http"
                        + " need --tls-port");
            }
            return Listeners.http(bind, port);
        }
        if (pem == (tlsPkcs12 != null) || (pem && (tlsCert == null || tlsKey == null))) {
            throw new ParameterException(spec.commandLine(), "HTTPS needs either --tls-cert and --tls-key, or --tls-pkcs12");
        }
        TlsCredentials tls;
        if (pem) {
            tls = TlsCredentials.fromPem(tlsCert, tlsKey);
        } else {
            char[] password = new char[0];
            if (tlsPkcs12PasswordFile != null) {
                try {
                    String text = Files.readString(tlsPkcs12PasswordFile, StandardCharsets.UTF_8);
                    int nl = text.indexOf('\n');
                    password = (nl >= 0 ? text.substring(0, nl) : text).strip().toCharArray();
                } catch (IOException e) {
                    throw new ParameterException(spec.commandLine(), "cannot read --tls-pkcs12-password-file "
                            + tlsPkcs12PasswordFile + ": " + e.getMessage());
                }
            }
            tls = TlsCredentials.fromPkcs12(tlsPkcs12, password);
        }
        try {
            return new Listeners(bind, noHttp ? -1 : port, tlsPort, tls);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        ServerLimits limits = limits();
        StoreServer server;
        try {
            AccessLog log = accessLog == null ? AccessLog.none()
                    : "-".equals(accessLog) ? AccessLog.to(System.out) : AccessLog.toFile(Path.of(accessLog));
            server = StoreServer.start(store, listeners(), limits, log, settings());
        } catch (ServeException | StoreLockedException e) {
            throw new CliException(Errors.exitCode(e), e.getMessage(), e);
        }
        try (server) {
            StringBuilder at = new StringBuilder();
            for (java.net.URI u : server.uris()) {
                at.append(at.length() == 0 ? "" : " and ").append(ServedAddress.describe(u));
            }
            spec.commandLine().getOut().println("Serving store " + store.toAbsolutePath() + " at "
                    + at + " (status page at /). Ctrl-C stops it.");
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
