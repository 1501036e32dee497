package ferry.apt.index;

import ferry.apt.version.DebianVersion;
import ferry.apt.version.InvalidVersionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One package relation of a {@code Depends}, {@code Pre-Depends}, {@code Recommends} or {@code Provides} field
 * (Debian Policy 7.1): a package name, an optional architecture qualifier ({@code :any}, {@code :native} or an
 * architecture), and an optional version constraint.
 *
 * @param operator {@code <<}, {@code <=}, {@code =}, {@code >=} or {@code >>} (the obsolete {@code <} and {@code >}
 *                 read as {@code <=} and {@code >=}, as dpkg does), or null without a constraint
 */
public record Relation(String name, String archQualifier, String operator, DebianVersion version) {

    private static final Pattern ONE = Pattern.compile(
            "([a-z0-9][a-z0-9+.\\-]*)(?::([a-z0-9\\-]+))?\\s*(?:\\(\\s*(<<|<=|=|>=|>>|<|>)\\s*([^\\s)<>=]+)\\s*\\))?"
                    + "\\s*(?:\\[[^\\]]*\\])?\\s*(?:<[^>]*>\\s*)*");
    /** Alternatives per clause and clauses per field, at most (a real Provides lists about 1,700 features). */
    public static final int MAX_ITEMS = 20_000;

    /** True when {@code candidate} meets this relation's version constraint (always, without one). */
    public boolean satisfiedBy(DebianVersion candidate) {
        if (operator == null) {
            return true;
        }
        if (candidate == null) {
            return false;
        }
        int c = candidate.compareTo(version);
        return switch (operator) {
            case "<<" -> c < 0;
            case "<=" -> c <= 0;
            case "=" -> c == 0;
            case ">=" -> c >= 0;
            case ">>" -> c > 0;
            default -> throw new IllegalStateException(operator);
        };
    }

    public Optional<String> qualifier() {
        return Optional.ofNullable(archQualifier);
    }

    /**
     * Parses a relationship field: clauses separated by {@code ,}, alternatives by {@code |}. Architecture lists
     * ({@code [amd64]}) and build profiles ({@code <!nocheck>}) of source fields are accepted and dropped.
     *
     * @param field the field's name, for messages
     * @throws IndexFormatException naming the field and the clause at fault
     */
    public static List<List<Relation>> parseClauses(String value, String field) throws IndexFormatException {
        List<List<Relation>> clauses = new ArrayList<>();
        String flat = value.replace('\n', ' ').strip();
        if (flat.isEmpty()) {
            return clauses;
        }
        for (String clause : flat.split(",", -1)) {
            if (clauses.size() >= MAX_ITEMS) {
                throw new IndexFormatException(field + ": more than " + MAX_ITEMS + " relations");
            }
            List<Relation> alternatives = new ArrayList<>();
            for (String alt : clause.split("\\|", -1)) {
                if (alternatives.size() >= MAX_ITEMS) {
                    throw new IndexFormatException(field + ": more than " + MAX_ITEMS + " alternatives");
                }
                alternatives.add(parseOne(alt.strip(), field));
            }
            clauses.add(List.copyOf(alternatives));
        }
        return List.copyOf(clauses);
    }

    /** Parses a field of single relations separated by {@code ,} (as {@code Provides}); no alternatives allowed. */
    public static List<Relation> parseList(String value, String field) throws IndexFormatException {
        List<Relation> out = new ArrayList<>();
        for (List<Relation> clause : parseClauses(value, field)) {
            if (clause.size() != 1) {
                throw new IndexFormatException(field + ": alternatives ('|') are not allowed here");
            }
            out.add(clause.get(0));
        }
        return List.copyOf(out);
    }

    private static Relation parseOne(String text, String field) throws IndexFormatException {
        Matcher m = ONE.matcher(text);
        if (text.isEmpty() || !m.matches()) {
            throw new IndexFormatException(field + ": not a package relation: '" + clip(text) + "'");
        }
        String op = m.group(3);
        DebianVersion version = null;
        if (op != null) {
            op = op.equals("<") ? "<=" : op.equals(">") ? ">=" : op;
            try {
                version = DebianVersion.parse(m.group(4));
            } catch (InvalidVersionException e) {
                throw new IndexFormatException(field + ": " + e.getMessage());
            }
        }
        return new Relation(m.group(1), m.group(2), op, version);
    }

    private static String clip(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    @Override
    public String toString() {
        return name + (archQualifier == null ? "" : ":" + archQualifier)
                + (operator == null ? "" : " (" + operator + " " + version + ")");
    }
}
