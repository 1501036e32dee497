package ferry.wsus.server;

import org.eclipse.jetty.http.DateGenerator;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.http.content.FileMappingHttpContentFactory;
import org.eclipse.jetty.http.content.HttpContent;
import org.eclipse.jetty.http.content.ResourceHttpContent;
import org.eclipse.jetty.util.resource.ResourceFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The content files served recently, each as Jetty {@link HttpContent} worked out once: its length, Last-Modified and
 * ETag, and its bytes mapped into memory (Jetty's {@link FileMappingHttpContentFactory}), so a response or a byte
 * range is written to the socket straight from the page cache in one write, instead of being read through a small
 * buffer first. That and not asking the file system for the same metadata several times per request is most of what
 * a static file server spends.
 *
 * <p>Every request still checks the file ({@code stat}): a file that has gone (an object moved to quarantine) is not
 * served, and one that was replaced (a different file key, size or modification time: an object quarantined, then
 * imported again) is mapped afresh, so a stale mapping is never served. At most {@code maxFiles} files are remembered;
 * when that many are, the cache starts over (a mapping is released by the garbage collector once no response uses
 * it). Thread-safe.
 */
final class ContentFiles {

    /** Files remembered by default: far below the kernel's 65,530 memory mappings per process. */
    static final int DEFAULT_MAX_FILES = 1024;
    /** The largest single mapping by default (bytes); larger files are mapped in pieces of this size. */
    static final int DEFAULT_MAX_MAPPING = 1 << 30;

    private static final ResourceFactory RESOURCES = ResourceFactory.root();

    private final ConcurrentHashMap<String, ContentFile> files = new ConcurrentHashMap<>();
    private final int maxFiles;
    private final int maxMapping;

    /**
     * @param maxFiles   how many files to remember (count, at least 1)
     * @param maxMapping largest single memory mapping (bytes, at least 1); a larger file is mapped in pieces
     * @throws IllegalArgumentException if a limit is below 1
     */
    ContentFiles(int maxFiles, int maxMapping) {
        if (maxFiles < 1 || maxMapping < 1) {
            throw new IllegalArgumentException("content file limits must be positive: " + maxFiles + ", " + maxMapping);
        }
        this.maxFiles = maxFiles;
        this.maxMapping = maxMapping;
    }

    ContentFiles() {
        this(DEFAULT_MAX_FILES, DEFAULT_MAX_MAPPING);
    }

    /**
     * The content of {@code file}, whose SHA-1 is {@code sha1Hex}, with the strong ETag {@code "<sha1Hex>"}.
     *
     * @return the content, or null if {@code file} is not (or no longer) a regular file
     * @throws IOException if the file's attributes cannot be read for another reason than its absence
     */
    HttpContent get(String sha1Hex, Path file) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException gone) {
            files.remove(sha1Hex);
            return null;
        }
        if (!attributes.isRegularFile()) {
            files.remove(sha1Hex);
            return null;
        }
        ContentFile known = files.get(sha1Hex);
        if (known != null && known.isOf(file, attributes)) {
            return known;
        }
        ContentFile fresh = new ContentFile(sha1Hex, file, attributes, map(file));
        if (files.size() >= maxFiles) {
            files.clear();
        }
        files.put(sha1Hex, fresh);
        return fresh;
    }

    /** How many files are remembered (for tests). */
    int size() {
        return files.size();
    }

    private HttpContent map(Path file) throws IOException {
        HttpContent plain = new ResourceHttpContent(RESOURCES.newResource(file), null);
        // Jetty's factory maps the file (in pieces of maxMapping bytes) and falls back to the plain content, read
        // through buffers, if the file system cannot map it.
        return new FileMappingHttpContentFactory(path -> plain, 0, maxMapping).getContent(file.toString());
    }

    /** One file as served: the metadata worked out once, the bytes as mapped. */
    private static final class ContentFile extends HttpContent.Wrapper {
        private final Path file;
        private final Object fileKey;
        private final long length;
        private final FileTime modified;
        private final Instant lastModifiedInstant;
        private final HttpField lastModified;
        private final HttpField contentLength;
        private final HttpField etag;

        ContentFile(String sha1Hex, Path file, BasicFileAttributes attributes, HttpContent mapped) {
            super(mapped);
            this.file = file;
            this.fileKey = attributes.fileKey();
            this.length = attributes.size();
            this.modified = attributes.lastModifiedTime();
            this.lastModifiedInstant = modified.toInstant();
            this.lastModified = new PreEncodedHttpField(HttpHeader.LAST_MODIFIED,
                    DateGenerator.formatDate(lastModifiedInstant));
            this.contentLength = new PreEncodedHttpField(HttpHeader.CONTENT_LENGTH, Long.toString(length));
            this.etag = new PreEncodedHttpField(HttpHeader.ETAG, "\"" + sha1Hex + "\"");
        }

        boolean isOf(Path path, BasicFileAttributes attributes) {
            return file.equals(path) && Objects.equals(fileKey, attributes.fileKey()) && length == attributes.size()
                    && modified.equals(attributes.lastModifiedTime());
        }

        @Override
        public HttpField getETag() {
            return etag;
        }

        @Override
        public String getETagValue() {
            return etag.getValue();
        }

        @Override
        public HttpField getLastModified() {
            return lastModified;
        }

        @Override
        public Instant getLastModifiedInstant() {
            return lastModifiedInstant;
        }

        @Override
        public HttpField getContentLength() {
            return contentLength;
        }

        @Override
        public long getContentLengthValue() {
            return length;
        }

        @Override
        public HttpField getContentType() {
            return null;
        }

        @Override
        public String getContentTypeValue() {
            return null;
        }

        @Override
        public MimeTypes.Type getMimeType() {
            return null;
        }

        @Override
        public String getCharacterEncoding() {
            return null;
        }
    }
}
