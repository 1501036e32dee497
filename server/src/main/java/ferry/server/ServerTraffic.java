package ferry.server;

import org.eclipse.jetty.server.handler.StatisticsHandler;

import java.time.Instant;

/**
 * Request counts and bytes since the server started, for the status page: Jetty's {@link StatisticsHandler} in front
 * of every other handler, counting both ports together.
 */
final class ServerTraffic {
    private final StatisticsHandler stats = new StatisticsHandler();
    private final Instant since = Instant.now();

    /**
     * What has been served.
     *
     * @param since        when the server started (UTC)
     * @param requests     requests answered or being answered
     * @param responses2xx responses with a 2xx status
     * @param responses4xx responses with a 4xx status (e.g. content the store does not hold)
     * @param responses5xx responses with a 5xx status (SOAP faults are 500)
     * @param bytesRead    request body bytes read
     * @param bytesWritten response body bytes written
     */
    record Traffic(Instant since, long requests, long responses2xx, long responses4xx, long responses5xx,
                   long bytesRead, long bytesWritten) {
    }

    StatisticsHandler handler() {
        return stats;
    }

    Traffic snapshot() {
        return new Traffic(since, stats.getRequestTotal(), stats.getResponses2xx(), stats.getResponses4xx(),
                stats.getResponses5xx(), stats.getBytesRead(), stats.getBytesWritten());
    }
}
