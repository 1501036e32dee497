package ferry.format;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.deser.std.JsonNodeDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.CollectionType;
import com.fasterxml.jackson.databind.type.MapType;
import java.io.IOException;
import java.util.Collection;
import java.util.Map;

/**
 * The strict Jackson configuration that binds manifest bytes to {@link RawManifest}: no scalar coercion (a number
 * where a string belongs is refused, and the other way round), duplicate keys refused, unknown fields refused, the
 * {@link Limits} on nesting, numbers and strings enforced by the parser. Databind into records streams the tokens,
 * so no tree of the whole manifest is built (only {@code selection} becomes a tree, bounded by
 * {@link Limits#MAX_SELECTION_BYTES}).
 *
 * <p>So that one bad value does not hide the others ({@link ManifestCheck} reports every problem), every value's
 * deserializer is wrapped: a value Jackson refuses (wrong type, null, integer out of range, too many elements) is
 * reported at its field path, skipped, and bound as null; unknown fields are reported and skipped. Broken JSON
 * syntax, a duplicate key or a limit of the parser still stops the read: the document structure is then unknown.
 */
final class ManifestJson {
    private ManifestJson() { }

    /** Where refused values go; {@link #refused} may throw an unchecked exception to stop the read. */
    interface Problems {
        /** @param path field path such as {@code entries[3].sha256}; empty for the document itself */
        void refused(String path, String message);
    }

    /** Most elements per array, by element type (the array's path is reported when exceeded). */
    private static final Map<Class<?>, Integer> MAX_ELEMENTS = Map.of(
            RawManifest.RawVolume.class, Limits.MAX_VOLUMES,
            RawManifest.RawEntry.class, Limits.MAX_ENTRIES,
            RawManifest.RawSegment.class, Limits.MAX_VOLUMES);

