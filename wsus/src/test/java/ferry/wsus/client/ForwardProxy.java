package ferry.wsus.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal HTTP forward proxy on 127.0.0.1 (RFC 9110 9.3.6, RFC 9112 3.2.2): an absolute-form request is sent
 * on to the host it names, rewritten to origin form; CONNECT opens a tunnel. One target per client connection,
 * which is how an HTTP client uses a proxy for one upstream. Records each request line it saw.
 */
public final class ForwardProxy implements AutoCloseable {

    /** The request lines seen, e.g. {@code POST http://127.0.0.1:4711/ServerSyncWebService/... HTTP/1.1}. */
    public final List<String> requests = new CopyOnWriteArrayList<>();
    private final ServerSocket listener;
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    public ForwardProxy() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "forward-proxy");
        t.setDaemon(true);
        t.start();
    }

    public String url() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                open.add(client);
                Thread t = new Thread(() -> serve(client), "forward-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try {
            InputStream in = client.getInputStream();
            String head = readHead(in);
            if (head == null) {
                client.close();
                return;
            }
            int eol = head.indexOf("\r\n");
            String line = head.substring(0, eol);
            requests.add(line);
            String[] parts = line.split(" ");
            if (parts[0].equals("CONNECT")) {
                String[] hp = parts[1].split(":");
                Socket server = new Socket(hp[0], Integer.parseInt(hp[1]));
                open.add(server);
                client.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                client.getOutputStream().flush();
                tunnel(client, server, new byte[0]);
                return;
            }
            URI target = URI.create(parts[1]);
            Socket server = new Socket(target.getHost(), target.getPort() < 0 ? 80 : target.getPort());
            open.add(server);
            String origin = target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
            // later requests on this connection are forwarded as they come: a client sends them all to one target
            byte[] first = (parts[0] + " " + origin + " " + parts[2] + head.substring(eol)).getBytes(StandardCharsets.ISO_8859_1);
            tunnel(client, server, first);
        } catch (IOException ignored) {
            // a side closed
        }
    }

    private void tunnel(Socket client, Socket server, byte[] first) throws IOException {
        server.getOutputStream().write(first);
        server.getOutputStream().flush();
        Thread back = new Thread(() -> copy(server, client), "forward-proxy-back");
        back.setDaemon(true);
        back.start();
        copy(client, server);
    }

    private void copy(Socket from, Socket to) {
        byte[] buf = new byte[8192];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buf)) >= 0; ) {
                if (n > 0) {
                    recordLater(buf, n);
                }
                out.write(buf, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException ignored) {
            // a side closed
        }
    }

    /** Request lines of later requests on a kept-alive connection are recorded too (best effort). */
    private void recordLater(byte[] buf, int n) {
        String s = new String(buf, 0, Math.min(n, 200), StandardCharsets.ISO_8859_1);
        if (s.startsWith("POST http") || s.startsWith("GET http")) {
            int eol = s.indexOf("\r\n");
            if (eol > 0) {
                requests.add(s.substring(0, eol));
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        for (int c; (c = in.read()) >= 0; ) {
            b.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) ? state + 1 : (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
            if (state == 4) {
                return b.toString(StandardCharsets.ISO_8859_1);
            }
            if (b.size() > 65536) {
                return null;
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
