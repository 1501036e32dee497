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
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A content server on 127.0.0.1 written on raw sockets, so that it can misbehave exactly: one request per
 * connection, each answered as the test's plan says for that request number (from 1): serve (honouring a Range
 * request), serve but ignore Range, cut the connection after some bytes, or answer a status with Retry-After.
 */
final class RawContentServer implements AutoCloseable {

    /** What to do with one request. */
    record Act(String kind, long cutAfter, int status, String retryAfter, long delayMillis) {
        static Act serve() { return new Act("serve", -1, 200, null, 0); }
        static Act slow(long millis) { return new Act("serve", -1, 200, null, millis); }
        static Act ignoreRange() { return new Act("ignore-range", -1, 200, null, 0); }
        static Act cutAfter(long bytes) { return new Act("serve", bytes, 200, null, 0); }
        static Act status(int status, String retryAfter) { return new Act("status", -1, status, retryAfter, 0); }
    }

    interface Plan {
        Act act(int request, String path);
    }

    /** Per request: {@code <path> <Range header or "-">}. */
    final List<String> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final ServerSocket listener;
    private volatile Plan plan = (n, p) -> Act.serve();

    RawContentServer() throws IOException {
        listener = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "raw-content");
        t.setDaemon(true);
        t.start();
    }

    void put(String path, byte[] bytes) {
        files.put(path, bytes);
    }

    /** Sets the plan; request numbers start again from 1 and the request log is cleared. */
    void plan(Plan p) {
        requests.clear();
        count.set(0);
        plan = p;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort() + path);
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                Thread t = new Thread(() -> serve(s), "raw-content-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            String head = readHead(s.getInputStream());
            if (head == null) {
                return;
            }
            String path = head.split(" ")[1];
            Matcher rm = Pattern.compile("(?im)^range: *bytes=(\\d+)-\\s*$").matcher(head);
            String range = rm.find() ? rm.group(1) : null;
            requests.add(path + " " + (range == null ? "-" : "bytes=" + range + "-"));
            Act act = plan.act(count.incrementAndGet(), path);
            if (act.delayMillis() > 0) {
                // Counted only while the answer is held back, before any byte of it is sent: a client thread
                // cannot start its next request before this one is answered, so the count is exactly the
                // requests the client has open at once (counting up to the socket's close also counted a
                // finished request whose client had already sent the next one).
                int now = inFlight.incrementAndGet();
                maxInFlight.accumulateAndGet(now, Math::max);
                try {
                    Thread.sleep(act.delayMillis());
                } finally {
                    inFlight.decrementAndGet();
                }
            }
            OutputStream out = s.getOutputStream();
            byte[] body = files.get(path);
            if (act.kind().equals("status") || body == null) {
                int status = body == null ? 404 : act.status();
                out.write(("HTTP/1.1 " + status + " X\r\nContent-Length: 0\r\nConnection: close\r\n"
                        + (act.retryAfter() == null ? "" : "Retry-After: " + act.retryAfter() + "\r\n") + "\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                return;
            }
            long from = range != null && !act.kind().equals("ignore-range") ? Long.parseLong(range) : 0;
            String status = from > 0 ? "206 Partial Content" : "200 OK";
            String extra = from > 0 ? "Content-Range: bytes " + from + "-" + (body.length - 1) + "/" + body.length + "\r\n" : "";
            out.write(("HTTP/1.1 " + status + "\r\nContent-Length: " + (body.length - from) + "\r\n" + extra
                    + "ETag: \"v1\"\r\nAccept-Ranges: bytes\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            long end = act.cutAfter() >= 0 ? Math.min(body.length, from + act.cutAfter()) : body.length;
            out.write(body, (int) from, (int) (end - from));
            out.flush();
            // short of Content-Length, the connection simply closes: a dropped connection as the client sees it
        } catch (IOException | InterruptedException ignored) {
            // the client went away
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) >= 0; ) {
            b.write(c);
            String s = b.toString(StandardCharsets.ISO_8859_1);
            if (s.endsWith("\r\n\r\n")) {
                return s.toLowerCase(Locale.ROOT).startsWith("get ") ? s : null;
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
