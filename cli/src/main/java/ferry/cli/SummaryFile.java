package ferry.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code --summary-json FILE}: the record {@code --json} prints, written to FILE whole or not at all (a temporary file
 * beside it, then renamed over it), so a scheduler never reads half a summary. A failed run writes
 * {@code {"command", "exitCode", "result", "error", "report"}} instead ({@code report}: what the run printed before it
 * failed, e.g. the verification report of an invalid bundle, or null).
 */
final class SummaryFile {
    static final String OPTION = "--summary-json";
    /** The JSON this thread's current run wrote as its summary, for a failure summary to carry. */
    private static final ThreadLocal<String> WRITTEN = new ThreadLocal<>();

    private SummaryFile() {
    }

    /** Forgets the last run's summary (a process may run several commands: tests, the demo). */
    static void reset() {
        WRITTEN.remove();
    }

    /** Whether this thread's current run wrote its summary. */
    static boolean written() {
        return WRITTEN.get() != null;
    }

    /** The --summary-json value of {@code spec}'s command, or null. */
    static Path target(CommandSpec spec) {
        OptionSpec o = spec.findOption(OPTION);
        return o == null ? null : o.getValue();
    }

    /** Writes {@code json} to the command's --summary-json file, if it has one; a failure is one line on stderr. */
    static void write(CommandSpec spec, String json) {
        Path file = target(spec);
        if (file == null) {
            return;
        }
        WRITTEN.set(json);
        writeAtomically(file, json, spec.commandLine().getErr());
    }

    /** After a failed run: the failure summary (see the class comment). */
    static void failure(CommandLine.ParseResult parseResult, int exitCode, String error) {
        CommandLine.ParseResult leaf = parseResult;
        while (leaf.subcommand() != null) {
            leaf = leaf.subcommand();
        }
        Path file = target(leaf.commandSpec());
        if (file == null) {
            return;
        }
        ObjectNode o = Output.JSON.createObjectNode();
        o.put("command", Audit.commandName(parseResult));
        o.put("exitCode", exitCode);
        o.put("result", Audit.result(exitCode));
        o.put("error", error);
        String before = WRITTEN.get();
        try {
            o.set("report", before == null ? null : Output.JSON.readTree(before));
            writeAtomically(file, Output.JSON.writeValueAsString(o), leaf.commandSpec().commandLine().getErr());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a failure summary", e);
        }
    }

    private static void writeAtomically(Path file, String json, PrintWriter err) {
        Path abs = file.toAbsolutePath();
        Path tmp = null;
        try {
            Files.createDirectories(abs.getParent());
            tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
            Files.writeString(tmp, json + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            err.println("ferry: cannot write " + OPTION + " " + file + ": " + e.getMessage());
            err.flush();
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temporary file's name starts with a dot; nothing reads it
                }
            }
        }
    }
}
