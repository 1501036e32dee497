package ferry.cli.config;

import ferry.format.JsonLocations;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code ferry.yml} into a {@link FerryConfig}, collecting every binding error (unknown field, wrong type)
 * with its line, column and field instead of stopping at the first; {@link ConfigChecks} then checks the meaning.
 */
public final class ConfigLoader {
    /** A configuration file larger than this is refused (a mistake, not a configuration). */
    static final long MAX_BYTES = 1 << 20;

    private ConfigLoader() {
    }

    /**
     * What was read.
     *
     * @param file     the file
     * @param config   the bound configuration (fields that failed to bind are null)
     * @param problems binding errors, in file order
     * @param lines    where each field is: JSON pointer (e.g. {@code /jobs/nightly/keys/0}) to its location
     */
    public record Loaded(Path file, FerryConfig config, List<ConfigProblem> problems, Map<String, JsonLocation> lines) {
        /** A problem at {@code pointer} (or at its nearest enclosing field the file holds). */
        public ConfigProblem problem(String pointer, String message) {
            String p = pointer;
            JsonLocation at = lines.get(p);
            while (at == null && !p.isEmpty()) {
                p = p.substring(0, p.lastIndexOf('/'));
                at = lines.get(p);
            }
            return new ConfigProblem(file, at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(),
                    field(pointer), message);
        }
    }

    /**
     * Reads {@code file}.
     *
     * @throws ConfigException when the file cannot be read or is not YAML at all (one problem)
     */
    public static Loaded load(Path file) throws ConfigException {
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new ConfigException(List.of(new ConfigProblem(file, 0, 0, "",
                        "larger than " + MAX_BYTES + " bytes: not a ferry configuration")));
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(List.of(new ConfigProblem(file, 0, 0, "", "no such file")));
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigProblem(file, 0, 0, "", "cannot read: " + e.getMessage())));
        }
        List<ConfigProblem> problems = new ArrayList<>();
        Map<String, JsonLocation> lines = new HashMap<>();
        YAMLMapper mapper = YAMLMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .addHandler(new Collector(file, problems, lines))
                .build();
        FerryConfig config;
        try {
            lines.putAll(JsonLocations.locate(mapper, text));
            config = text.isBlank() ? null : mapper.readValue(text, FerryConfig.class);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String field = e instanceof com.fasterxml.jackson.databind.JsonMappingException m ? path(m) : "";
            problems.add(new ConfigProblem(file, at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(),
                    field, e.getOriginalMessage()));
            throw new ConfigException(problems);
        } catch (IOException e) { // reading from a string: only the parser's own failures
            problems.add(new ConfigProblem(file, 0, 0, "", "cannot parse: " + e.getMessage()));
            throw new ConfigException(problems);
        }
        if (config == null) {
            config = new FerryConfig(null, null, null, null, null, null);
        }
        return new Loaded(file, config, problems, lines);
    }

    /** {@code /jobs/nightly/keys/0} as {@code jobs.nightly.keys[0]}. */
    static String field(String pointer) {
        StringBuilder f = new StringBuilder();
        for (String seg : pointer.split("/")) {
            if (seg.isEmpty()) {
                continue;
            }
            String s = seg.replace("~1", "/").replace("~0", "~");
            if (s.chars().allMatch(Character::isDigit) && f.length() > 0) {
                f.append('[').append(s).append(']');
            } else {
                f.append(f.length() == 0 ? "" : ".").append(s);
            }
        }
        return f.toString();
    }

    private static String path(com.fasterxml.jackson.databind.JsonMappingException e) {
        StringBuilder f = new StringBuilder();
        for (com.fasterxml.jackson.databind.JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                f.append(f.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                f.append('[').append(r.getIndex()).append(']');
            }
        }
        return f.toString();
    }

    /** Records each binding error with its place and carries on, so one check lists every error. */
    private static final class Collector extends DeserializationProblemHandler {
        private final Path file;
        private final List<ConfigProblem> problems;
        private final Map<String, JsonLocation> lines;

        Collector(Path file, List<ConfigProblem> problems, Map<String, JsonLocation> lines) {
            this.file = file;
            this.problems = problems;
            this.lines = lines;
        }

        private void add(JsonParser p, String message) {
            String pointer = p.getParsingContext().pathAsPointer().toString();
            JsonLocation at = p.currentTokenLocation();
            if (at == null || at.getLineNr() <= 0) {
                // a record's properties are buffered before its constructor runs: the buffer knows no lines
                at = lines.get(pointer);
            }
            problems.add(new ConfigProblem(file, at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(),
                    field(pointer), message));
        }

        @Override
        public Object handleMissingInstantiator(DeserializationContext ctxt, Class<?> instClass,
                                                com.fasterxml.jackson.databind.deser.ValueInstantiator valueInsts,
                                                JsonParser p, String msg) throws IOException {
            add(p, "expected " + describe(ctxt.constructType(instClass)) + ", found " + describe(p.currentToken()));
            p.skipChildren();
            return null;
        }

        @Override
        public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer,
                                             Object beanOrClass, String propertyName) throws IOException {
            List<String> known = new ArrayList<>();
            deserializer.getKnownPropertyNames().forEach(n -> known.add(String.valueOf(n)));
            known.sort(null);
            add(p, "unknown field" + (known.isEmpty() ? "" : "; known fields: " + String.join(", ", known)));
            p.skipChildren();
            return true;
        }

        @Override
        public Object handleUnexpectedToken(DeserializationContext ctxt, JavaType targetType, JsonToken t, JsonParser p,
                                            String failureMsg) throws IOException {
            add(p, "expected " + describe(targetType) + ", found " + describe(t));
            p.skipChildren();
            return null;
        }

        @Override
        public Object handleWeirdStringValue(DeserializationContext ctxt, Class<?> targetType, String valueToConvert,
                                             String failureMsg) {
            add(ctxt.getParser(), "expected " + describe(ctxt.constructType(targetType)) + ", found \"" + valueToConvert + "\"");
            return null;
        }

        @Override
        public Object handleWeirdNumberValue(DeserializationContext ctxt, Class<?> targetType, Number valueToConvert,
                                             String failureMsg) {
            add(ctxt.getParser(), "expected " + describe(ctxt.constructType(targetType)) + ", found " + valueToConvert);
            return null;
        }

        private static String describe(JavaType t) {
            Class<?> c = t.getRawClass();
            if (c == String.class) {
                return "a text value";
            }
            if (c == Integer.class || c == int.class || c == Long.class) {
                return "a whole number";
            }
            if (c == Boolean.class || c == boolean.class) {
                return "true or false";
            }
            if (java.util.Collection.class.isAssignableFrom(c)) {
                return "a list";
            }
            return "a mapping (field: value)";
        }

        private static String describe(JsonToken t) {
            return switch (t) {
                case START_ARRAY -> "a list";
                case START_OBJECT -> "a mapping";
                case VALUE_STRING -> "a text value";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
                case VALUE_TRUE, VALUE_FALSE -> "true/false";
                case VALUE_NULL -> "nothing";
                default -> t.toString();
            };
        }
    }
}
