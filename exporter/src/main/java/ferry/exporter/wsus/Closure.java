package ferry.exporter.wsus;

import ferry.exporter.ExportException;
import ferry.wsus.UpdateIdentity;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The revisions an export must carry so that the isolated side can use what was selected: the roots (listed
 * for the selection), and transitively every prerequisite (bare and AtLeastOne; category groups name the
 * product and classification, whose own documents name their ProductFamily and Company) and every bundled
 * update, at the revision the bundle names.
 *
 * <p>Prerequisites name an update without a revision: the revision is the one the upstream listed (the
 * GetConfig=true list for categories and detectoids, the selection's list otherwise). A prerequisite in neither
 * list, or a bundled revision the upstream will not return, is recorded as an {@link UnresolvedReference}.
 * Revisions in {@code skip} (already exported on the channel) are neither fetched nor followed: the isolated
 * side has them, and their own references were followed when they were exported.
 */
final class Closure {

    /** Fetches revisions from the upstream; those it does not have come back as missing. */
    @FunctionalInterface
    interface Source {
        Upstream.Fetched fetch(List<UpdateIdentity> ids) throws ExportException;
    }

    /** The closure: included revisions in discovery order, and what could not be followed. */
    record Result(Map<UpdateIdentity, FetchedUpdate> included, List<UnresolvedReference> unresolved) {
    }

    private record Referrer(UpdateIdentity by, String relation) {
    }

    private final Map<String, FetchedUpdate> configById;
    private final Map<String, UpdateIdentity> listedById;
    private final Set<UpdateIdentity> skip;
    private final Set<String> skipIds = new HashSet<>();
    private final Source source;

    private final Map<UpdateIdentity, FetchedUpdate> included = new LinkedHashMap<>();
    private final Map<UpdateIdentity, Referrer> wanted = new HashMap<>();
    private final Deque<UpdateIdentity> pending = new ArrayDeque<>();
    private final Map<String, UnresolvedReference> unresolved = new LinkedHashMap<>();

    /**
     * @param configById categories and detectoids already received, by update GUID (never fetched again)
     * @param listedById the selection's listed revisions by update GUID
     * @param skip       revisions already exported on the channel
     */
    Closure(Map<String, FetchedUpdate> configById, Collection<UpdateIdentity> listed, Set<UpdateIdentity> skip,
            Source source) {
        this.configById = configById;
        this.listedById = new HashMap<>();
        for (UpdateIdentity id : listed) {
            listedById.merge(id.updateId(), id, (a, b) -> a.revisionNumber() >= b.revisionNumber() ? a : b);
        }
        this.skip = skip;
        skip.forEach(id -> skipIds.add(id.updateId()));
        this.source = source;
    }

    Result compute(Collection<UpdateIdentity> roots) throws ExportException {
        for (UpdateIdentity r : roots) {
            want(r, new Referrer(null, "selected"));
        }
        while (!pending.isEmpty()) {
            List<UpdateIdentity> batch = new ArrayList<>(pending);
            pending.clear();
            List<UpdateIdentity> remote = batch.stream().filter(id -> config(id) == null).toList();
            Upstream.Fetched fetched = remote.isEmpty() ? new Upstream.Fetched(Map.of(), List.of()) : source.fetch(remote);
            for (UpdateIdentity id : batch) {
                FetchedUpdate u = config(id) != null ? config(id) : fetched.updates().get(id);
                if (u == null) {
                    Referrer r = wanted.get(id);
                    unresolved(id.updateId(), id.revisionNumber(), r, "the upstream does not have this revision");
                    continue;
                }
                included.put(id, u);
                for (String p : u.prerequisiteIds()) {
                    prerequisite(p, u.identity());
                }
                for (UpdateIdentity b : u.bundled()) {
                    want(b, new Referrer(u.identity(), "bundled"));
                }
            }
        }
        // a prerequisite met by a revision that arrived later as a bundled update is resolved after all
        Set<String> includedIds = new HashSet<>();
        included.keySet().forEach(id -> includedIds.add(id.updateId()));
        List<UnresolvedReference> out = unresolved.values().stream()
                .filter(u -> u.revisionNumber() != null || !includedIds.contains(u.updateId())).toList();
        return new Result(included, out);
    }

    private FetchedUpdate config(UpdateIdentity id) {
        FetchedUpdate c = configById.get(id.updateId());
        return c != null && c.identity().equals(id) ? c : null;
    }

    private void prerequisite(String updateId, UpdateIdentity by) {
        FetchedUpdate c = configById.get(updateId);
        UpdateIdentity id = c != null ? c.identity() : listedById.get(updateId);
        if (id != null) {
            want(id, new Referrer(by, "prerequisite"));
        } else if (!skipIds.contains(updateId)) {
            unresolved(updateId, null, new Referrer(by, "prerequisite"),
                    "not listed by the upstream: neither a category or detectoid nor in the selection");
        }
    }

    private void want(UpdateIdentity id, Referrer referrer) {
        if (skip.contains(id) || wanted.containsKey(id)) {
            return;
        }
        wanted.put(id, referrer);
        pending.add(id);
    }

    private void unresolved(String updateId, Integer revision, Referrer r, String reason) {
        String key = updateId + "/" + revision;
        unresolved.putIfAbsent(key, new UnresolvedReference(updateId, revision,
                r == null || r.by() == null ? null : r.by().toString(), r == null ? "selected" : r.relation(), reason));
    }
}
