package ferry.wsus.client;

import java.net.URI;

/** Synchronization with an upstream server failed; the message is one line naming the upstream and operation. */
public abstract class WsusException extends Exception {
    private static final long serialVersionUID = 1L;

    private final URI upstream;
    private final String operation;

    protected WsusException(URI upstream, String operation, String detail, Throwable cause) {
        super("upstream " + upstream + " " + operation + ": " + detail, cause);
        this.upstream = upstream;
        this.operation = operation;
    }

    /** The upstream server's base URL. */
    public URI upstream() {
        return upstream;
    }

    /** The MS-WSUSSS operation (e.g. {@code GetUpdateData}) or {@code content} for a download. */
    public String operation() {
        return operation;
    }
}
