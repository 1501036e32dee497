package ferry.cli;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/** The address {@code ferry serve} prints: one an operator can paste into a downstream server's settings. */
final class ServedAddress {
    private ServedAddress() {
    }

    /**
     * {@code uri} itself, or for a wildcard bind ({@code 0.0.0.0}, {@code ::}), which no client can connect to,
     * the same URL with this machine's host name plus a note that every interface listens.
     */
    static String describe(URI uri) {
        String host = uri.getHost();
        String bare = host == null ? "" : host.replace("[", "").replace("]", "");
        boolean wildcard;
        try {
            wildcard = !bare.isEmpty() && InetAddress.getByName(bare).isAnyLocalAddress();
        } catch (UnknownHostException e) {
            wildcard = false;
        }
        if (!wildcard) {
            return uri.toString();
        }
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            name = "localhost";
        }
        return uri.getScheme() + "://" + name + ":" + uri.getPort() + "/ (listening on all interfaces)";
    }
}
