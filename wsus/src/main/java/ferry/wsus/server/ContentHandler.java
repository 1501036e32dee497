package ferry.wsus.server;

import ferry.wsus.ContentTypes;

import ferry.wsus.ContentUrls;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.content.HttpContent;
import org.eclipse.jetty.http.content.ResourceHttpContent;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.ResourceService;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.resource.Resource;
import org.eclipse.jetty.util.resource.ResourceFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Serves update content: GET and HEAD of {@code /Content/<XX>/<SHA1HEX>.<ext>} (MS-WSUSSS 2.1) from a
 * {@link ContentResolver}. Jetty's {@link ResourceService} does the HTTP work: streaming from the file, single
 * and multiple byte ranges (206, {@code Content-Range}, 416), conditional requests. The ETag is the strong
 * {@code "<SHA1HEX>"}: content is immutable and named by its hash. Paths that do not match exactly (encoded
 * characters, dot segments, wrong folder) get 404 without touching the file system.
 */
public final class ContentHandler extends Handler.Abstract {

    private final ContentResolver resolver;
    private final ResourceService resources = new ResourceService();
    private final ResourceFactory files = ResourceFactory.root();

    public ContentHandler(ContentResolver resolver) {
        super(InvocationType.BLOCKING);
        this.resolver = resolver;
        resources.setAcceptRanges(true);
        resources.setEtags(true);
        resources.setDirAllowed(false);
        resources.setCacheControl("public, max-age=31536000, immutable");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        if (path == null || !path.regionMatches(true, 0, ContentUrls.PREFIX, 0, ContentUrls.PREFIX.length())) {
            return false;
        }
        if (!HttpMethod.GET.is(request.getMethod()) && !HttpMethod.HEAD.is(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
            return true;
        }
        Optional<ContentUrls.ContentPath> parsed = ContentUrls.parse("/Content" + path.substring(ContentUrls.PREFIX.length() - 1));
        Optional<Path> file = parsed.flatMap(p -> resolver.resolve(p.sha1Hex()));
        if (file.isEmpty() || !Files.isRegularFile(file.get())) {
            Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
            return true;
        }
        Resource resource = files.newResource(file.get());
        String type = ContentTypes.forExtension(parsed.get().extension());
        HttpContent content = new NamedContent(new ResourceHttpContent(resource, type), "\"" + parsed.get().sha1Hex() + "\"");
        resources.doGet(request, response, callback, content);
        return true;
    }

    /** Replaces Jetty's weak, time-based ETag by the content hash. */
    private static final class NamedContent extends HttpContent.Wrapper {
        private final HttpField etag;

        NamedContent(HttpContent content, String etag) {
            super(content);
            this.etag = new HttpField(HttpHeader.ETAG, etag);
        }

        @Override
        public HttpField getETag() {
            return etag;
        }

        @Override
        public String getETagValue() {
            return etag.getValue();
        }
    }

    @Override
    public String toString() {
        return "ContentHandler[" + resolver.getClass().getSimpleName().toLowerCase(Locale.ROOT) + "]";
    }
}
