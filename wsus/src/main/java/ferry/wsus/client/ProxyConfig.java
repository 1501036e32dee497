package ferry.wsus.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which HTTP proxy the client goes through, as the usual environment variables or an explicit option say. An
 * http URL goes through {@code httpProxy}, an https URL through {@code httpsProxy} (tunnelled with CONNECT), except
 * hosts matched by {@code noProxy}.
 *
 * @param httpProxy  proxy for http URLs, or null for a direct connection
 * @param httpsProxy proxy for https URLs, or null for a direct connection
 * @param noProxy    hosts reached directly: {@code *} for all, a domain ({@code example.org} or {@code .example.org}
 *                   matches it and its subdomains), a host name or an IP address, each optionally with
 *                   {@code :port}; compared case-insensitively
 */
public record ProxyConfig(InetSocketAddress httpProxy, InetSocketAddress httpsProxy, List<String> noProxy) {

    /** Direct connections only. */
    public static final ProxyConfig DIRECT = new ProxyConfig(null, null, List.of());

    public ProxyConfig {
        noProxy = noProxy.stream().map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * One proxy for every URL (the {@code --proxy} option), still bypassed for the hosts {@code no_proxy} names.
     *
     * @param proxy   {@code http://host:port} (a bare {@code host:port} is read as http; port defaults to 80)
     * @param noProxy the {@code no_proxy} list (comma-separated), or null
     * @throws IllegalArgumentException naming the URL when it is not a plain http proxy URL
     */
    public static ProxyConfig of(String proxy, String noProxy) {
        InetSocketAddress a = address(proxy, "proxy");
        return new ProxyConfig(a, a, split(noProxy));
    }

    /**
     * From {@code http_proxy}, {@code https_proxy}/{@code HTTPS_PROXY} and {@code no_proxy}/{@code NO_PROXY} as curl
     * reads them (upper-case {@code HTTP_PROXY} is ignored: a CGI environment lets a request set it).
     *
     * @throws IllegalArgumentException naming the variable when its value is not a plain http proxy URL
     */
    public static ProxyConfig fromEnvironment(Map<String, String> env) {
        String http = env.get("http_proxy");
        String https = first(env.get("https_proxy"), env.get("HTTPS_PROXY"));
        String no = first(env.get("no_proxy"), env.get("NO_PROXY"));
        return new ProxyConfig(blank(http) ? null : address(http, "http_proxy"),
                blank(https) ? null : address(https, "https_proxy"), split(no));
    }

    /** The proxy for {@code url}, or null for a direct connection. */
    public InetSocketAddress proxyFor(URI url) {
        InetSocketAddress p = "https".equalsIgnoreCase(url.getScheme()) ? httpsProxy : httpProxy;
        if (p == null || bypassed(url)) {
            return null;
        }
        return p;
    }

    /** A selector for {@link java.net.http.HttpClient.Builder#proxy}. */
    public ProxySelector selector() {
        return new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                InetSocketAddress p = proxyFor(uri);
                // resolved here, at each use: a proxy's address may change during a long run
                return List.of(p == null ? Proxy.NO_PROXY
                        : new Proxy(Proxy.Type.HTTP, new InetSocketAddress(p.getHostString(), p.getPort())));
            }

            @Override
            public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
                // nothing to fall back to: the failure reaches the caller, who retries or reports it
            }
        };
    }

    private boolean bypassed(URI url) {
        String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = url.getPort() >= 0 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
        for (String entry : noProxy) {
            if (entry.equals("*")) {
                return true;
            }
            String h = entry;
            int colon = entry.lastIndexOf(':');
            if (colon > 0 && entry.indexOf(':') == colon && entry.substring(colon + 1).chars().allMatch(Character::isDigit)) {
                if (Integer.parseInt(entry.substring(colon + 1)) != port) {
                    continue;
                }
                h = entry.substring(0, colon);
            }
            if (h.startsWith("[") && h.endsWith("]")) {
                h = h.substring(1, h.length() - 1);
            }
            String domain = h.startsWith(".") ? h.substring(1) : h;
            if (host.equals(domain) || host.endsWith("." + domain)) {
                return true;
            }
        }
        return false;
    }

    private static InetSocketAddress address(String value, String what) {
        String v = value.trim();
        URI u;
        try {
            u = new URI(v.contains("://") ? v : "http://" + v);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(what + " is not a URL: " + v);
        }
        if (!"http".equalsIgnoreCase(u.getScheme())) {
            throw new IllegalArgumentException(what + " must be an http:// proxy URL (the connection to an https"
                    + " upstream is tunnelled through it): " + v);
        }
        if (u.getHost() == null) {
            throw new IllegalArgumentException(what + " names no host: " + v);
        }
        if (u.getRawUserInfo() != null) {
            throw new IllegalArgumentException(what + " carries credentials, which ferry does not send to a proxy: "
                    + u.getHost());
        }
        String path = u.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/") || u.getRawQuery() != null) {
            throw new IllegalArgumentException(what + " must be http://host:port without a path: " + v);
        }
        return InetSocketAddress.createUnresolved(u.getHost(), u.getPort() >= 0 ? u.getPort() : 80);
    }

    private static List<String> split(String list) {
        List<String> out = new ArrayList<>();
        if (list != null) {
            for (String s : list.split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return out;
    }

    private static String first(String a, String b) {
        return !blank(a) ? a : b;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
