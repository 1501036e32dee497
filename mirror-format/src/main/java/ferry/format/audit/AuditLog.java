package ferry.format.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * An audit log: a file of JSON lines, one {@link AuditRecord} per line, only ever appended to.
 *
 * <p>Each append writes one whole line under an exclusive file lock (so concurrent ferry processes never interleave
 * their lines) and forces it to disk before returning, so a record that was appended survives a power cut. A line
 * torn by a crash during the write stays on its own line (the next append starts a new one) and is reported by
 * {@link #read} as damaged, never silently dropped. The file is never rewritten or truncated.
 *
 * <p>Line format (UTF-8, fields in this order, absent values as {@code null}): {@code {"time":
 * "2026-11-29T08:55:12.345Z", "user": "ferry", "command": "export", "commandLine": ["--job", "nightly"],
 * "bundleId": "...", "channel": "...", "sequence": 3, "signers": ["FPR..."], "result": "ok", "exitCode": 0,
 * "reason": null, "overrides": []}}.
 */
public final class AuditLog {
    /** The audit log's file name in a state directory (export side) or a store (import side). */
    public static final String FILE_NAME = "audit.jsonl";

    /** A line longer than this is damaged (a runaway write), not a record. */
    static final int MAX_LINE_CHARS = 1 << 20;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final Object IN_PROCESS = new Object();

    private AuditLog() {
    }

    /**
     * Appends {@code record} as one line to {@code file}, creating the file and its parent directories if needed,
     * and forces it to disk.
     *
     * @throws AuditLogException naming the file when it cannot be created, locked, written or forced
     */
    public static void append(Path file, AuditRecord record) throws AuditLogException {
        byte[] line = (toJson(record) + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (IN_PROCESS) { // a JVM may not hold two locks on one file (OverlappingFileLockException)
            try {
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                // Not APPEND (Java refuses READ with it): under the lock, the end of the file is where this line goes.
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.READ);
                     FileLock ignored = ch.lock()) {
                    long end = ch.size();
                    ByteBuffer out = endsMidLine(ch, end) ? ByteBuffer.wrap(prefixNewline(line)) : ByteBuffer.wrap(line);
                    while (out.hasRemaining()) {
                        end += ch.write(out, end);
                    }
                    ch.force(true);
                }
            } catch (IOException e) {
                throw new AuditLogException("cannot append to audit log " + file + ": " + e.getMessage(), e);
            }
        }
    }

    private static boolean endsMidLine(FileChannel ch, long size) throws IOException {
        if (size == 0) {
            return false;
        }
        ByteBuffer last = ByteBuffer.allocate(1);
        ch.read(last, size - 1);
        return last.get(0) != '\n';
    }

    private static byte[] prefixNewline(byte[] line) {
        byte[] b = new byte[line.length + 1];
        b[0] = '\n';
        System.arraycopy(line, 0, b, 1, line.length);
        return b;
    }

    /** The line {@link #append} writes for {@code record}, without the newline. */
    public static String toJson(AuditRecord r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("time", DateTimeFormatter.ISO_INSTANT.format(r.time().truncatedTo(ChronoUnit.MILLIS)));
        o.put("user", r.user());
        o.put("command", r.command());
        strings(o.putArray("commandLine"), r.commandLine());
        o.put("bundleId", r.bundleId());
        o.put("channel", r.channel());
        if (r.sequence() == null) {
            o.putNull("sequence");
        } else {
            o.put("sequence", r.sequence());
        }
        strings(o.putArray("signers"), r.signers());
        o.put("result", r.result());
        o.put("exitCode", r.exitCode());
        o.put("reason", r.reason());
        strings(o.putArray("overrides"), r.overrides());
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize an audit record", e);
        }
    }

    private static void strings(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }

    /**
     * What an audit log holds.
     *
     * @param records the records, in the order they were appended
     * @param damaged one line per damaged line: {@code "<file>:<line number>: <why>"} (a line torn by a crash)
     */
    public record Contents(List<AuditRecord> records, List<String> damaged) {
        public Contents {
            records = List.copyOf(records);
            damaged = List.copyOf(damaged);
        }
    }

    /**
     * Reads every record of {@code file}; a missing file is an empty log.
     *
     * @throws AuditLogException naming the file when it exists but cannot be read
     */
    public static Contents read(Path file) throws AuditLogException {
        List<AuditRecord> records = new ArrayList<>();
        List<String> damaged = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = in.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                if (line.length() > MAX_LINE_CHARS) {
                    damaged.add(file + ":" + n + ": line longer than " + MAX_LINE_CHARS + " characters");
                    continue;
                }
                try {
                    records.add(fromJson(line));
                } catch (IllegalArgumentException e) {
                    damaged.add(file + ":" + n + ": " + e.getMessage());
                }
            }
        } catch (NoSuchFileException e) {
            return new Contents(List.of(), List.of());
        } catch (IOException e) {
            throw new AuditLogException("cannot read audit log " + file + ": " + e.getMessage(), e);
        }
        return new Contents(records, damaged);
    }

    /**
     * Parses one line as {@link #toJson} writes it.
     *
     * @throws IllegalArgumentException naming what is wrong (not JSON, a missing or mistyped field)
     */
    public static AuditRecord fromJson(String line) {
        JsonNode o;
        try {
            o = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON record (" + e.getOriginalMessage() + ")");
        }
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        Instant time;
        try {
            time = Instant.parse(text(o, "time", true));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("field time: not an ISO-8601 UTC time");
        }
        JsonNode seq = o.get("sequence");
        if (seq != null && !seq.isNull() && !seq.canConvertToLong()) {
            throw new IllegalArgumentException("field sequence: not a whole number");
        }
        JsonNode exit = o.get("exitCode");
        if (exit == null || !exit.isInt()) {
            throw new IllegalArgumentException("field exitCode: missing or not a whole number");
        }
        return new AuditRecord(time, text(o, "user", false), text(o, "command", true), list(o, "commandLine"),
                text(o, "bundleId", false), text(o, "channel", false),
                seq == null || seq.isNull() ? null : seq.longValue(), list(o, "signers"), text(o, "result", true),
                exit.intValue(), text(o, "reason", false), list(o, "overrides"));
    }

    private static String text(JsonNode o, String field, boolean required) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException("field " + field + ": missing");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("field " + field + ": not a string");
        }
        return v.textValue();
    }

    private static List<String> list(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException("field " + field + ": not an array");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw new IllegalArgumentException("field " + field + ": not an array of strings");
            }
            out.add(e.textValue());
        }
        return out;
    }
}
