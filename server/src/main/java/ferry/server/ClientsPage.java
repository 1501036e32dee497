package ferry.server;

import ferry.wsus.wusp.ClientApprovals;
import ferry.wsus.wusp.ClientRegistry;
import ferry.wsus.wusp.ClientScope;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The clients page of the status site: {@code GET /clients} (HTML) and {@code /clients.json} ({@link ClientsReport}),
 * HEAD as well: the registered Windows computers, the approved updates offered to each and what each reported, and the
 * approved updates not offered because the store lacks some of their files. Owns the clients database while the server
 * runs: closes it when the server stops.
 */
final class ClientsPage extends Handler.Abstract implements AutoCloseable {
    private final ClientRegistry registry;
    private final ClientScope scope;
    private final ClientApprovals approvals;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    ClientsPage(ClientRegistry registry, ClientScope scope, ClientApprovals approvals) {
        super(InvocationType.BLOCKING);
        this.registry = registry;
        this.scope = scope;
        this.approvals = approvals;
    }

    /** Files of updates approved for any group that the store does not hold, by update. */
    static List<ferry.wsus.wusp.ClientScope.MissingFile> missingFiles(ClientScope scope, ClientApprovals approvals) {
        List<ClientScope.MissingFile> out = new ArrayList<>();
        if (approvals.approvedForAnyGroup().isEmpty()) {
            return out; // reading the scope parses every update document: not at start when nothing is approved
        }
        ClientScope.Snapshot s = scope.current();
        for (String updateId : approvals.approvedForAnyGroup().stream().sorted().toList()) {
            out.addAll(s.missingFiles(updateId));
        }
        return out;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        boolean html = "/clients".equals(path);
        if (!html && !"/clients.json".equals(path)) {
            return false;
        }
        boolean head = HttpMethod.HEAD.is(request.getMethod());
        if (!head && !HttpMethod.GET.is(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
            return true;
        }
        ClientsReport.ReportJson report = ClientsReport.model(registry.computers(), missingFiles(scope, approvals),
                Instant.now());
        byte[] body = html ? ClientsReport.html(report) : ClientsReport.json(report);
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE,
                html ? "text/html; charset=utf-8" : "application/json; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), callback);
        return true;
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        close();
    }

    /** Closes the clients database (once): when the server stops, or when it could not start. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            registry.close();
        }
    }
}
