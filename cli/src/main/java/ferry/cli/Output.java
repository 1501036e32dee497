package ferry.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Prints a command's result: human text, or with {@code --json} one JSON document on standard output; with
 * {@code --summary-json FILE} also writes that JSON document to FILE ({@link SummaryFile}).
 */
final class Output {
    static final ObjectMapper JSON = JsonMapper.builder()
            .findAndAddModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private final CommandSpec spec;
    private final boolean json;

    Output(CommandSpec spec, boolean json) {
        this.spec = spec;
        this.json = json;
    }

    /** Prints {@code value} as JSON when --json was given, otherwise {@code text}. */
    void result(Object value, String text) {
        if (SummaryFile.target(spec) != null) {
            try {
                SummaryFile.write(spec, JSON.writeValueAsString(value));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("cannot serialize result", e);
            }
        }
        if (json) {
            printJson(value);
        } else {
            spec.commandLine().getOut().println(text);
            spec.commandLine().getOut().flush();
        }
    }

    /** Prints raw, already serialized JSON (or the text) as the result. */
    void resultRaw(String jsonText, String text) {
        SummaryFile.write(spec, jsonText);
        spec.commandLine().getOut().println(json ? jsonText : text);
        spec.commandLine().getOut().flush();
    }

    void printJson(Object value) {
        try {
            spec.commandLine().getOut().println(JSON.writeValueAsString(value));
            spec.commandLine().getOut().flush();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize result", e);
        }
    }
}
