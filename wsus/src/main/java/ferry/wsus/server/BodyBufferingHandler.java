package ferry.wsus.server;

import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Reads a request body completely, without holding a worker thread while bytes trickle in, before the wrapped
 * handler sees the request; the handler then reads the body from memory. A body must arrive within the body timeout
 * of the headers or the connection is cut, and may not exceed the maximum size (413). Without this, clients sending
 * a body one byte at a time each pin a worker thread in a blocking read and a few dozen of them stop the server for
 * everyone. Used by {@code ferry serve}'s Jetty setup and by {@link WsusServer}.
 */
public final class BodyBufferingHandler extends Handler.Wrapper {

    private final int maxBodyBytes;
    private final Duration bodyTimeout;

    /**
     * @param maxBodyBytes largest body accepted (bytes, positive); a larger one gets 413
     * @param bodyTimeout  time from the request headers within which the whole body must have arrived (positive)
     * @param next         the handler that sees the request with its body in memory
     * @throws IllegalArgumentException if a limit is not positive
     */
    public BodyBufferingHandler(int maxBodyBytes, Duration bodyTimeout, Handler next) {
        super(next);
        Objects.requireNonNull(bodyTimeout, "bodyTimeout");
        if (maxBodyBytes < 1 || bodyTimeout.isNegative() || bodyTimeout.isZero()) {
            throw new IllegalArgumentException("body limits must be positive: " + maxBodyBytes + " bytes, "
                    + bodyTimeout);
        }
        this.maxBodyBytes = maxBodyBytes;
        this.bodyTimeout = bodyTimeout;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        long declared = request.getLength();
        boolean chunked = declared < 0 && request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
        if (declared == 0 || (declared < 0 && !chunked)) {
            return super.handle(request, response, callback);
        }
        if (declared > maxBodyBytes) {
            Response.writeError(request, response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413);
            return true;
        }
        Scheduler.Task deadline = request.getComponents().getScheduler().schedule(
                () -> request.getConnectionMetaData().getConnection().getEndPoint().close(),
                bodyTimeout.toMillis(), TimeUnit.MILLISECONDS);
        Content.Source.asByteArrayAsync(request, maxBodyBytes).whenCompleteAsync((body, failure) -> {
            deadline.cancel();
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (!request.getConnectionMetaData().getConnection().getEndPoint().isOpen()) {
                    callback.failed(cause); // cut at the deadline or gone: nobody to answer
                } else if (cause instanceof BadMessageException) {
                    Response.writeError(request, response, callback, cause); // malformed chunking: 400
                } else {
                    // Jetty reports a body over the accumulation limit as a plain IOException
                    Response.writeError(request, response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413);
                }
                return;
            }
            try {
                if (!super.handle(new BufferedRequest(request, body), response, callback)) {
                    Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
                }
            } catch (Throwable t) {
                Response.writeError(request, response, callback, t);
            }
        }, request.getComponents().getThreadPool());
        return true;
    }

    /** The request with its body served from memory. */
    private static final class BufferedRequest extends Request.Wrapper {
        private final Content.Source body;
        private final long length;

        BufferedRequest(Request request, byte[] bytes) {
            super(request);
            this.body = Content.Source.from(ByteBuffer.wrap(bytes));
            this.length = bytes.length;
        }

        @Override
        public long getLength() {
            return length;
        }

        @Override
        public Content.Chunk read() {
            return body.read();
        }

        @Override
        public void demand(Runnable demandCallback) {
            body.demand(demandCallback);
        }

        @Override
        public void fail(Throwable failure) {
            body.fail(failure);
        }
    }
}
