package ferry.server;

import org.eclipse.jetty.io.Connection;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Closes a newly opened connection when its client IP address already holds {@code max} open connections, so one
 * host cannot take every connection. Jetty limits connections only in total ({@code ConnectionLimit}), hence this.
 *
 * <p>Each connection's address is remembered when it opens: once the socket is closed Jetty can no longer tell its
 * remote address, and a count not given back would lock the address out for good after {@code max} connections.
 */
final class AddressConnectionLimit implements Connection.Listener {

    private final int max;
    private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Connection, InetAddress> counted = new ConcurrentHashMap<>();

    AddressConnectionLimit(int max) {
        this.max = max;
    }

    @Override
    public void onOpened(Connection connection) {
        InetAddress address = address(connection);
        if (address == null) {
            return;
        }
        counted.put(connection, address);
        if (open.merge(address, 1, Integer::sum) > max) {
            connection.getEndPoint().close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        InetAddress address = counted.remove(connection);
        if (address != null) {
            open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
        }
    }

    /** Open connections counted for {@code address} (for tests). */
    int openFrom(InetAddress address) {
        return open.getOrDefault(address, 0);
    }

    private static InetAddress address(Connection connection) {
        SocketAddress remote = connection.getEndPoint().getRemoteSocketAddress();
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
