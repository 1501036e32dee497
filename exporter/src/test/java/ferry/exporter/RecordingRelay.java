package ferry.exporter;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP relay on 127.0.0.1 in front of a real upstream that keeps every byte the client sent, so that a test can
 * count what the exporter asked the upstream for (SOAP operations, revision ids) without touching the server.
 */
final class RecordingRelay implements AutoCloseable {

    private final ServerSocket listener;
    private final int targetPort;
    private final List<ByteArrayOutputStream> sent = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    RecordingRelay(URI target) throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        targetPort = target.getPort();
        Thread t = new Thread(this::accept, "recording-relay");
        t.setDaemon(true);
        t.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/");
    }

    /** Everything sent so far, then forgets it. */
    String take() {
        StringBuilder b = new StringBuilder();
        for (ByteArrayOutputStream s : sent) {
            synchronized (s) {
                b.append(s.toString(StandardCharsets.UTF_8));
                s.reset();
            }
        }
        return b.toString();
    }

    /** The revision ids asked for with GetUpdateData in {@code traffic}. */
    static int updateDataIds(String traffic) {
        int n = 0;
        for (String request : traffic.split("(?=POST /)")) {
            if (request.contains("<GetUpdateData ")) {
                Matcher m = Pattern.compile("<UpdateID>").matcher(request);
                while (m.find()) {
                    n++;
                }
            }
        }
        return n;
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                open.add(client);
                open.add(server);
                ByteArrayOutputStream log = new ByteArrayOutputStream();
                sent.add(log);
                start(() -> pipe(client, server, log));
                start(() -> pipe(server, client, null));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void start(Runnable r) {
        Thread t = new Thread(r, "recording-relay-pipe");
        t.setDaemon(true);
        t.start();
    }

    private static void pipe(Socket from, Socket to, ByteArrayOutputStream log) {
        byte[] buf = new byte[16384];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buf)) >= 0; ) {
                if (log != null) {
                    synchronized (log) {
                        log.write(buf, 0, n);
                    }
                }
                out.write(buf, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException ignored) {
            // a side closed
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
