package ferry.wsus.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A TCP front on 127.0.0.1 before a real server: each connection, numbered from 1, is forwarded as it is, reset
 * after the request arrives, or forwarded until a few response bytes passed and then held open in silence.
 */
final class MisbehavingFront implements AutoCloseable {

    enum Act { FORWARD, RESET, STALL }

    final AtomicInteger connections = new AtomicInteger();
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final IntFunction<Act> plan;
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    MisbehavingFront(URI target, IntFunction<Act> plan) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.target = new InetSocketAddress("127.0.0.1", target.getPort());
        this.plan = plan;
        Thread t = new Thread(this::accept, "misbehaving-front");
        t.setDaemon(true);
        t.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/");
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                open.add(client);
                Act act = plan.apply(connections.incrementAndGet());
                Thread t = new Thread(() -> serve(client, act), "misbehaving-front-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client, Act act) {
        try {
            if (act == Act.RESET) {
                client.getInputStream().read(new byte[4096]);
                client.setSoLinger(true, 0);
                client.close();
                return;
            }
            Socket server = new Socket(target.getAddress(), target.getPort());
            open.add(server);
            pipe(client.getInputStream(), server.getOutputStream(), Long.MAX_VALUE);
            // a stalled response: headers and a few bytes of the body, then nothing while the socket stays open
            pipeHere(server.getInputStream(), client.getOutputStream(), act == Act.STALL ? 200 : Long.MAX_VALUE);
        } catch (IOException ignored) {
            // the client went away
        }
    }

    private static void pipe(InputStream in, OutputStream out, long limit) {
        Thread t = new Thread(() -> pipeHere(in, out, limit), "misbehaving-front-pipe");
        t.setDaemon(true);
        t.start();
    }

    private static void pipeHere(InputStream in, OutputStream out, long limit) {
        byte[] buf = new byte[8192];
        long sent = 0;
        try {
            while (sent < limit) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, limit - sent));
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
                out.flush();
                sent += n;
            }
            if (sent < limit) {
                out.close();
            }
        } catch (IOException ignored) {
            // either side closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
