package ferry.wsus.client;

import java.net.URI;

/**
 * A transport or protocol problem with the upstream server: unreachable, timed out, an HTTP status other than
 * 200 (or 500 with a fault), a response over the size limit, a malformed response or an undecodable blob.
 */
public final class UpstreamException extends WsusException {
    private static final long serialVersionUID = 1L;

    public UpstreamException(URI upstream, String operation, String detail) {
        super(upstream, operation, detail, null);
    }

    public UpstreamException(URI upstream, String operation, String detail, Throwable cause) {
        super(upstream, operation, detail, cause);
    }
}
