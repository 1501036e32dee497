package ferry.samples;

import ferry.wsus.UpdateIdentity;
import ferry.wsus.soap.Messages.AuthPlugIn;
import ferry.wsus.soap.Messages.AuthorizationCookie;
import ferry.wsus.soap.Messages.Cookie;
import ferry.wsus.soap.Messages.IdAndDelta;
import ferry.wsus.soap.Messages.RevisionIdList;
import ferry.wsus.soap.Messages.ServerSyncFilter;
import ferry.wsus.soap.Messages.ServerUpdateData;
import ferry.wsus.soap.Operation;
import ferry.wsus.soap.Soap;
import ferry.wsus.soap.SoapFaultException;
import ferry.wsus.soap.SoapFormatException;
import ferry.wsus.soap.SoapRequests;
import ferry.wsus.soap.SoapResponseReader;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * The client half of {@code bench/metadata.sh}: real MS-WSUSSS SOAP 1.1 over HTTP against a running server, timed
 * from sending the request to the parsed answer (ferry's own request writer and response reader; compressed blobs
 * are not decoded, which is the client's work, not the server's).
 *
 * <pre>
 * java -cp ferry-cli.jar ferry.samples.MetadataBench --upstream http://127.0.0.1:PORT/ --product GUID
 *     --classification GUID [--list-runs 5] [--data-requests 200] [--warmup 20] [--seed 1] [--server-pid PID]
 * </pre>
 *
 * <p>Measures, in order: the authorization handshake (GetAuthConfig, GetAuthorizationCookie, GetCookie, then
 * GetConfigData), GetRevisionIdList with GetConfig=true, GetRevisionIdList for the product × classification
 * {@code --list-runs} times (min, median, max), GetRevisionIdList without any filter once (every update: the
 * largest answer the server gives), then GetUpdateData with 100 ids per request, each request a different random
 * set drawn from the unfiltered list, {@code --warmup} requests untimed and {@code --data-requests} timed (p50,
 * p95, p99, max). With {@code --server-pid} (a server on this machine), each phase also reports the server's CPU
 * time per request, read from /proc. Every answer is checked (ids back exactly as asked); a fault or a wrong answer ends the run with
 * exit status 1. Prints one line per figure to standard output, times in milliseconds.
 */
public final class MetadataBench {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI sync;
    private final URI dss;
    private long serverPid = -1;

    private MetadataBench(URI base) {
        this.sync = base.resolve(Soap.SERVER_SYNC_PATH.substring(1));
        this.dss = base.resolve(Soap.DSS_AUTH_PATH.substring(1));
    }

    @FunctionalInterface
    private interface Parser<T> {
        T parse(InputStream in) throws SoapFormatException, SoapFaultException;
    }

