package ferry.apt.serve;

import ferry.apt.catalog.AptCatalog;
import ferry.apt.publish.SnapshotFiles;
import ferry.store.serve.GetOrHead;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.http.content.HttpContent;
import org.eclipse.jetty.http.content.ResourceHttpContent;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.ResourceService;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.resource.ResourceFactory;

/**
 * Serves the published APT channels: GET and HEAD of {@code /apt/<channel>/dists/...} and
 * {@code /apt/<channel>/pool/...} (docs/apt.md, "Serving").
 *
 * <p>{@code dists/}: each request is answered from the snapshot the channel serves at that moment, read in one
 * catalog query, so a switch (an import, a rollback) is atomic for every file. Indexes asked for by hash
 * ({@code .../by-hash/SHA256/<hash>}, which apt uses because every Release says {@code Acquire-By-Hash: yes}) are
 * found in any kept snapshot: a client that read the old InRelease just before a switch still gets the indexes it
 * names, so it never mixes two snapshots. {@code InRelease} and the other named files are revalidated
 * ({@code Cache-Control: no-cache}, ETag the SHA-256); by-hash files are immutable.
 *
 * <p>{@code pool/}: the {@code .deb} is the store's object itself (no second copy), found by its Filename in any kept
 * snapshot of the channel, served through Jetty's {@link ResourceService} (byte ranges, conditional requests), ETag
 * the strong {@code "<sha256>"}. Anything else below {@code /apt/} is 404.
 */
public final class AptHandler extends Handler.Abstract {
    /** The prefix of every APT URL. */
    public static final String PREFIX = "/apt/";

    private static final Pattern PATH = Pattern.compile("/apt/([a-z0-9][a-z0-9._-]{0,63})/(dists|pool)/(.+)");
    private static final Pattern BY_HASH = Pattern.compile("(.+)/by-hash/SHA256/([0-9a-f]{64})");
    private static final HttpField DEB = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE,
            "application/vnd.debian.binary-package");

    private final AptCatalog catalog;
    private final ResourceService resources = new ResourceService();

    public AptHandler(AptCatalog catalog) {
        super(InvocationType.BLOCKING);
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        resources.setAcceptRanges(true);
        resources.setEtags(true);
        resources.setDirAllowed(false);
        resources.setCacheControl("public, max-age=31536000, immutable");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getDecodedPath();
        if (path == null || !path.startsWith(PREFIX)) {
            return false;
        }
        if (!GetOrHead.admit(request, response, callback)) {
            return true;
        }
        Matcher m = PATH.matcher(path);
        if (!m.matches() || !safe(m.group(3))) {
            Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
            return true;
        }
        String channel = m.group(1);
        if (m.group(2).equals("pool")) {
            pool(request, response, callback, channel, "pool/" + m.group(3));
        } else {
            dists(request, response, callback, channel, m.group(3));
        }
        return true;
    }

    private void dists(Request request, Response response, Callback callback, String channel, String rest) {
        Matcher h = BY_HASH.matcher(rest);
        boolean byHash = h.matches();
        Optional<SnapshotFiles.File> file = byHash ? catalog.byHash(channel, h.group(1), h.group(2))
                : catalog.current(channel, rest);
        if (file.isEmpty()) {
            Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
            return;
        }
        byte[] bytes = file.get().bytes();
        String etag = "\"" + file.get().sha256() + "\"";
        response.getHeaders().put(HttpHeader.ETAG, etag);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, byHash ? "public, max-age=31536000, immutable" : "no-cache");
        String inm = request.getHeaders().get(HttpHeader.IF_NONE_MATCH);
        if (inm != null && (inm.equals(etag) || inm.equals("*"))) {
            response.setStatus(HttpStatus.NOT_MODIFIED_304);
            response.write(true, null, callback);
            return;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type(file.get().path()));
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.setStatus(HttpStatus.OK_200);
        GetOrHead.write(request, response, callback, bytes);
    }

    private void pool(Request request, Response response, Callback callback, String channel, String filename)
            throws IOException {
        Optional<String> sha256 = catalog.pool(channel, filename);
        Path object = sha256.map(catalog::objectPath).orElse(null);
        if (object == null || !Files.isRegularFile(object)) {
            Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
            return;
        }
        HttpField etag = new PreEncodedHttpField(HttpHeader.ETAG, "\"" + sha256.get() + "\"");
        HttpContent content = new HttpContent.Wrapper(new ResourceHttpContent(ResourceFactory.root().newResource(object),
                DEB.getValue())) {
            @Override
            public HttpField getETag() {
                return etag;
            }

            @Override
            public String getETagValue() {
                return etag.getValue();
            }

            @Override
            public HttpField getContentType() {
                return DEB;
            }

            @Override
            public String getContentTypeValue() {
                return DEB.getValue();
            }
        };
        resources.doGet(request, response, callback, content);
    }

    private static String type(String path) {
        if (path.endsWith(".gz")) {
            return "application/gzip";
        }
        if (path.endsWith(".xz")) {
            return "application/x-xz";
        }
        if (path.endsWith(".gpg")) {
            return "application/pgp-signature";
        }
        return "text/plain; charset=utf-8";
    }

    // Decoded paths: no empty, dot or dot-dot segment, no control characters, no backslash.
    private static boolean safe(String rest) {
        if (rest.length() > 1100 || rest.indexOf('\\') >= 0) {
            return false;
        }
        for (String segment : rest.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return rest.chars().noneMatch(ch -> ch < 0x20 || ch == 0x7f);
    }

    @Override
    public String toString() {
        return "AptHandler";
    }
}
