package ferry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The access log is NCSA combined, one line per request; status.json counts what was served. */
class AccessLogTest {
    @TempDir
    Path dir;

    // host - user [dd/MMM/yyyy:HH:mm:ss Z] "METHOD path HTTP/x" status bytes "referer" "user-agent"
    static final Pattern COMBINED = Pattern.compile(
            "127\\.0\\.0\\.1 - - \\[\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}] \"(GET|HEAD|POST) (\\S+) HTTP/1\\.1\" "
                    + "(\\d{3}) (\\d+|-) \"([^\"]*)\" \"([^\"]*)\"");

    @Test
    void everyRequestIsOneCombinedLineAndTheStatusCountsIt() throws Exception {
        Path log = dir.resolve("access.log");
        HttpClient http = HttpClient.newHttpClient();
        try (StoreServer server = StoreServer.start(dir.resolve("store"), Listeners.http("127.0.0.1", 0),
                ServerLimits.defaults(), AccessLog.toFile(log))) {
            URI base = server.uri();
            send(http, base.resolve("status.json"), "Windows-Update-Agent/1193.2412.12012.0 Client-Protocol/2.71");
            send(http, base.resolve("Content/AB/" + "AB".repeat(20) + ".cab"), "ferry-test");
            HttpResponse<String> status = send(http, base.resolve("status.json"), "ferry-test");
            JsonNode traffic = new ObjectMapper().readTree(status.body()).get("traffic");
            assertTrue(traffic.get("requests").asLong() >= 3, traffic.toString());
            assertEquals(1, traffic.get("responses4xx").asLong(), "the missing content file");
            assertTrue(traffic.get("bytesWritten").asLong() > 0);
        }
        List<String> lines = Files.readAllLines(log);
        assertEquals(3, lines.size(), lines.toString());
        for (String line : lines) {
            assertTrue(COMBINED.matcher(line).matches(), line);
        }
        assertTrue(lines.get(0).contains("\"GET /status.json HTTP/1.1\" 200 "), lines.get(0));
        assertTrue(lines.get(0).endsWith("\"Windows-Update-Agent/1193.2412.12012.0 Client-Protocol/2.71\""), lines.get(0));
        assertTrue(lines.get(1).contains(" 404 "), lines.get(1));
    }

    private static HttpResponse<String> send(HttpClient http, URI uri, String agent) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).header("User-Agent", agent).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
