package ferry.wsus.server;

import ferry.wsus.internal.LimitedInputStream;
import ferry.wsus.soap.SoapFault;
import ferry.wsus.soap.SoapFormatException;
import ferry.wsus.soap.SoapResponses;
import ferry.wsus.soap.SoapVersion;
import ferry.wsus.wusp.ClientFault;
import ferry.wsus.wusp.ClientOperation;
import ferry.wsus.wusp.ClientRequest;
import ferry.wsus.wusp.ClientRequestReader;
import ferry.wsus.wusp.ClientService;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * The MS-WUSP web services a Windows Update Agent calls (MS-WUSP 2.1), as a Jetty core handler in front of
 * {@link ServerSyncHandler}: POSTs to {@code /ClientWebService/client.asmx} and
 * {@code /SimpleAuthWebService/SimpleAuth.asmx}, and to {@code /ReportingWebService/ReportingWebService.asmx} when
 * the SOAP action names {@code ReportEventBatch} (the Reporting path is shared with the downstream servers'
 * operations, which {@link ServerSyncHandler} answers: a request without that action is left to it). Paths match as
 * IIS matches them (any letter case, runs of slashes as one). SOAP 1.1 and 1.2, each answered in its own version.
 * Bodies are read with {@link ClientRequestReader}'s limits; anything refused there (malformed XML, a DTD or entity,
 * an array beyond its cap) and every protocol error is a SOAP fault with HTTP 500 in the MS-WUSP shape (2.2.2.4);
 * a body over {@link ServerSyncHandler#MAX_REQUEST_BYTES} gets 413.
 */
public final class ClientHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(ClientHandler.class);
    private static final Set<String> CLIENT_ERRORS = Set.of(SoapFault.INVALID_PARAMETERS, SoapFault.INVALID_COOKIE,
            SoapFault.COOKIE_EXPIRED, SoapFault.INVALID_AUTHORIZATION_COOKIE, SoapFault.SERVER_CHANGED,
            ClientFault.CONFIG_CHANGED, ClientFault.REGISTRATION_REQUIRED);

    private final ClientService service;

    public ClientHandler(ClientService service) {
        super(InvocationType.BLOCKING);
        this.service = service;
    }

    /** The web service a path names, as IIS resolves it, or null. */
    static ClientOperation.Service service(String path) {
        if (path == null) {
            return null;
        }
        String p = path.replaceAll("/{2,}", "/").toLowerCase(Locale.ROOT);
        for (ClientOperation.Service s : ClientOperation.Service.values()) {
            if (s.path().toLowerCase(Locale.ROOT).equals(p)) {
                return s;
            }
        }
        return null;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        ClientOperation.Service endpoint = service(path);
        if (endpoint == null) {
            return false;
        }
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        SoapVersion version = SoapVersion.ofContentType(contentType);
        String action = unquote(version == SoapVersion.SOAP_12 ? SoapVersion.actionParameter(contentType)
                : request.getHeaders().get("SOAPAction"));
        if (endpoint == ClientOperation.Service.REPORTING
                && !ClientOperation.REPORT_EVENT_BATCH.soapAction().equals(action)) {
            return false; // a downstream server's reporting operation: ServerSyncHandler's
        }
        if (!HttpMethod.POST.is(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "POST");
            Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
            return true;
        }
        if (request.getLength() > ServerSyncHandler.MAX_REQUEST_BYTES) {
            Response.writeError(request, response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413);
            return true;
        }
        ClientOperation op = null;
        try (InputStream body = new LimitedInputStream(Content.Source.asInputStream(request),
                ServerSyncHandler.MAX_REQUEST_BYTES, "request body")) {
            ClientRequest r = ClientRequestReader.read(body, version);
            op = r.operation();
            if (action != null && !action.isBlank() && !action.equals(op.soapAction())) {
                throw new ClientFault(SoapFault.INVALID_PARAMETERS, version == SoapVersion.SOAP_12 ? "action" : "SOAPAction");
            }
            if (op.service() != endpoint) {
                throw new ClientFault(SoapFault.INVALID_PARAMETERS, op.elementName() + " is not served at " + path);
            }
            write(response, callback, version, HttpStatus.OK_200, service.answer(version, r, origin(request)));
        } catch (ClientFault f) {
            fault(request, response, callback, version, op, action, f.errorCode(), f.getMessage());
        } catch (SoapFormatException e) {
            fault(request, response, callback, version, op, action, SoapFault.INVALID_PARAMETERS,
                    e.parameter() != null ? e.parameter() : e.getMessage());
        } catch (Exception e) {
            LOG.warn("{} {} failed", request.getMethod(), path, e);
            fault(request, response, callback, version, op, action, SoapFault.INTERNAL_SERVER_ERROR, "");
        }
        return true;
    }

    private static String unquote(String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim();
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }

    private static void fault(Request request, Response response, Callback callback, SoapVersion version,
                              ClientOperation op, String action, String errorCode, String message) {
        String method = op != null ? "\"" + op.soapAction() + "\"" : action;
        SoapFault f = new SoapFault(CLIENT_ERRORS.contains(errorCode) ? "soap:Client" : "soap:Server", "Fault occurred",
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

    /** {@code scheme://host:port} as the client addressed this server (its Host header). */
    static String origin(Request request) {
        HttpURI uri = request.getHttpURI();
        String host = Request.getServerName(request);
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return uri.getScheme() + "://" + host + ":" + Request.getServerPort(request);
    }
}
