package ferry.wsus.client;

import ferry.wsus.internal.LimitedInputStream;
import ferry.wsus.soap.Operation;
import ferry.wsus.soap.Soap;
import ferry.wsus.soap.SoapFaultException;
import ferry.wsus.soap.SoapFormatException;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;

/** Posts one SOAP 1.1 request and hands the size-limited response stream to a parser. */
final class SoapTransport {

    @FunctionalInterface
    interface Parser<T> {
        T parse(InputStream body) throws SoapFormatException, SoapFaultException;
    }

    private final URI upstream;
    private final HttpClient http;
    private final WsusClientOptions options;

    SoapTransport(URI upstream, HttpClient http, WsusClientOptions options) {
        this.upstream = upstream;
        this.http = http;
        this.options = options;
    }

    <T> T call(Operation op, URI endpoint, byte[] body, Parser<T> parser) throws WsusException {
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
        } catch (HttpTimeoutException e) {
            throw new UpstreamException(upstream, op.elementName(), "no response within "
                    + options.requestTimeout().toSeconds() + " s", e);
        } catch (ConnectException e) {
            throw new UpstreamException(upstream, op.elementName(), "cannot connect (" + describe(e) + ")", e);
        } catch (IOException e) {
            throw new UpstreamException(upstream, op.elementName(), "transport error (" + describe(e) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException(upstream, op.elementName(), "interrupted", e);
        }
        int status = response.statusCode();
        try (InputStream raw = response.body();
             InputStream limited = new LimitedInputStream(raw, options.maxResponseBytes(), "response")) {
            if (status != 200 && status != 500) {
                throw new UpstreamException(upstream, op.elementName(), "HTTP " + status + " from " + endpoint.getPath());
            }
            T result = parser.parse(limited);
            if (status != 200) {
                throw new UpstreamException(upstream, op.elementName(), "HTTP 500 without a SOAP fault");
            }
            return result;
        } catch (SoapFaultException e) {
            throw new WsusFaultException(upstream, op.elementName(), e.fault());
        } catch (SoapFormatException e) {
            Throwable limit = rootCause(e);
            if (limit instanceof LimitedInputStream.LimitExceededException) {
                throw new UpstreamException(upstream, op.elementName(), limit.getMessage(), e);
            }
            throw new UpstreamException(upstream, op.elementName(), (status == 500 ? "HTTP 500, " : "")
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new UpstreamException(upstream, op.elementName(), "reading the response failed (" + describe(e) + ")", e);
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
