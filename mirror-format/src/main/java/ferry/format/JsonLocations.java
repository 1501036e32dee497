package ferry.format;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each field and list element of a JSON or YAML document starts, so that an error found after binding (a
 * value out of range, an unknown name) can name its line: used by ferry.yml and approval-set readers.
 */
public final class JsonLocations {
    private JsonLocations() {
    }

    /**
     * One streaming pass over {@code text} with {@code mapper}'s parser (a YAMLMapper reads YAML).
     *
     * @return JSON Pointer (e.g. {@code /jobs/nightly/keys/0}) to where that value starts (1-based line and column)
     * @throws IOException if the text does not parse
     */
    public static Map<String, JsonLocation> locate(ObjectMapper mapper, String text) throws IOException {
        Map<String, JsonLocation> at = new HashMap<>();
        try (JsonParser p = mapper.createParser(text)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    continue;
                }
                // a field's pointer is its context's path plus its name; a list element's is the list's plus its index
                JsonPointer ptr = t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY
                        ? p.getParsingContext().getParent() == null ? JsonPointer.empty()
                        : p.getParsingContext().getParent().pathAsPointer()
                        : p.getParsingContext().pathAsPointer();
                at.putIfAbsent(ptr.toString(), p.currentTokenLocation());
            }
        }
        return at;
    }
}
