package ferry.store;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** {@link Store#check}: compares the catalog with the objects and optionally rehashes every object. */
final class StoreChecker {
    private final ObjectStore objects;
    private final List<SourceCatalog> sources;

    StoreChecker(ObjectStore objects, List<SourceCatalog> sources) {
        this.objects = objects;
        this.sources = sources;
    }

    /** What the catalog says about each referenced object. */
    private record Use(String what, Long size) {
    }

    CheckReport check(Connection c, Set<String> journaled, boolean rehash, CheckProgress progress)
            throws SQLException, IOException {
        Map<String, Use> referenced = references(c);
        Map<String, Long> found = new TreeMap<>();
        List<String> strays = new ArrayList<>();
        objects.list(found, strays);
        long totalBytes = found.values().stream().mapToLong(Long::longValue).sum();

        List<CheckReport.Problem> damaged = new ArrayList<>();
        long hashed = 0;
        progress.begin(rehash ? totalBytes : 0);
        try {
            for (Map.Entry<String, Long> o : found.entrySet()) {
                String sha = o.getKey();
                Use use = referenced.get(sha);
                String problem = null;
                if (use != null && use.size() != null && use.size().longValue() != o.getValue().longValue()) {
                    problem = "is " + o.getValue() + " bytes, the catalog says " + use.size();
                } else if (rehash) {
                    String actual = objects.hash(sha, progress::advance);
                    hashed += o.getValue();
                    if (!actual.equals(sha)) {
                        problem = "content has SHA-256 " + actual;
                    }
                }
                if (problem != null) {
                    objects.quarantine(sha);
                    damaged.add(new CheckReport.Problem(sha, problem + (use == null ? "" : "; " + use.what())
                            + "; moved to quarantine/"));
                }
            }
        } finally {
            progress.end();
        }

        List<CheckReport.Problem> missing = new ArrayList<>();
        for (Map.Entry<String, Use> r : referenced.entrySet()) {
            if (!found.containsKey(r.getKey())) {
                String why = objects.inQuarantine(r.getKey()) ? "damaged, in quarantine/" : "absent";
                missing.add(new CheckReport.Problem(r.getKey(), why + "; " + r.getValue().what()));
            }
        }
        for (CheckReport.Problem d : damaged) {
            if (referenced.containsKey(d.sha256())) {
                missing.add(new CheckReport.Problem(d.sha256(), "damaged, in quarantine/; "
                        + referenced.get(d.sha256()).what()));
            }
        }
        missing.sort(Comparator.comparing(CheckReport.Problem::sha256));
        damaged.sort(Comparator.comparing(CheckReport.Problem::sha256));
        List<String> unreferenced = new ArrayList<>();
        List<String> unfinished = new ArrayList<>();
        for (String sha : found.keySet()) {
            if (referenced.containsKey(sha) || damaged.stream().anyMatch(d -> d.sha256().equals(sha))) {
                continue;
            }
            (journaled.contains(sha) ? unfinished : unreferenced).add(sha);
        }
        strays.sort(null);
        return new CheckReport(found.size(), totalBytes, referenced.size(), rehash, hashed, missing, damaged,
                unreferenced, strays, unfinished);
    }

    // The first use of each object is enough to tell the operator what is affected.
    private Map<String, Use> references(Connection c) throws SQLException {
        Map<String, Use> out = new TreeMap<>();
        for (SourceCatalog source : sources) {
            source.references(c, (sha256, what, size) -> out.putIfAbsent(sha256, new Use(what, size)));
        }
        return out;
    }
}
