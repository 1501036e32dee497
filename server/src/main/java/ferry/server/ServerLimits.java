package ferry.server;

import ferry.wsus.server.ServerSyncHandler;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits that keep slow or greedy clients from starving the others (finding 10 of issue 5). {@code ferry serve} has an
 * option for each but the body size, which is the largest SOAP request the MS-WSUSSS handler reads anyway.
 *
 * @param maxThreads               worker threads of the server (count, at least 8)
 * @param maxConnections           open connections over all clients (count); further connections wait in the
 *                                 accept backlog until one closes
 * @param maxConnectionsPerAddress open connections from one client IP address (count); a connection over the limit
 *                                 is closed as soon as it is accepted
 * @param maxRequestBodyBytes      largest request body accepted (bytes); a larger one gets 413
 * @param requestBodyTimeout       the whole request body must arrive within this time after the request headers,
 *                                 else the connection is cut; no worker thread waits for body bytes meanwhile
 * @param idleTimeout              a connection with no bytes moving for this long is closed
 */
public record ServerLimits(int maxThreads, int maxConnections, int maxConnectionsPerAddress, int maxRequestBodyBytes,
                           Duration requestBodyTimeout, Duration idleTimeout) {

    /** Production defaults: 64 threads, 1024 connections, 32 per address, 4 MiB bodies, 20 s per body, 30 s idle. */
    public static ServerLimits defaults() {
        return new ServerLimits(64, 1024, 32, ServerSyncHandler.MAX_REQUEST_BYTES, Duration.ofSeconds(20),
                Duration.ofSeconds(30));
    }

    /** @throws IllegalArgumentException if a count or time is not positive or the thread count is below 8 */
    public ServerLimits {
        Objects.requireNonNull(requestBodyTimeout, "requestBodyTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (maxThreads < 8 || maxConnections < 1 || maxConnectionsPerAddress < 1 || maxRequestBodyBytes < 1
                || requestBodyTimeout.isNegative() || requestBodyTimeout.isZero()
                || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("server limits must be positive (and at least 8 threads): " + this);
        }
    }

    /** A copy with other body and idle times (tests use short ones). */
    public ServerLimits withTimes(Duration requestBodyTimeout, Duration idleTimeout) {
        return new ServerLimits(maxThreads, maxConnections, maxConnectionsPerAddress, maxRequestBodyBytes,
                requestBodyTimeout, idleTimeout);
    }
}
