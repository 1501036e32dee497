package ferry.wsus.server;

import ferry.wsus.internal.LimitedInputStream;
import ferry.wsus.soap.Operation;
import ferry.wsus.soap.Soap;
import ferry.wsus.soap.SoapFault;
import ferry.wsus.soap.SoapFormatException;
import ferry.wsus.soap.SoapRequest;
import ferry.wsus.soap.SoapRequestReader;
import ferry.wsus.soap.SoapResponses;
import ferry.wsus.soap.SoapVersion;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The upstream half of MS-WSUSSS (3.1.4) as a Jetty core handler: answers POSTs to {@value Soap#SERVER_SYNC_PATH}
 * (GetAuthConfig, GetCookie, GetConfigData, GetRevisionIdList, GetUpdateData, GetUpdateDecryptionData,
 * GetDeployments, DownloadFiles, Ping), {@value Soap#DSS_AUTH_PATH} (GetAuthorizationCookie) and
 * {@value Soap#REPORTING_PATH} (GetRollupConfiguration, RollupDownstreamServers, RollupComputers,
 * GetOutOfSyncComputers, RollupComputerStatus) from an {@link UpdateCatalog}. Paths match as IIS matches them:
 * in any letter case and with repeated slashes collapsed ({@code //ServerSyncWebService/...}); other paths are
 * left to the next handler. SOAP 1.1 ({@code text/xml} and a SOAPAction header) and SOAP 1.2
 * ({@code application/soap+xml; action=...}) are both answered, each in its own version. Request bodies over
 * {@link #MAX_REQUEST_BYTES} get 413; every other error, an unknown operation included, is a SOAP fault with HTTP
 * 500 in the shape real servers send (2.2.9). Cookies are HMAC-signed with a key drawn at start-up.
 */
public final class ServerSyncHandler extends Handler.Abstract {

    /** Largest request body read (bytes); real requests are a few KiB. */
    public static final int MAX_REQUEST_BYTES = 4 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(ServerSyncHandler.class);
    private static final Map<String, Operation.Service> SERVICES = Map.of(
            Soap.SERVER_SYNC_PATH.toLowerCase(Locale.ROOT), Operation.Service.SERVER_SYNC,
            Soap.DSS_AUTH_PATH.toLowerCase(Locale.ROOT), Operation.Service.DSS_AUTH,
            Soap.REPORTING_PATH.toLowerCase(Locale.ROOT), Operation.Service.REPORTING,
            Soap.REPORTING_WSDL_PATH.toLowerCase(Locale.ROOT), Operation.Service.REPORTING);

    /**
     * The URI rules a server mounting this handler must set ({@code HttpConfiguration.setUriCompliance}): Jetty's
     * defaults, but taking empty path segments, which Jetty otherwise answers with an HTML 400 before any handler
     * runs. IIS serves {@code //ServerSyncWebService/...} like the single-slash form, and downstream servers
     * configured with a trailing slash in the upstream address send exactly that.
     */
    public static final UriCompliance URI_COMPLIANCE = UriCompliance.DEFAULT.with("IIS paths",
            UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT);

    private final ServerSyncService service;
    private final UpdateCatalog catalog;

    public ServerSyncHandler(UpdateCatalog catalog, ServerSyncSettings settings) {
        super(InvocationType.BLOCKING);
        this.catalog = catalog;
        this.service = new ServerSyncService(catalog, settings,
                new CookieAuthority(Clock.systemUTC(), Duration.ofMinutes(60), settings.cookieLifetime()));
    }

    public ServerSyncHandler(UpdateCatalog catalog) {
        this(catalog, ServerSyncSettings.defaults());
    }

    /**
     * Starts the handler, and reads ahead what listings need ({@link UpdateCatalog#prepare}) on a daemon thread:
     * requests are answered meanwhile (a listing that comes first reads it itself), and a failure there is only
     * logged, since every request reads the catalog again anyway.
     */
    @Override
    protected void doStart() throws Exception {
        super.doStart();
        Thread t = new Thread(() -> {
            try {
                catalog.prepare();
            } catch (RuntimeException e) {
                LOG.debug("reading ahead for listings failed: {}", e.toString());
            }
        }, "ferry-listing-prepare");
        t.setDaemon(true);
        t.start();
    }

    /**
     * The web service a request path names, as IIS resolves it: letter case ignored, runs of slashes taken as one.
     *
     * @return the service, or null for a path this handler does not serve
     */
    static Operation.Service service(String path) {
        if (path == null) {
            return null;
        }
        return SERVICES.get(path.replaceAll("/{2,}", "/").toLowerCase(Locale.ROOT));
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        Operation.Service endpoint = service(path);
        if (endpoint == null) {
            return false;
        }
        if (!HttpMethod.POST.is(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "POST");
            Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
            return true;
        }
        long declared = request.getLength();
        if (declared > MAX_REQUEST_BYTES) {
            Response.writeError(request, response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413);
            return true;
        }
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        SoapVersion version = SoapVersion.ofContentType(contentType);
        String action = version == SoapVersion.SOAP_12 ? SoapVersion.actionParameter(contentType)
                : request.getHeaders().get("SOAPAction");
        Operation op = null;
        try (InputStream body = new LimitedInputStream(Content.Source.asInputStream(request), MAX_REQUEST_BYTES,
                "request body")) {
            SoapRequest soap = SoapRequestReader.read(body, version);
            op = soap.operation();
            Operation claimed = Operation.fromSoapAction(action);
            if (action != null && !action.isBlank() && claimed != op) {
                throw new FaultSignal(SoapFault.INVALID_PARAMETERS, version == SoapVersion.SOAP_12 ? "action" : "SOAPAction");
            }
            if (op.service() != endpoint) {
                throw new FaultSignal(SoapFault.INVALID_PARAMETERS, op.elementName() + " is not served at " + path);
            }
            ServerSyncService.StreamedAnswer streamed = service.streamed(version, soap);
            if (streamed != null) {
                stream(response, callback, version, streamed);
                return true;
            }
            write(response, callback, version, HttpStatus.OK_200, service.answer(version, soap, origin(request)));
        } catch (FaultSignal f) {
            fault(request, response, callback, version, op, action, f.errorCode(), f.getMessage());
        } catch (SoapFormatException e) {
            if (e.getCause() != null && isLimit(e)) {
                Response.writeError(request, response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413);
                return true;
            }
            String parameter = e.parameter();
            String code = parameter != null && parameter.toLowerCase(Locale.ROOT).endsWith("cookie") && !"authCookies".equals(parameter)
                    ? SoapFault.INVALID_COOKIE : SoapFault.INVALID_PARAMETERS;
            fault(request, response, callback, version, op, action, code, parameter != null ? parameter : e.getMessage());
        } catch (Exception e) {
            LOG.warn("{} {} failed", request.getMethod(), path, e);
            fault(request, response, callback, version, op, action, SoapFault.INTERNAL_SERVER_ERROR, "");
        }
        return true;
    }

    private static boolean isLimit(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof LimitedInputStream.LimitExceededException) {
                return true;
            }
            if (c instanceof javax.xml.stream.XMLStreamException x && x.getNestedException() instanceof LimitedInputStream.LimitExceededException) {
                return true;
            }
        }
        return false;
    }

    private static void fault(Request request, Response response, Callback callback, SoapVersion version, Operation op,
                              String action, String errorCode, String message) {
        String method = op != null ? "\"" + op.soapAction() + "\"" : action;
        SoapFault f = new SoapFault(SoapFault.isClientError(errorCode) ? "soap:Client" : "soap:Server", "Fault occurred",
                origin(request) + request.getHttpURI().getPath(), errorCode, message, UUID.randomUUID().toString(), method);
        write(response, callback, version, HttpStatus.INTERNAL_SERVER_ERROR_500, SoapResponses.fault(version, f));
    }

    private static void write(Response response, Callback callback, SoapVersion version, int status, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, version.contentType());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, status == 200 ? "private, max-age=0" : "private");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /**
     * A 200 answer written as it is made (chunked, no Content-Length). A failure once writing has begun cannot
     * become a SOAP fault any more: the response is aborted, and the client sees a broken answer, never a short one.
     */
    private static void stream(Response response, Callback callback, SoapVersion version,
                               ServerSyncService.StreamedAnswer answer) {
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, version.contentType());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "private, max-age=0");
        // not closed on failure: closing would end the answer as if it were complete
        java.io.OutputStream out = new java.io.BufferedOutputStream(Content.Sink.asOutputStream(response),
                STREAM_BUFFER_BYTES);
        try {
            answer.writeTo(out);
            out.close();
        } catch (Exception | Error e) {
            LOG.warn("streamed answer failed", e);
            callback.failed(e);
            return;
        }
        callback.succeeded();
    }

    /** Bytes of a streamed answer written to the connection at a time. */
    private static final int STREAM_BUFFER_BYTES = 64 * 1024;

    /** {@code scheme://host:port} as the client addressed this server. */
    private static String origin(Request request) {
        HttpURI uri = request.getHttpURI();
        String host = Request.getServerName(request);
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return uri.getScheme() + "://" + host + ":" + Request.getServerPort(request);
    }
}