    static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(Limits.MAX_JSON_DEPTH)
                    .maxNumberLength(20)
                    .maxStringLength(Limits.MAX_SELECTION_BYTES)
                    .maxNameLength(1024)
                    .build())
            .build();

    private static final JsonMapper MAPPER = mapper();
    private static final ObjectReader READER = MAPPER.readerFor(RawManifest.class);

    private static JsonMapper mapper() {
        SimpleModule collecting = new SimpleModule("ferry-manifest");
        collecting.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription desc,
                                                          JsonDeserializer<?> d) {
                return new Collecting(d);
            }

            @Override
            public JsonDeserializer<?> modifyCollectionDeserializer(DeserializationConfig config, CollectionType type,
                                                                    BeanDescription desc, JsonDeserializer<?> d) {
                return new Collecting(d);
            }

            @Override
            public JsonDeserializer<?> modifyMapDeserializer(DeserializationConfig config, MapType type,
                                                             BeanDescription desc, JsonDeserializer<?> d) {
                return new Collecting(d);
            }
        });
        // tree deserializers bypass the modifier: wrap the one for the selection object by hand
        @SuppressWarnings("unchecked")
        JsonDeserializer<ObjectNode> selection =
                (JsonDeserializer<ObjectNode>) (JsonDeserializer<?>) new Collecting(JsonNodeDeserializer.getDeserializer(ObjectNode.class));
        collecting.addDeserializer(ObjectNode.class, selection);
        JsonMapper m = JsonMapper.builder(FACTORY)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .disable(DeserializationFeature.UNWRAP_SINGLE_VALUE_ARRAYS)
                .disable(DeserializationFeature.ACCEPT_EMPTY_STRING_AS_NULL_OBJECT)
                // required fields are checked by ManifestParser so that a missing one is reported at its path and
                // the read goes on; hence no FAIL_ON_MISSING_CREATOR_PROPERTIES, and no primitives to be null
                .addModule(collecting)
                .addHandler(new UnknownFields())
                .build();
        for (CoercionInputShape shape : CoercionInputShape.values()) {
            m.coercionConfigDefaults().setCoercion(shape, CoercionAction.Fail);
        }
        return m;
    }

    /**
     * Binds {@code p}, positioned on the document's first token, to a raw manifest; refused values go to
     * {@code problems}. Returns null when the document itself was refused.
     *
     * @throws JacksonException for broken syntax, a duplicate key or a parser limit (stop: report and give up)
     */
    static RawManifest read(JsonParser p, Problems problems) throws IOException {
        return READER.withAttribute(Problems.class, problems).readValue(p);
    }

    /** A parser over {@code bytes} with the manifest's limits. */
    static JsonParser parser(byte[] bytes) throws IOException {
        return MAPPER.createParser(bytes);
    }

    /** Path of the value the parser is at (or just finished), e.g. {@code entries[3].sha256}; empty at the top. */
    static String pathOf(JsonParser p) {
        JsonStreamContext c = p.getParsingContext();
        return c == null ? "" : path(p.currentToken() != null && p.currentToken().isStructStart() ? c.getParent() : c);
    }

    /** Path of the value that {@code c} is currently at. */
    static String path(JsonStreamContext c) {
        if (c == null || c.inRoot()) {
            return "";
        }
        String parent = path(c.getParent());
        if (c.inArray()) {
            return parent + "[" + Math.max(0, c.getCurrentIndex()) + "]";
        }
        String name = c.getCurrentName();
        return name == null ? parent : parent.isEmpty() ? name : parent + "." + name;
    }

    /**
     * Whether the read may go on after {@code e}: only a value was refused (a databind problem, possibly caused by
     * an integer out of range), while the JSON itself is intact. Broken syntax, a parser limit, the stop of
     * {@link ManifestParser} (wrapped by Jackson) and a defect in the raw records all end the read.
     */
    static boolean recoverable(Throwable e) {
        if (e instanceof InvalidDefinitionException) {
            return false;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (!(t instanceof DatabindException) && !(t instanceof InputCoercionException)) {
                return false;
            }
        }
        return true;
    }

    static String describe(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a floating-point number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    private static String expected(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type == Long.class) {
            return "an integer";
        }
        if (type != null && Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }

    private static Problems problems(DeserializationContext ctxt) {
        return (Problems) ctxt.getAttribute(Problems.class);
    }

    /** Thrown by an element past its array's limit; reported at the array's path. */
    private static final class TooManyElements extends JsonMappingException {
        private static final long serialVersionUID = 1L;

        TooManyElements(JsonParser p, int max) {
            super(p, "more than " + max + " elements");
        }
    }

    /** Wraps one value's deserializer: a refused value is reported at its path, skipped and bound as null. */
    private static final class Collecting extends DelegatingDeserializer {
        private static final long serialVersionUID = 1L;

        Collecting(JsonDeserializer<?> delegate) {
            super(delegate);
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
            return new Collecting(delegate);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken start = p.currentToken();
            // the context the value sits in: for an object or array the parser already entered its own
            JsonStreamContext outer = start != null && start.isStructStart()
                    ? p.getParsingContext().getParent() : p.getParsingContext();
            Integer max = MAX_ELEMENTS.get(handledType());
            if (max != null && outer.inArray() && outer.getCurrentIndex() >= max) {
                throw new TooManyElements(p, max);
            }
            try {
                return _delegatee.deserialize(p, ctxt);
            } catch (JacksonException e) {
                if (!recoverable(e)) {
                    throw e;
                }
                problems(ctxt).refused(path(outer), message(e, start));
                while (p.getParsingContext() != outer && p.nextToken() != null) {
                    // skip the rest of the refused value
                }
                return null;
            }
        }

        private String message(JacksonException e, JsonToken start) {
            if (e instanceof TooManyElements) {
                return e.getOriginalMessage();
            }
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof InputCoercionException) {
                    return "integer out of range";
                }
            }
            String expected = expected(handledType());
            String actual = describe(start);
            if (!expected.equals(actual)) {
                return "must be " + expected + ", is " + actual;
            }
            String m = e.getOriginalMessage();
            return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
        }

        @Override
        public Object getNullValue(DeserializationContext ctxt) {
            JsonParser p = ctxt.getParser();
            if (p != null && p.hasToken(JsonToken.VALUE_NULL)) {
                String path = path(p.getParsingContext());
                problems(ctxt).refused(path, path.isEmpty() ? "must be an object, is null"
                        : "must not be null (omit optional fields instead)");
            }
            return null;
        }

        @Override
        public Object getAbsentValue(DeserializationContext ctxt) {
            return null;
        }
    }

    /** Reports an unknown field at its path and skips its value, so the other fields are still read. */
    private static final class UnknownFields extends DeserializationProblemHandler {
        @Override
        public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer,
                                             Object beanOrClass, String propertyName) throws IOException {
            JsonParser main = ctxt.getParser();
            String object;
            if (p == main) {
                // at the unknown field's value, inside the object
                JsonStreamContext c = p.getParsingContext();
                if (p.currentToken() != null && p.currentToken().isStructStart()) {
                    c = c.getParent();
                }
                object = path(c.getParent());
            } else {
                // replayed from a buffer once the object's known fields were read: the main parser is at the
                // object's end or at a field name inside it
                JsonStreamContext c = main.getParsingContext();
                object = main.hasToken(JsonToken.END_OBJECT) ? path(c) : path(c.getParent());
            }
            problems(ctxt).refused(object.isEmpty() ? propertyName : object + "." + propertyName, "unknown field");
            p.skipChildren();
            return true;
        }
    }
}
