package ferry.wsus.client;

import ferry.wsus.internal.LimitedInputStream;
import ferry.wsus.soap.Operation;
import ferry.wsus.soap.Soap;
import ferry.wsus.soap.SoapFaultException;
import ferry.wsus.soap.SoapFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.time.Instant;

/**
 * Posts one SOAP 1.1 request and hands the size-limited response stream to a parser, retrying what may pass (a
 * timeout, a reset, a stalled body, HTTP 408/429/5xx without a SOAP fault) as the options' {@link RetryPolicy}
 * says. A refused connection or an unknown host is not retried: it is a wrong URL far more often than a restart.
 */
final class SoapTransport {

    private static final Logger LOG = LoggerFactory.getLogger(SoapTransport.class);

    @FunctionalInterface
    interface Parser<T> {
        T parse(InputStream body) throws SoapFormatException, SoapFaultException;
    }

    /** A failure worth another attempt. */
    private static final class Transient extends Exception {
        private static final long serialVersionUID = 1L;
        final transient Duration retryAfter;

        Transient(String message, Throwable cause, Duration retryAfter) {
            super(message, cause);
            this.retryAfter = retryAfter;
        }
    }

    private final URI upstream;
    private final HttpClient http;
    private final WsusClientOptions options;

    SoapTransport(URI upstream, HttpClient http, WsusClientOptions options) {
        this.upstream = upstream;
        this.http = http;
        this.options = options;
    }

    /**
     * @throws WsusFaultException the upstream answered with a SOAP fault
     * @throws UpstreamException  anything else, after the retries the policy allows; the message says how many
     */
    <T> T call(Operation op, URI endpoint, byte[] body, Parser<T> parser) throws WsusException {
        RetryPolicy policy = options.retry();
        Duration waited = Duration.ZERO;
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(op, endpoint, body, parser);
            } catch (Transient t) {
                Duration wait = policy.nextWait(attempt, t.retryAfter, waited);
                if (wait == null) {
                    String tries = attempt > 1 ? " (after " + attempt + " attempts)" : "";
                    String refused = t.retryAfter != null && attempt < policy.attempts()
                            ? " (the upstream asked to wait " + t.retryAfter.toSeconds() + " s, more than the "
                            + policy.maxTotalWait().toSeconds() + " s retry budget)" : "";
                    throw new UpstreamException(upstream, op.elementName(), t.getMessage() + tries + refused,
                            t.getCause());
                }
                LOG.warn("upstream {} {}: {}; retrying in {} ms (attempt {} of {})", upstream, op.elementName(),
                        t.getMessage(), wait.toMillis(), attempt + 1, policy.attempts());
                sleep(wait, op);
                waited = waited.plus(wait);
            }
        }
    }

    private <T> T attempt(Operation op, URI endpoint, byte[] body, Parser<T> parser) throws WsusException, Transient {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(options.requestTimeout())
                .header("Content-Type", Soap.CONTENT_TYPE)
                .header("SOAPAction", "\"" + op.soapAction() + "\"")
                .header("User-Agent", options.userAgent())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw new Transient("cannot connect within " + options.connectTimeout().toSeconds() + " s", e, null);
        } catch (HttpTimeoutException e) {
            throw new Transient("no response within " + options.requestTimeout().toSeconds() + " s", e, null);
        } catch (javax.net.ssl.SSLHandshakeException e) {
            // not a passing failure: the same certificate comes back on every attempt
            throw new UpstreamException(upstream, op.elementName(), "TLS handshake failed, the upstream's certificate is"
                    + " not trusted or does not name this host (" + describe(e) + ")", e);
        } catch (ConnectException e) {
            if (e.getCause() instanceof UnresolvedAddressException) {
                throw new UpstreamException(upstream, op.elementName(), "cannot resolve the host name", e);
            }
            throw new UpstreamException(upstream, op.elementName(), "cannot connect (" + describe(e) + ")", e);
        } catch (IOException e) {
            throw new Transient("transport error (" + describe(e) + ")", e, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException(upstream, op.elementName(), "interrupted", e);
        }
        int status = response.statusCode();
        Duration retryAfter = RetryPolicy.retryAfter(response.headers().firstValue("Retry-After").orElse(null),
                Instant.now());
        try (InputStream raw = StallGuard.guard(response.body(), options.readTimeout());
             InputStream limited = new LimitedInputStream(raw, options.maxResponseBytes(), "response")) {
            if (status == 408 || status == 429 || status >= 501) {
                throw new Transient("HTTP " + status + " from " + endpoint.getPath(), null, retryAfter);
            }
            if (status != 200 && status != 500) {
                throw new UpstreamException(upstream, op.elementName(), "HTTP " + status + " from " + endpoint.getPath());
            }
            T result;
            try {
                result = parser.parse(limited);
            } catch (SoapFormatException e) {
                Throwable limit = rootCause(e);
                if (limit instanceof LimitedInputStream.LimitExceededException) {
                    throw new UpstreamException(upstream, op.elementName(), limit.getMessage(), e);
                }
                if (limit instanceof IOException io) {
                    throw new Transient("reading the response failed (" + describe(io) + ")", e, null);
                }
                if (status == 500) {
                    throw new Transient("HTTP 500, " + e.getMessage(), e, retryAfter);
                }
                throw new UpstreamException(upstream, op.elementName(), e.getMessage(), e);
            }
            if (status != 200) {
                throw new Transient("HTTP 500 without a SOAP fault", null, retryAfter);
            }
            return result;
        } catch (SoapFaultException e) {
            throw new WsusFaultException(upstream, op.elementName(), e.fault());
        } catch (IOException e) {
            throw new Transient("reading the response failed (" + describe(e) + ")", e, null);
        }
    }

    private void sleep(Duration d, Operation op) throws UpstreamException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException(upstream, op.elementName(), "interrupted", e);
        }
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            if (c instanceof LimitedInputStream.LimitExceededException) {
                return c;
            }
            c = c.getCause();
        }
        if (c instanceof LimitedInputStream.LimitExceededException) {
            return c;
        }
        // the JDK parser reports stream errors as a nested exception of its own
        if (t.getCause() instanceof javax.xml.stream.XMLStreamException x && x.getNestedException() != null) {
            return x.getNestedException();
        }
        return c;
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.replaceAll("\\s+", " ");
    }
}
