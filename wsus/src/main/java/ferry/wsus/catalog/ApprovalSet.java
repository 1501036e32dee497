package ferry.wsus.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An approval set: what a central team decides on the connected side about WSUS updates, carried signed in a bundle
 * (entry kind {@value #KIND} at {@value #PATH}, docs/bundle-format.md section 14) and applied by the import. The
 * same shape is the file an operator gives {@code ferry export --approvals} (YAML or JSON), where each selector list
 * may also be a single value, actions may be in any case and deadlines a date or a time with an offset; the carried
 * form is {@linkplain #normalized() normalized}: ids in lower case, KB numbers as digits, actions {@code Install} or
 * {@code Uninstall}, deadlines UTC {@code YYYY-MM-DDTHH:MM:SSZ}, products and classifications as category ids.
 *
 * @param formatVersion {@value #FORMAT_VERSION} in the carried form; absent (null) in an operator's file
 * @param groups        computer groups to create where the isolated side lacks them (by name, case ignored)
 * @param approvals     approvals of the selected updates for a group
 * @param declines      updates to decline
 * @param rules         automatic-approval rules
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ApprovalSet(Integer formatVersion, List<Group> groups, List<Approve> approvals, List<Decline> declines,
                          List<Rule> rules) {
    /** The entry kind ({@code source.kind}) of a carried approval set. */
    public static final String KIND = "wsus-approvals";
    /** The entry path of a carried approval set. */
    public static final String PATH = "wsus/approvals.json";
    /** The media type of a carried approval set. */
    public static final String MEDIA_TYPE = "application/json";
    /** The carried form's {@code formatVersion}. */
    public static final int FORMAT_VERSION = 1;
    /** Most groups, approvals, declines and rules, each. */
    public static final int MAX_ITEMS = 10_000;
    /** Most values in one selector list. */
    public static final int MAX_VALUES = 1_000;
    /** Longest name (group, rule, product, classification title). */
    public static final int MAX_NAME = 256;

    private static final Pattern GUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern KB = Pattern.compile("(?i)(?:KB)?([0-9]{1,12})");

    public ApprovalSet {
        groups = groups == null ? List.of() : nonNull(groups);
        approvals = approvals == null ? List.of() : nonNull(approvals);
        declines = declines == null ? List.of() : nonNull(declines);
        rules = rules == null ? List.of() : nonNull(rules);
    }

    private static <T> List<T> nonNull(List<T> l) {
        // a YAML "- " with nothing after it binds as null: kept, so check() names it
        return java.util.Collections.unmodifiableList(new ArrayList<>(l));
    }

    /**
     * A computer group to create.
     *
     * @param name   1 to 256 characters, no control characters
     * @param parent the group above it (a group of the set or one the isolated side has), or null for "All Computers"
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Group(String name, String parent) {
    }

    /**
     * Which updates: each list that is not empty restricts the selection, as {@link UpdateSelector} says.
     */
    public interface Selects {
        List<String> update();

        List<String> kb();

        List<String> product();

        List<String> classification();

        /** As the isolated side's selector. */
        default UpdateSelector selector() {
            return new UpdateSelector(update(), kb(), product(), classification());
        }
    }

    /**
     * An approval of the selected updates for a group.
     *
     * @param action   {@code Install} (the default when absent) or {@code Uninstall}
     * @param deadline UTC time (or, in an operator's file, a date: midnight UTC, or a time with an offset); null for none
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Approve(List<String> update, List<String> kb, List<String> product, List<String> classification,
                          String group, String action, String deadline) implements Selects {
        public Approve {
            update = list(update);
            kb = list(kb);
            product = list(product);
            classification = list(classification);
        }
    }

    /** Updates to decline. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Decline(List<String> update, List<String> kb, List<String> product, List<String> classification)
            implements Selects {
        public Decline {
            update = list(update);
            kb = list(kb);
            product = list(product);
            classification = list(classification);
        }
    }

    /**
     * An automatic-approval rule ({@link ApprovalRule}): Install for {@code group} (default "All Computers").
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Rule(String name, List<String> product, List<String> classification, String group) {
        public Rule {
            product = list(product);
            classification = list(classification);
        }
    }

    private static List<String> list(List<String> l) {
        return l == null ? List.of() : java.util.Collections.unmodifiableList(new ArrayList<>(l));
    }

    /**
     * A problem of the set.
     *
     * @param pointer JSON pointer of the field at fault, e.g. {@code /approvals/0/kb/1}
     * @param message one line
     */
    public record Problem(String pointer, String message) {
        /** {@code /approvals/0/kb/1} as {@code approvals[0].kb[1]}. */
        public String field() {
            StringBuilder f = new StringBuilder();
            for (String seg : pointer.split("/")) {
                if (seg.isEmpty()) {
                    continue;
                }
                if (seg.chars().allMatch(Character::isDigit) && f.length() > 0) {
                    f.append('[').append(seg).append(']');
                } else {
                    f.append(f.length() == 0 ? "" : ".").append(seg);
                }
            }
            return f.toString();
        }
    }

    /** The total number of groups, approvals, declines and rules. */
    public int size() {
        return groups.size() + approvals.size() + declines.size() + rules.size();
    }

    /**
     * Every problem of the set, in field order: names, selectors (at least one value; update ids GUIDs, KB numbers
     * digits with or without {@code KB}), actions, deadlines, groups named by approvals and rules that are neither
     * built in nor listed in {@code groups}, duplicate groups or rules, limits. Empty when the set is usable.
     *
     * @param carried also require the carried form ({@link #normalized()} of a checked set, with category ids)
     */
    public List<Problem> check(boolean carried) {
        List<Problem> out = new ArrayList<>();
        if (carried && (formatVersion == null || formatVersion != FORMAT_VERSION)) {
            out.add(new Problem("/formatVersion", "must be " + FORMAT_VERSION));
        }
        limit(out, "/groups", groups.size());
        limit(out, "/approvals", approvals.size());
        limit(out, "/declines", declines.size());
        limit(out, "/rules", rules.size());
        Set<String> known = new HashSet<>(Set.of(TargetGroup.ALL_COMPUTERS_NAME.toLowerCase(Locale.ROOT),
                TargetGroup.UNASSIGNED_COMPUTERS_NAME.toLowerCase(Locale.ROOT)));
        for (int i = 0; i < groups.size(); i++) {
            Group g = groups.get(i);
            String at = "/groups/" + i;
            if (g == null) {
                out.add(new Problem(at, "empty entry"));
                continue;
            }
            if (name(out, at + "/name", g.name(), "group name") && !known.add(g.name().trim().toLowerCase(Locale.ROOT))) {
                out.add(new Problem(at + "/name", "group " + quote(g.name()) + " is built in or listed twice"));
            }
            if (g.parent() != null && name(out, at + "/parent", g.parent(), "parent group")
                    && !known.contains(g.parent().trim().toLowerCase(Locale.ROOT))) {
                out.add(new Problem(at + "/parent", "group " + quote(g.parent())
                        + " is neither built in nor listed before it in groups"));
            }
        }
        for (int i = 0; i < approvals.size(); i++) {
            Approve a = approvals.get(i);
            String at = "/approvals/" + i;
            if (a == null) {
                out.add(new Problem(at, "empty entry"));
                continue;
            }
            selects(out, at, a, carried);
            group(out, at + "/group", a.group(), known, true);
            if (a.action() != null && action(a.action()) == null) {
                out.add(new Problem(at + "/action", "must be install or uninstall, not " + quote(a.action())));
            } else if (carried && a.action() != null && !a.action().equals(action(a.action()))) {
                out.add(new Problem(at + "/action", "must be Install or Uninstall"));
            }
            if (a.deadline() != null) {
                Instant d = deadline(a.deadline());
                if (d == null) {
                    out.add(new Problem(at + "/deadline", "not a UTC time or date (e.g. 2026-12-01T18:00:00Z or"
                            + " 2026-12-01): " + quote(a.deadline())));
                } else if (carried && !a.deadline().equals(d.toString())) {
                    out.add(new Problem(at + "/deadline", "must be YYYY-MM-DDTHH:MM:SSZ"));
                }
            }
        }
        for (int i = 0; i < declines.size(); i++) {
            if (declines.get(i) == null) {
                out.add(new Problem("/declines/" + i, "empty entry"));
            } else {
                selects(out, "/declines/" + i, declines.get(i), carried);
            }
        }
        Set<String> ruleNames = new HashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            Rule r = rules.get(i);
            String at = "/rules/" + i;
            if (r == null) {
                out.add(new Problem(at, "empty entry"));
                continue;
            }
            if (name(out, at + "/name", r.name(), "rule name") && !ruleNames.add(r.name().trim().toLowerCase(Locale.ROOT))) {
                out.add(new Problem(at + "/name", "rule " + quote(r.name()) + " is listed twice"));
            }
            if (r.product().isEmpty() && r.classification().isEmpty()) {
                out.add(new Problem(at, "name at least one product or classification"));
            }
            categories(out, at + "/product", r.product(), carried);
            categories(out, at + "/classification", r.classification(), carried);
            group(out, at + "/group", r.group(), known, false);
        }
        return out;
    }

    private static void limit(List<Problem> out, String at, int size) {
        if (size > MAX_ITEMS) {
            out.add(new Problem(at, size + " entries, more than " + MAX_ITEMS));
        }
    }

    private static void selects(List<Problem> out, String at, Selects s, boolean carried) {
        if (s.update().isEmpty() && s.kb().isEmpty() && s.product().isEmpty() && s.classification().isEmpty()) {
            out.add(new Problem(at, "name the updates: update, kb, product or classification"));
        }
        values(out, at + "/update", s.update());
        for (int i = 0; i < s.update().size(); i++) {
            String v = s.update().get(i);
            if (v != null && !GUID.matcher(v.trim()).matches()) {
                out.add(new Problem(at + "/update/" + i, "not an update id (a GUID): " + quote(v)));
            } else if (carried && v != null && !v.equals(v.toLowerCase(Locale.ROOT))) {
                out.add(new Problem(at + "/update/" + i, "must be lower case"));
            }
        }
        values(out, at + "/kb", s.kb());
        for (int i = 0; i < s.kb().size(); i++) {
            String v = s.kb().get(i);
            if (v != null && (carried ? !v.matches("[1-9][0-9]{0,11}|0") : !KB.matcher(v.trim()).matches())) {
                out.add(new Problem(at + "/kb/" + i, "not a KB number (e.g. 5034441 or KB5034441): " + quote(v)));
            }
        }
        categories(out, at + "/product", s.product(), carried);
        categories(out, at + "/classification", s.classification(), carried);
    }

    private static void categories(List<Problem> out, String at, List<String> values, boolean carried) {
        values(out, at, values);
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            if (v == null) {
                continue;
            }
            if (carried ? !GUID.matcher(v).matches() || !v.equals(v.toLowerCase(Locale.ROOT))
                    : v.isBlank() || v.length() > MAX_NAME || v.chars().anyMatch(Character::isISOControl)) {
                out.add(new Problem(at + "/" + i, carried ? "not a category id (lower-case GUID): " + quote(v)
                        : "empty, longer than " + MAX_NAME + " characters or holding control characters"));
            }
        }
    }

    private static void values(List<Problem> out, String at, List<String> values) {
        if (values.size() > MAX_VALUES) {
            out.add(new Problem(at, values.size() + " values, more than " + MAX_VALUES));
        }
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                out.add(new Problem(at + "/" + i, "empty value"));
            }
        }
    }

    private static void group(List<Problem> out, String at, String group, Set<String> known, boolean required) {
        if (group == null) {
            if (required) {
                out.add(new Problem(at, "missing: the computer group to approve for (e.g. All Computers)"));
            }
            return;
        }
        if (name(out, at, group, "group") && !known.contains(group.trim().toLowerCase(Locale.ROOT))) {
            out.add(new Problem(at, "group " + quote(group) + " is neither built in (All Computers, Unassigned"
                    + " Computers) nor listed in groups"));
        }
    }

    private static boolean name(List<Problem> out, String at, String name, String what) {
        if (name == null || name.isBlank()) {
            out.add(new Problem(at, what + " is empty"));
            return false;
        }
        if (name.trim().length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            out.add(new Problem(at, what + " " + quote(name) + " is longer than " + MAX_NAME
                    + " characters or holds control characters"));
            return false;
        }
        return true;
    }

    /** {@code Install} or {@code Uninstall} for {@code v} in any case, else null. */
    static String action(String v) {
        if (v == null) {
            return Approval.INSTALL;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "install" -> Approval.INSTALL;
            case "uninstall" -> Approval.UNINSTALL;
            default -> null;
        };
    }

    /** A UTC time, a time with an offset, or a date (midnight UTC); null if it is none of them. */
    static Instant deadline(String v) {
        String s = v.trim();
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    /**
     * The carried form of a set {@link #check(boolean) check(false)} found no problem in, with {@code categories}
     * mapping each product and each classification as written (trimmed) to its category id.
     *
     * @param products        the exporter's resolution of product names or ids to lower-case category ids
     * @param classifications the same for classifications
     */
    public ApprovalSet normalized(java.util.function.UnaryOperator<String> products,
                                  java.util.function.UnaryOperator<String> classifications) {
        List<Group> g = new ArrayList<>();
        for (Group x : groups) {
            g.add(new Group(x.name().trim(), x.parent() == null ? null : x.parent().trim()));
        }
        List<Approve> a = new ArrayList<>();
        for (Approve x : approvals) {
            Instant d = x.deadline() == null ? null : deadline(x.deadline());
            a.add(new Approve(ids(x.update()), kbs(x.kb()), map(x.product(), products),
                    map(x.classification(), classifications), x.group().trim(), action(x.action()),
                    d == null ? null : d.toString()));
        }
        List<Decline> d = new ArrayList<>();
        for (Decline x : declines) {
            d.add(new Decline(ids(x.update()), kbs(x.kb()), map(x.product(), products),
                    map(x.classification(), classifications)));
        }
        List<Rule> r = new ArrayList<>();
        for (Rule x : rules) {
            r.add(new Rule(x.name().trim(), map(x.product(), products), map(x.classification(), classifications),
                    x.group() == null ? TargetGroup.ALL_COMPUTERS_NAME : x.group().trim()));
        }
        return new ApprovalSet(FORMAT_VERSION, g, a, d, r);
    }

    private static List<String> ids(List<String> l) {
        return l.stream().map(v -> v.trim().toLowerCase(Locale.ROOT)).distinct().toList();
    }

    private static List<String> kbs(List<String> l) {
        List<String> out = new ArrayList<>();
        for (String v : l) {
            var m = KB.matcher(v.trim());
            m.matches();
            String n = m.group(1).replaceFirst("^0+(?=.)", "");
            if (!out.contains(n)) {
                out.add(n);
            }
        }
        return out;
    }

    private static List<String> map(List<String> l, java.util.function.UnaryOperator<String> f) {
        return l.stream().map(v -> f.apply(v.trim())).distinct().toList();
    }

    private static String quote(String s) {
        return ferry.store.Ids.quote(s);
    }
}
