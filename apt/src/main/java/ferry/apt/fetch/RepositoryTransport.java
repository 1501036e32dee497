package ferry.apt.fetch;

import java.io.IOException;
import java.io.InputStream;

/**
 * How the APT client half reads files of an upstream repository, given paths below the repository root (e.g.
 * {@code dists/bookworm/InRelease}). The exporter supplies its HTTP client (retries, proxy, TLS trust); tests may
 * use a plain one. Implementations must be thread-safe.
 */
public interface RepositoryTransport {

    /**
     * Opens a file.
     *
     * @param path     below the repository root, checked safe by the caller
     * @param maxBytes the most the caller will read; an implementation may refuse a larger announced length early
     * @return the file's bytes, or null if the repository has no such file (HTTP 404)
     * @throws IOException for any other failure
     */
    InputStream open(String path, long maxBytes) throws IOException;
}
