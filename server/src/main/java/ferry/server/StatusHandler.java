package ferry.server;

import ferry.store.Store;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;

/**
 * The status page: {@code GET /} (HTML) and {@code GET /status.json} (see {@link StatusJson}); HEAD as well. Other
 * paths are left to the next handler. Responses are never cached and forbid scripts and framing.
 */
final class StatusHandler extends Handler.Abstract {
    private final Store store;
    private final ServerTraffic traffic;

    StatusHandler(Store store, ServerTraffic traffic) {
        super(InvocationType.BLOCKING);
        this.store = store;
        this.traffic = traffic;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        boolean html = "/".equals(path);
        if (!html && !"/status.json".equals(path)) {
            return false;
        }
        boolean head = HttpMethod.HEAD.is(request.getMethod());
        if (!head && !HttpMethod.GET.is(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
            return true;
        }
        StoreStatus status = StoreStatus.of(store, traffic.snapshot());
        byte[] body = html ? StatusHtml.render(status) : StatusJson.render(status);
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
}
