package ferry.exporter;

import ferry.wsus.server.ContentResolver;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Serves generated files by SHA-1 and counts every request, so tests can tell a download from a cache hit. */
final class TestContent implements ContentResolver {

    private final Map<String, Path> files = new ConcurrentHashMap<>();
    final AtomicInteger requests = new AtomicInteger();
    /** Requests still to fail with a server error (HTTP 500), for retry tests. */
    final AtomicInteger failures = new AtomicInteger();

    void put(TestFiles.Generated g) {
        files.put(g.sha1Hex(), g.path());
    }

    /** Serves other bytes under the file's SHA-1. */
    void serveInstead(TestFiles.Generated g, Path other) {
        files.put(g.sha1Hex(), other);
    }

    @Override
    public Optional<Path> resolve(String sha1Hex) {
        requests.incrementAndGet();
        if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("test: simulated server failure");
        }
        return Optional.ofNullable(files.get(sha1Hex));
    }
}
