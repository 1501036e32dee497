package ferry.wsus.client;

import ferry.wsus.soap.Messages.AuthPlugIn;
import ferry.wsus.soap.Messages.AuthorizationCookie;
import ferry.wsus.soap.Messages.ConfigData;
import ferry.wsus.soap.Messages.Cookie;
import ferry.wsus.soap.Operation;
import ferry.wsus.soap.Soap;
import ferry.wsus.soap.SoapRequests;
import ferry.wsus.soap.SoapResponseReader;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The downstream half of MS-WSUSSS (3.2.4): synchronizes metadata from an upstream server (a WSUS, or another
 * ferry). Thread-safe; each {@link #open()} yields an independent {@link ServerSyncSession}.
 */
public final class WsusClient {

    private final URI base;
    private final WsusClientOptions options;
    private final HttpClient http;
    private final SoapTransport transport;

    /**
     * @param upstream the upstream server's base URL, e.g. {@code http://wsus.example:8530/}; the web services
     *                 are resolved under it (a path prefix is kept)
     * @throws IllegalArgumentException if it is not an absolute http or https URL
     */
    public WsusClient(URI upstream, WsusClientOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.base = normalise(upstream);
        this.http = options.httpClient(HttpClient.Redirect.NEVER);
        this.transport = new SoapTransport(base, http, options);
    }

    public WsusClient(URI upstream) {
        this(upstream, WsusClientOptions.defaults());
    }

    /** The upstream base URL, ending in "/". */
    public URI upstream() {
        return base;
    }

    public WsusClientOptions options() {
        return options;
    }

    /**
     * Authorizes and reads the upstream's configuration: GetAuthConfig, DSS GetAuthorizationCookie at the
     * plug-in's ServiceUrl, GetCookie (protocol 1.20), GetConfigData (3.2.4.1, 3.2.4.2 step 1).
     *
     * @throws WsusFaultException on a SOAP fault
     * @throws UpstreamException  on transport, HTTP or format problems
     */
    public ServerSyncSession open() throws WsusException {
        return open(null);
    }

    /**
     * As {@link #open()}, sending the {@code configAnchor} of an earlier GetConfigData (3.1.4.4): an upstream whose
     * configuration did not change since then answers with an empty language list (as recorded, exchange 000004);
     * {@link ServerSyncSession#reloadConfig()} asks for the whole answer.
     *
     * @param configAnchor the earlier {@code NewConfigAnchor}, or null for the whole answer
     */
    public ServerSyncSession open(String configAnchor) throws WsusException {
        ServerSyncSession session = new ServerSyncSession(this);
        session.start(configAnchor);
        return session;
    }

    // --- used by the session -------------------------------------------------------------------------------------

    URI serverSyncEndpoint() {
        return base.resolve(Soap.SERVER_SYNC_PATH.substring(1));
    }

    SoapTransport transport() {
        return transport;
    }

    HttpClient http() {
        return http;
    }

    /** GetAuthConfig, GetAuthorizationCookie, GetCookie: a fresh cookie. */
    Cookie authorize(Cookie oldCookie) throws WsusException {
        List<AuthPlugIn> plugIns = transport.call(Operation.GET_AUTH_CONFIG, serverSyncEndpoint(),
                SoapRequests.getAuthConfig(), SoapResponseReader::getAuthConfig);
        AuthPlugIn plugIn = plugIns.stream().filter(p -> Soap.PLUGIN_DSS_TARGETING.equals(p.plugInId())).findFirst()
                .orElseThrow(() -> new UpstreamException(base, "GetAuthConfig", "no DssTargeting plug-in offered"));
        URI dss = serviceUrl(plugIn.serviceUrl());
        AuthorizationCookie auth = transport.call(Operation.GET_AUTHORIZATION_COOKIE, dss,
                SoapRequests.getAuthorizationCookie(options.accountName(), options.accountGuid()),
                SoapResponseReader::getAuthorizationCookie);
        return transport.call(Operation.GET_COOKIE, serverSyncEndpoint(),
                SoapRequests.getCookie(auth, oldCookie, Soap.PROTOCOL_VERSION), SoapResponseReader::getCookie);
    }

    ConfigData configData(Cookie cookie, String configAnchor) throws WsusException {
        return transport.call(Operation.GET_CONFIG_DATA, serverSyncEndpoint(),
                SoapRequests.getConfigData(cookie, configAnchor), SoapResponseReader::getConfigData);
    }

    /**
     * The DSS auth service URL: relative ones (the norm, 3.1.4.1.3.3) resolve under the base; absolute ones are
     * accepted only on the upstream's own scheme, host and port, so an upstream cannot send us elsewhere.
     */
    private URI serviceUrl(String serviceUrl) throws UpstreamException {
        if (serviceUrl == null || serviceUrl.isBlank()) {
            return base.resolve(Soap.DSS_AUTH_SERVICE_URL);
        }
        URI u;
        try {
            u = new URI(serviceUrl.trim());
        } catch (URISyntaxException e) {
            throw new UpstreamException(base, "GetAuthConfig", "ServiceUrl is not a URL: " + clip(serviceUrl));
        }
        if (u.isAbsolute()) {
            if (!u.getScheme().equalsIgnoreCase(base.getScheme()) || !Objects.equals(lower(u.getHost()), lower(base.getHost()))
                    || port(u) != port(base)) {
                throw new UpstreamException(base, "GetAuthConfig", "ServiceUrl points to another server: " + clip(serviceUrl));
            }
            return u;
        }
        if (u.getRawAuthority() != null || u.getRawPath() == null || u.getRawPath().contains("..")) {
            throw new UpstreamException(base, "GetAuthConfig", "ServiceUrl is not a plain relative path: " + clip(serviceUrl));
        }
        String path = u.getRawPath().startsWith("/") ? u.getRawPath().substring(1) : u.getRawPath();
        return base.resolve(path);
    }

    private static URI normalise(URI upstream) {
        Objects.requireNonNull(upstream, "upstream");
        String scheme = upstream.getScheme() == null ? "" : upstream.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || upstream.getHost() == null) {
            throw new IllegalArgumentException("upstream must be an absolute http(s) URL: " + upstream);
        }
        String path = upstream.getRawPath() == null || upstream.getRawPath().isEmpty() ? "/" : upstream.getRawPath();
        if (!path.endsWith("/")) {
            path = path + "/";
        }
        try {
            return new URI(scheme + "://" + upstream.getRawAuthority() + path);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("upstream is not a valid URL: " + upstream, e);
        }
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    private static String clip(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
