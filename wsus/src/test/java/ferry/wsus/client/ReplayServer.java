package ferry.wsus.client;

import ferry.wsus.Fixtures;
import ferry.wsus.XmlShape;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback HTTP server that answers like the recorded Windows Server 2025 WSUS: it picks the recorded exchange
 * whose request matches (by SOAPAction, then by the request body without its cookie) and sends its response.
 */
final class ReplayServer {

    static final String[] REVISION_LIST_EXCHANGES = {"000006", "000007", "000008", "000009", "000010", "000011", "000012", "000018"};
    static final String[] UPDATE_DATA_EXCHANGES = {"000013", "000014", "000015", "000016", "000017"};

    final List<String> calls = new CopyOnWriteArrayList<>();
    /** How many of the next cookie-bearing calls answer InvalidCookie (exchange 000019). */
    final AtomicInteger invalidCookies = new AtomicInteger();
    volatile int forcedStatus;
    /** The ErrorCode the cookie fault of {@link #invalidCookies} carries. */
    volatile String cookieFault = "InvalidCookie";
    /** How many of the next calls answer {@link #failStatus} with {@link #failRetryAfter} (if set). */
    final AtomicInteger failNext = new AtomicInteger();
    volatile int failStatus = 503;
    volatile String failRetryAfter;

    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);

    ReplayServer() throws Exception {
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String action = request.getHeaders().get("SOAPAction");
                String body = Content.Source.asString(request, StandardCharsets.UTF_8);
                String op = action.replace("\"", "").replaceAll(".*/", "");
                calls.add(op + " " + request.getHttpURI().getPath());
                if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    response.setStatus(failStatus);
                    if (failRetryAfter != null) {
                        response.getHeaders().put(HttpHeader.RETRY_AFTER, failRetryAfter);
                    }
                    response.write(true, ByteBuffer.wrap("busy".getBytes(StandardCharsets.US_ASCII)), callback);
                    return true;
                }
                if (forcedStatus != 0) {
                    Response.writeError(request, response, callback, forcedStatus);
                    return true;
                }
                String exchange = exchangeFor(op, body);
                if (exchange == null) {
                    Response.writeError(request, response, callback, 404);
                    return true;
                }
                byte[] out = Fixtures.bytes("exchanges/" + exchange + "/response.body");
                if (exchange.equals("000019")) {
                    out = new String(out, StandardCharsets.UTF_8).replace("InvalidCookie", cookieFault)
                            .getBytes(StandardCharsets.UTF_8);
                }
                int status = Fixtures.text("exchanges/" + exchange + "/meta.json").contains("\"status\": 500") ? 500 : 200;
                response.setStatus(status);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/xml; charset=utf-8");
                response.write(true, ByteBuffer.wrap(out), callback);
                return true;
            }
        });
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
    }

    private String exchangeFor(String op, String body) {
        if (body.contains("<cookie>") && invalidCookies.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return "000019";
        }
        switch (op) {
            case "GetAuthConfig":
                return "000001";
            case "GetAuthorizationCookie":
                return "000002";
            case "GetCookie":
                return "000003";
            case "GetConfigData":
                return body.contains("configAnchor") ? "000004" : "000005";
            case "GetRevisionIdList":
                if (!body.contains("<cookie>")) {
                    return "000019";
                }
                for (String e : REVISION_LIST_EXCHANGES) {
                    if (XmlShape.of(withoutCookie(Fixtures.requestBody(e))).equals(XmlShape.of(withoutCookie(body)))) {
                        return e;
                    }
                }
                return null;
            case "GetUpdateData":
                Matcher m = Pattern.compile("<UpdateID>([^<]*)</UpdateID>").matcher(body);
                if (m.find()) {
                    for (String e : UPDATE_DATA_EXCHANGES) {
                        if (Fixtures.requestBody(e).contains(m.group(1))) {
                            return e;
                        }
                    }
                }
                return null;
            default:
                return null;
        }
    }

    private static String withoutCookie(String body) {
        return body.replaceAll("<cookie>.*?</cookie>", "");
    }

    void close() throws Exception {
        server.stop();
    }
}
