package ferry.wsus.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.util.List;

/**
 * The carried form of an {@link ApprovalSet}: the bytes of the {@value ApprovalSet#PATH} entry. Written compact, keys
 * sorted, UTF-8; read strictly (unknown or duplicate fields, values of the wrong type, trailing data and anything
 * beyond {@link #MAX_BYTES} are refused) and then {@linkplain ApprovalSet#check(boolean) checked} as carried.
 */
public final class ApprovalSetJson {
    /** The largest carried approval set read, in bytes. */
    public static final int MAX_BYTES = 16 << 20;

    private static final JsonMapper MAPPER = mapper();

    private ApprovalSetJson() {
    }

    private static JsonMapper mapper() {
        JsonMapper m = JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        m.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16)
                .maxStringLength(1 << 16).maxNumberLength(20).build());
        m.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        return m;
    }

    /** The carried bytes of {@code set} (its {@linkplain ApprovalSet#normalized normalized} form). */
    public static byte[] write(ApprovalSet set) {
        try {
            return MAPPER.writeValueAsBytes(set);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an approval set: " + e.getMessage(), e);
        }
    }

    /**
     * Reads and checks a carried approval set.
     *
     * @throws IllegalArgumentException with one line naming the field at fault
     */
    public static ApprovalSet read(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException("approval set is " + bytes.length + " bytes, over " + MAX_BYTES);
        }
        ApprovalSet set;
        try {
            set = MAPPER.readValue(bytes, ApprovalSet.class);
        } catch (JsonMappingException e) {
            throw new IllegalArgumentException("approval set field " + path(e) + ": " + e.getOriginalMessage()
                    .lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new IllegalArgumentException("approval set is not JSON: " + e.getMessage().lines().findFirst()
                    .orElse(""));
        }
        if (set == null) {
            throw new IllegalArgumentException("approval set is null");
        }
        List<ApprovalSet.Problem> problems = set.check(true);
        if (!problems.isEmpty()) {
            ApprovalSet.Problem p = problems.get(0);
            throw new IllegalArgumentException("approval set field " + p.field() + ": " + p.message()
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problem(s))" : ""));
        }
        return set;
    }

    private static String path(JsonMappingException e) {
        StringBuilder f = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                f.append(f.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                f.append('[').append(r.getIndex()).append(']');
            }
        }
        return f.length() == 0 ? "(top level)" : f.toString();
    }
}
