package ferry.wsus.server;

import ferry.wsus.ContentTypes;
import ferry.wsus.ContentUrls;
import ferry.store.serve.GetOrHead;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.http.content.HttpContent;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.ResourceService;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves update content: GET and HEAD of {@code /Content/<XX>/<SHA1HEX>.<ext>} (MS-WSUSSS 2.1) from a
 * {@link ContentResolver}. Paths match as IIS matches them: {@code Content} and the hex digits in any letter case,
 * runs of slashes taken as one ({@code //Content/...}, sent by clients configured with a trailing slash). Jetty's
 * {@link ResourceService} does the HTTP work: single and multiple byte ranges (206, {@code Content-Range}, 416),
 * conditional requests; nothing is compressed. The ETag is the strong {@code "<SHA1HEX>"}: content is immutable and
 * named by its hash; Last-Modified is the file's modification time. Files are written from memory mappings kept
 * for the files served recently ({@link ContentFiles}). Paths that do not match exactly (encoded characters, dot
 * segments, wrong folder) get 404 without touching the file system.
 */
public final class ContentHandler extends Handler.Abstract {

    private static final ConcurrentHashMap<String, HttpField> TYPES = new ConcurrentHashMap<>();

    private final ContentResolver resolver;
    private final ContentFiles files;
    private final ResourceService resources = new ResourceService();

    public ContentHandler(ContentResolver resolver) {
        this(resolver, new ContentFiles());
    }

    ContentHandler(ContentResolver resolver, ContentFiles files) {
        super(InvocationType.BLOCKING);
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.files = Objects.requireNonNull(files, "files");
        resources.setAcceptRanges(true);
        resources.setEtags(true);
        resources.setDirAllowed(false);
        resources.setCacheControl("public, max-age=31536000, immutable");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws IOException {
        String path = collapseSlashes(request.getHttpURI().getPath());
        if (path == null || !path.regionMatches(true, 0, ContentUrls.PREFIX, 0, ContentUrls.PREFIX.length())) {
            return false;
        }
        if (!GetOrHead.admit(request, response, callback)) {
            return true;
        }
        Optional<ContentUrls.ContentPath> parsed = ContentUrls.parse("/Content" + path.substring(ContentUrls.PREFIX.length() - 1));
        Optional<Path> file = parsed.flatMap(p -> resolver.resolve(p.sha1Hex()));
        HttpContent content = file.isEmpty() ? null : files.get(parsed.get().sha1Hex(), file.get());
        if (content == null) {
            Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
            return true;
        }
        String type = ContentTypes.forExtension(parsed.get().extension());
        resources.doGet(request, response, callback,
                new TypedContent(content, TYPES.computeIfAbsent(type, t -> new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, t))));
        return true;
    }

    /**
     * {@code path} with every run of slashes replaced by one, as IIS reads request paths; null for null.
     */
    static String collapseSlashes(String path) {
        if (path == null || !path.contains("//")) {
            return path;
        }
        StringBuilder b = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c != '/' || b.length() == 0 || b.charAt(b.length() - 1) != '/') {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** The content with the media type its URL's extension names (the same file may be asked for as .cab or .exe). */
    private static final class TypedContent extends HttpContent.Wrapper {
        private final HttpField type;

        TypedContent(HttpContent content, HttpField type) {
            super(content);
            this.type = type;
        }

        @Override
        public HttpField getContentType() {
            return type;
        }

        @Override
        public String getContentTypeValue() {
            return type.getValue();
        }
    }

    @Override
    public String toString() {
        return "ContentHandler[" + resolver.getClass().getSimpleName().toLowerCase(Locale.ROOT) + "]";
    }
}
