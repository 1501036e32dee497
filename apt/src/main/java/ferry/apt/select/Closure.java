package ferry.apt.select;

import ferry.apt.index.PackageEntry;
import ferry.apt.index.Relation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The packages an operator's selection needs: the selected packages and, transitively, what their
 * {@code Pre-Depends} and {@code Depends} (and, if asked, {@code Recommends}) require, over the packages of the
 * mirrored indexes for one architecture (plus {@code all}). A relation is met by a real package of that name or by
 * a package that {@code Provides} it, with the version constraint checked against the real version or the provided
 * one (an unversioned Provides meets no versioned relation, as Debian Policy 7.5 says). Among alternatives the
 * first that can be met is taken, unless another is already selected; among candidates the highest version.
 * Anything that cannot be met is reported by package, field and relation; nothing is dropped silently.
 */
public final class Closure {

    /** A relation no mirrored package meets: who needs it, through which field. */
    public record Unsatisfied(String packageName, String field, String relation) {
        @Override
        public String toString() {
            return packageName + " " + field + ": " + relation;
        }
    }

    /** The packages to carry, sorted by name, and what could not be met. */
    public record Result(List<PackageEntry> packages, List<Unsatisfied> unsatisfied) {
        public Result {
            packages = List.copyOf(packages);
            unsatisfied = List.copyOf(unsatisfied);
        }
    }

    private final String architecture;
    private final Map<String, List<PackageEntry>> byName = new HashMap<>();
    private final Map<String, List<Provider>> providers = new HashMap<>();

    private record Provider(PackageEntry entry, Relation provided) {
    }

    /**
     * @param universe     the entries of the mirrored Packages indexes
     * @param architecture the native architecture (e.g. {@code amd64}); entries of other architectures than it and
     *                     {@code all} are only used for relations qualified with their architecture
     */
    public Closure(List<PackageEntry> universe, String architecture) {
        this.architecture = architecture;
        for (PackageEntry e : universe) {
            byName.computeIfAbsent(e.name(), k -> new ArrayList<>()).add(e);
            for (Relation p : e.provides()) {
                providers.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(new Provider(e, p));
            }
        }
    }

    /**
     * @param selection    package names or glob patterns ({@code *}, {@code ?}); one that matches nothing is
     *                     reported as unsatisfied with field {@code selection}
     * @param recommends   whether {@code Recommends} are followed too
     */
    public Result resolve(List<String> selection, boolean recommends) {
        Map<String, PackageEntry> chosen = new LinkedHashMap<>(); // by name: one version of each package
        List<Unsatisfied> unsatisfied = new ArrayList<>();
        Deque<PackageEntry> todo = new ArrayDeque<>();
        for (String s : selection) {
            List<PackageEntry> matched = matching(s);
            if (matched.isEmpty()) {
                unsatisfied.add(new Unsatisfied(s, "selection", "no package of architecture " + architecture
                        + " or all matches"));
            }
            for (PackageEntry e : matched) {
                add(e, chosen, todo);
            }
        }
        while (!todo.isEmpty()) {
            PackageEntry e = todo.removeFirst();
            follow(e, e.preDepends(), "Pre-Depends", chosen, todo, unsatisfied);
            follow(e, e.depends(), "Depends", chosen, todo, unsatisfied);
            if (recommends) {
                follow(e, e.recommends(), "Recommends", chosen, todo, unsatisfied);
            }
        }
        List<PackageEntry> out = new ArrayList<>(chosen.values());
        out.sort(Comparator.comparing(PackageEntry::name).thenComparing(PackageEntry::architecture));
        return new Result(out, unsatisfied);
    }

    private void follow(PackageEntry from, List<List<Relation>> clauses, String field, Map<String, PackageEntry> chosen,
                        Deque<PackageEntry> todo, List<Unsatisfied> unsatisfied) {
        for (List<Relation> clause : clauses) {
            PackageEntry pick = null;
            for (Relation r : clause) {
                PackageEntry already = alreadyChosen(r, chosen);
                if (already != null) {
                    pick = already;
                    break;
                }
            }
            if (pick != null) {
                continue;
            }
            for (Relation r : clause) {
                pick = best(r);
                if (pick != null) {
                    break;
                }
            }
            if (pick == null) {
                unsatisfied.add(new Unsatisfied(from.name(), field, String.join(" | ",
                        clause.stream().map(Relation::toString).toList())));
            } else {
                add(pick, chosen, todo);
            }
        }
    }

    private PackageEntry alreadyChosen(Relation r, Map<String, PackageEntry> chosen) {
        PackageEntry real = chosen.get(key(r.name(), r));
        if (real != null && r.satisfiedBy(real.version())) {
            return real;
        }
        for (Provider p : providers.getOrDefault(r.name(), List.of())) {
            if (chosen.get(key(p.entry().name(), p.entry())) == p.entry() && meets(p, r)) {
                return p.entry();
            }
        }
        return null;
    }

    /** The highest-versioned package meeting {@code r}: real packages of that name first, then providers. */
    private PackageEntry best(Relation r) {
        PackageEntry best = null;
        for (PackageEntry e : byName.getOrDefault(r.name(), List.of())) {
            if (archFits(e, r) && r.satisfiedBy(e.version()) && (best == null || e.version().compareTo(best.version()) > 0)) {
                best = e;
            }
        }
        if (best != null) {
            return best;
        }
        for (Provider p : providers.getOrDefault(r.name(), List.of())) {
            if (archFits(p.entry(), r) && meets(p, r)
                    && (best == null || p.entry().version().compareTo(best.version()) > 0)) {
                best = p.entry();
            }
        }
        return best;
    }

    private static boolean meets(Provider p, Relation r) {
        // Policy 7.5: a versioned relation is met only by a versioned Provides
        return r.operator() == null || p.provided().operator() != null && r.satisfiedBy(p.provided().version());
    }

    private boolean archFits(PackageEntry e, Relation r) {
        String q = r.archQualifier();
        if (q == null || q.equals("any") || q.equals("native")) {
            return e.architecture().equals(architecture) || e.architecture().equals("all");
        }
        return e.architecture().equals(q);
    }

    private void add(PackageEntry e, Map<String, PackageEntry> chosen, Deque<PackageEntry> todo) {
        String k = key(e.name(), e);
        PackageEntry had = chosen.get(k);
        if (had == null) {
            chosen.put(k, e);
            todo.addLast(e);
        }
    }

    private String key(String name, PackageEntry e) {
        return e.architecture().equals("all") || e.architecture().equals(architecture) ? name : name + ":" + e.architecture();
    }

    private String key(String name, Relation r) {
        String q = r.archQualifier();
        return q == null || q.equals("any") || q.equals("native") || q.equals(architecture) ? name : name + ":" + q;
    }

    private List<PackageEntry> matching(String selection) {
        List<PackageEntry> out = new ArrayList<>();
        if (selection.indexOf('*') < 0 && selection.indexOf('?') < 0) {
            PackageEntry best = null;
            for (PackageEntry e : byName.getOrDefault(selection, List.of())) {
                if ((e.architecture().equals(architecture) || e.architecture().equals("all"))
                        && (best == null || e.version().compareTo(best.version()) > 0)) {
                    best = e;
                }
            }
            if (best != null) {
                out.add(best);
            }
            return out;
        }
        StringBuilder regex = new StringBuilder();
        for (char c : selection.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        Pattern glob = Pattern.compile(regex.toString());
        for (String name : byName.keySet().stream().sorted().toList()) {
            if (glob.matcher(name).matches()) {
                out.addAll(matching(name));
            }
        }
        return out;
    }
}
