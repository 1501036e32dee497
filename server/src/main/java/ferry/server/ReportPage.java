package ferry.server;

import ferry.store.serve.GetOrHead;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A page of the status site at two paths: an HTML page for a person and its JSON twin for a script. GET and HEAD
 * (405 with {@code Allow} otherwise); other paths are left to the next handler. Every answer is built afresh, never
 * cached, and forbids scripts and framing, so a page showing a store's state can neither go stale in a browser nor
 * be embedded elsewhere.
 */
abstract class ReportPage extends Handler.Abstract {
    private final String htmlPath;
    private final String jsonPath;

    ReportPage(String htmlPath, String jsonPath) {
        super(InvocationType.BLOCKING);
        this.htmlPath = htmlPath;
        this.jsonPath = jsonPath;
    }

    /** The page's body, UTF-8: the HTML page when {@code html}, else the JSON document. */
    abstract byte[] render(boolean html);

    @Override
    public final boolean handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        boolean html = htmlPath.equals(path);
        if (!html && !jsonPath.equals(path)) {
            return false;
        }
        if (!GetOrHead.admit(request, response, callback)) {
            return true;
        }
        byte[] body = render(html);
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE,
                html ? "text/html; charset=utf-8" : "application/json; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        GetOrHead.write(request, response, callback, body);
        return true;
    }
}