    public static void main(String[] args) throws Exception {
        String upstream = null;
        String product = null;
        String classification = null;
        int listRuns = 5;
        int dataRequests = 200;
        int warmup = 20;
        long seed = 1;
        long serverPid = -1;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--upstream" -> upstream = v.endsWith("/") ? v : v + "/";
                case "--product" -> product = v.toLowerCase(Locale.ROOT);
                case "--classification" -> classification = v.toLowerCase(Locale.ROOT);
                case "--list-runs" -> listRuns = Integer.parseInt(v);
                case "--data-requests" -> dataRequests = Integer.parseInt(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--server-pid" -> serverPid = Long.parseLong(v);
                default -> {
                    System.err.println("metadata bench: unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        if (upstream == null || product == null || classification == null) {
            System.err.println("metadata bench: --upstream, --product and --classification are required");
            System.exit(2);
        }
        try {
            MetadataBench bench = new MetadataBench(URI.create(upstream));
            bench.serverPid = serverPid;
            bench.run(product, classification, listRuns, dataRequests, warmup, seed);
        } catch (BenchException e) {
            System.err.println("metadata bench: " + e.getMessage());
            System.exit(1);
        }
    }

    private void run(String product, String classification, int listRuns, int dataRequests, int warmup, long seed)
            throws Exception {
        long t = System.nanoTime();
        List<AuthPlugIn> plugIns = call(Operation.GET_AUTH_CONFIG, sync, SoapRequests.getAuthConfig(),
                SoapResponseReader::getAuthConfig);
        double authConfig = ms(t);
        if (plugIns.isEmpty()) {
            throw new BenchException("GetAuthConfig offered no plug-in");
        }
        t = System.nanoTime();
        AuthorizationCookie auth = call(Operation.GET_AUTHORIZATION_COOKIE, dss,
                SoapRequests.getAuthorizationCookie("ferry-bench", UUID.randomUUID().toString()),
                SoapResponseReader::getAuthorizationCookie);
        double authCookie = ms(t);
        t = System.nanoTime();
        Cookie cookie = call(Operation.GET_COOKIE, sync, SoapRequests.getCookie(auth, null, Soap.PROTOCOL_VERSION),
                SoapResponseReader::getCookie);
        double getCookie = ms(t);
        t = System.nanoTime();
        call(Operation.GET_CONFIG_DATA, sync, SoapRequests.getConfigData(cookie, null),
                SoapResponseReader::getConfigData);
        double config = ms(t);
        System.out.printf(Locale.ROOT, "handshake GetAuthConfig %.1f ms, GetAuthorizationCookie %.1f ms, GetCookie %.1f ms,"
                + " GetConfigData %.1f ms (first requests of the JVM)%n", authConfig, authCookie, getCookie, config);

        t = System.nanoTime();
        RevisionIdList configList = list(cookie, new ServerSyncFilter(null, true, List.of(), List.of(), List.of()));
        System.out.printf(Locale.ROOT, "GetRevisionIdList GetConfig=true: %d revisions in %.0f ms%n",
                configList.newRevisions().size(), ms(t));

        ServerSyncFilter selection = new ServerSyncFilter(null, false, List.of(new IdAndDelta(product, false)),
                List.of(new IdAndDelta(classification, false)), List.of());
        double[] listTimes = new double[listRuns];
        int listed = -1;
        double cpu = serverCpuMs();
        for (int i = 0; i < listRuns; i++) {
            t = System.nanoTime();
            RevisionIdList l = list(cookie, selection);
            listTimes[i] = ms(t);
            if (listed >= 0 && l.newRevisions().size() != listed) {
                throw new BenchException("GetRevisionIdList answered " + l.newRevisions().size() + " then "
                        + listed + " revisions for the same selection");
            }
            listed = l.newRevisions().size();
        }
        Arrays.sort(listTimes);
        System.out.printf(Locale.ROOT, "GetRevisionIdList product x classification: %d revisions; %d runs: min %.0f ms,"
                        + " median %.0f ms, max %.0f ms%s%n", listed, listRuns, listTimes[0], listTimes[listRuns / 2],
                listTimes[listRuns - 1], cpuSince(cpu, listRuns));

        cpu = serverCpuMs();
        t = System.nanoTime();
        RevisionIdList all = list(cookie, new ServerSyncFilter(null, false, List.of(), List.of(), List.of()));
        System.out.printf(Locale.ROOT, "GetRevisionIdList no filter: %d revisions in %.0f ms%s%n",
                all.newRevisions().size(), ms(t), cpuSince(cpu, 1));

        List<UpdateIdentity> pool = new ArrayList<>(all.newRevisions());
        pool.addAll(configList.newRevisions());
        if (pool.size() < 100) {
            throw new BenchException("the server lists only " + pool.size() + " revisions; 100 are needed");
        }
        Random random = new Random(seed);
        double[] times = new double[dataRequests];
        long bytes = 0;
        if (warmup == 0) {
            cpu = serverCpuMs();
        }
        for (int i = 0; i < warmup + dataRequests; i++) {
            List<UpdateIdentity> ids = sample(pool, random);
            t = System.nanoTime();
            ServerUpdateData data = call(Operation.GET_UPDATE_DATA, sync, SoapRequests.getUpdateData(cookie, ids),
                    SoapResponseReader::getUpdateData);
            double elapsed = ms(t);
            check(ids, data);
            if (i == warmup - 1) {
                cpu = serverCpuMs();
            }
            if (i >= warmup) {
                times[i - warmup] = elapsed;
                for (var u : data.updates()) {
                    bytes += u.xmlUpdateBlob() != null ? u.xmlUpdateBlob().length()
                            : u.xmlUpdateBlobCompressed().length;
                }
            }
        }
        Arrays.sort(times);
        System.out.printf(Locale.ROOT, "GetUpdateData 100 ids x %d requests (after %d untimed): p50 %.1f ms, p95 %.1f ms,"
                        + " p99 %.1f ms, max %.1f ms; %.0f KB of blobs per request%s%n", dataRequests, warmup,
                pct(times, 50), pct(times, 95), pct(times, 99), times[times.length - 1],
                bytes / 1024.0 / dataRequests, cpuSince(cpu, dataRequests));
    }

    private RevisionIdList list(Cookie cookie, ServerSyncFilter filter) throws Exception {
        return call(Operation.GET_REVISION_ID_LIST, sync, SoapRequests.getRevisionIdList(cookie, filter),
                SoapResponseReader::getRevisionIdList);
    }

    private static List<UpdateIdentity> sample(List<UpdateIdentity> pool, Random random) {
        LinkedHashSet<UpdateIdentity> ids = new LinkedHashSet<>();
        while (ids.size() < 100) {
            ids.add(pool.get(random.nextInt(pool.size())));
        }
        return new ArrayList<>(ids);
    }

    private static void check(List<UpdateIdentity> asked, ServerUpdateData data) throws BenchException {
        List<UpdateIdentity> got = new ArrayList<>();
        data.updates().forEach(u -> got.add(u.id()));
        List<UpdateIdentity> a = new ArrayList<>(asked);
        Collections.sort(a);
        Collections.sort(got);
        if (!a.equals(got)) {
            throw new BenchException("GetUpdateData answered " + got.size() + " updates, not the " + asked.size()
                    + " asked for");
        }
    }

    private <T> T call(Operation op, URI endpoint, byte[] body, Parser<T> parser) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofMinutes(5))
                .header("Content-Type", Soap.CONTENT_TYPE)
                .header("SOAPAction", "\"" + op.soapAction() + "\"")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw new BenchException(op.elementName() + ": HTTP " + response.statusCode() + ": "
                        + new String(in.readNBytes(500), java.nio.charset.StandardCharsets.UTF_8));
            }
            return parser.parse(in);
        } catch (SoapFaultException e) {
            throw new BenchException(op.elementName() + ": SOAP fault " + e.getMessage());
        } catch (SoapFormatException | IOException e) {
            throw new BenchException(op.elementName() + ": " + e.getMessage());
        }
    }

    /**
     * CPU time the server process has used so far, in milliseconds (user + system, from /proc), or -1 without
     * {@code --server-pid}: on a shared machine the server's CPU per request is steadier than wall time.
     */
    private double serverCpuMs() {
        if (serverPid < 0) {
            return -1;
        }
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(serverPid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10.0; // fields 14 and 15, at 100 ticks/s
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private String cpuSince(double before, int requests) {
        double now = serverCpuMs();
        return before < 0 || now < 0 ? "" : String.format(Locale.ROOT, "; server CPU %.0f ms per request",
                (now - before) / requests);
    }

    private static double pct(double[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double ms(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }

    private static final class BenchException extends Exception {
        private static final long serialVersionUID = 1L;

        BenchException(String message) {
            super(message);
        }
    }
}
