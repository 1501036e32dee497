package ferry.store.serve;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The method rule of every read-only handler that serves a store (APT channels, the status pages, update content):
 * GET and HEAD are answered, any other method gets {@code 405 Method Not Allowed} with {@code Allow: GET, HEAD}, and a
 * HEAD answer carries the same headers as the GET answer but no body.
 */
public final class GetOrHead {
    /** The {@code Allow} header's value on a 405. */
    public static final String ALLOWED = "GET, HEAD";

    private GetOrHead() {
    }

    /**
     * Whether the request's method is GET or HEAD. Otherwise this answers it with 405 and {@code Allow: GET, HEAD}
     * (completing {@code callback}) and returns false; the handler then returns true without writing anything more.
     */
    public static boolean admit(Request request, Response response, Callback callback) {
        if (HttpMethod.GET.is(request.getMethod()) || HttpMethod.HEAD.is(request.getMethod())) {
            return true;
        }
        response.getHeaders().put(HttpHeader.ALLOW, ALLOWED);
        Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
        return false;
    }

    /** Whether the request is a HEAD. */
    public static boolean isHead(Request request) {
        return HttpMethod.HEAD.is(request.getMethod());
    }

    /**
     * Completes the answer: {@code body} for a GET, no body for a HEAD (status and headers, {@code Content-Length}
     * included, are the caller's and the same for both).
     */
    public static void write(Request request, Response response, Callback callback, byte[] body) {
        response.write(true, isHead(request) ? null : ByteBuffer.wrap(body), callback);
    }
}
