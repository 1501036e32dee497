package ferry.apt.deb822;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One paragraph of a Debian control file (Debian Policy 5.1): fields in file order, looked up without regard to the
 * case of their names. A multi-line field's value keeps its lines joined by {@code \n}, each without its leading
 * space, a line of a single {@code .} standing for an empty line; a simple field's value is trimmed.
 *
 * @param line the 1-based line number of the paragraph's first field, for error messages
 */
public record Paragraph(Map<String, String> fields, int line) {

    public Paragraph {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** The field's value, if present (names compared ignoring case). */
    public Optional<String> get(String name) {
        String v = fields.get(name);
        if (v != null) {
            return Optional.of(v);
        }
        for (Map.Entry<String, String> e : fields.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    /**
     * The field's value.
     *
     * @throws ControlFileException naming the field and the paragraph's line when it is absent or empty
     */
    public String require(String name) throws ControlFileException {
        String v = get(name).orElse("");
        if (v.isBlank()) {
            throw new ControlFileException("line " + line + ": the paragraph has no " + name + " field");
        }
        return v;
    }

    static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
