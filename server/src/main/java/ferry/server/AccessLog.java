package ferry.server;

import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.RequestLogWriter;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Where {@code ferry serve} writes its access log: one line per request in the NCSA combined format web-server
 * operators read ({@code host - user [time] "request" status bytes "referer" "user-agent"}), through Jetty's
 * {@link CustomRequestLog}; times in the server's time zone as the format has them.
 */
public final class AccessLog {
    private final RequestLog log;

    private AccessLog(RequestLog log) {
        this.log = log;
    }

    /** No access log. */
    public static AccessLog none() {
        return new AccessLog(null);
    }

    /** Appends to {@code file} (created if missing). */
    public static AccessLog toFile(Path file) {
        RequestLogWriter writer = new RequestLogWriter(file.toAbsolutePath().toString());
        writer.setAppend(true);
        return new AccessLog(new CustomRequestLog(writer, CustomRequestLog.EXTENDED_NCSA_FORMAT));
    }

    /** Writes to {@code out}, e.g. standard output for a service manager's journal. */
    public static AccessLog to(PrintStream out) {
        return new AccessLog(new CustomRequestLog(line -> {
            out.println(line);
            out.flush();
        }, CustomRequestLog.EXTENDED_NCSA_FORMAT));
    }

    /** The Jetty request log, or null for none. */
    RequestLog requestLog() {
        return log;
    }
}
