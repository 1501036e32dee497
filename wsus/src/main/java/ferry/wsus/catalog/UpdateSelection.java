package ferry.wsus.catalog;

import ferry.store.Ids;
import ferry.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Resolves an {@link UpdateSelector} against the stored updates, on the caller's connection: names to category ids,
 * KB numbers and ids to updates, every list intersected. Refuses with {@link ApprovalException}, naming the value at
 * fault, whatever an operator cannot have meant.
 */
final class UpdateSelection {
    private static final Pattern GUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern KB = Pattern.compile("(?i)(?:KB)?([0-9]{1,12})");
    private static final String LATEST = "r.revision_number = (SELECT MAX(m.revision_number) FROM wsus_update_revision m"
            + " WHERE m.update_id = r.update_id)";

    private UpdateSelection() {
    }

    static List<WsusAdministration.SelectedUpdate> select(Connection c, UpdateSelector sel) throws SQLException {
        if (sel.isEmpty()) {
            throw new ApprovalException("name the updates: --update, --kb, --product or --classification");
        }
        Set<String> chosen = null;
        if (!sel.updateIds().isEmpty()) {
            chosen = explicit(c, sel.updateIds());
        }
        if (!sel.kbArticles().isEmpty()) {
            chosen = intersect(chosen, byKb(c, sel.kbArticles()));
        }
        if (!sel.products().isEmpty()) {
            chosen = intersect(chosen, inCategories(c, categories(c, sel.products(), "Product", "product")));
        }
        if (!sel.classifications().isEmpty()) {
            chosen = intersect(chosen, inCategories(c, categories(c, sel.classifications(), "UpdateClassification",
                    "classification")));
        }
        if (sel.updateIds().isEmpty()) {
            chosen.removeAll(bundledBy(c, chosen).keySet());
        }
        if (chosen.isEmpty()) {
            throw new ApprovalException("no stored software or driver update matches " + describe(sel)
                    + (sel.updateIds().isEmpty() ? " (updates contained in a bundle follow their bundle)" : ""));
        }
        return details(c, chosen);
    }

    /**
     * The updates a selector of a carried approval set ({@link ApprovalSet}, products and classifications by id)
     * names in the store, never refusing: an update id stays even when the store does not hold the update yet (the
     * approval waits for the import that brings it), unless the store holds it as something other than a software or
     * driver update or as a member of a bundle; KB numbers and categories that match nothing give nothing.
     */
    static Set<String> resolveCarried(Connection c, UpdateSelector sel) throws SQLException {
        Set<String> chosen = null;
        if (!sel.updateIds().isEmpty()) {
            Set<String> ids = new LinkedHashSet<>(sel.updateIds());
            Map<String, String> bundles = bundledBy(c, ids);
            for (WsusAdministration.SelectedUpdate u : details(c, ids)) {
                if (!u.updateType().equals("Software") && !u.updateType().equals("Driver")) {
                    ids.remove(u.updateId());
                }
            }
            ids.removeAll(bundles.keySet());
            chosen = ids;
        }
        if (!sel.kbArticles().isEmpty()) {
            Set<String> byKb = new LinkedHashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT r.update_id FROM wsus_update_revision r"
                    + " WHERE r.kb_article = ANY(?) AND r.update_type IN ('Software', 'Driver') AND " + LATEST)) {
                ps.setArray(1, WsusQueries.varchars(c, sel.kbArticles()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byKb.add(rs.getString(1));
                    }
                }
            }
            chosen = intersect(chosen, byKb);
        }
        if (!sel.products().isEmpty()) {
            chosen = intersect(chosen, inCategories(c, new LinkedHashSet<>(sel.products())));
        }
        if (!sel.classifications().isEmpty()) {
            chosen = intersect(chosen, inCategories(c, new LinkedHashSet<>(sel.classifications())));
        }
        if (chosen == null) {
            return new LinkedHashSet<>();
        }
        if (sel.updateIds().isEmpty()) {
            chosen.removeAll(bundledBy(c, chosen).keySet());
        }
        return chosen;
    }

    static String describe(UpdateSelector sel) {
        List<String> parts = new ArrayList<>();
        sel.updateIds().forEach(v -> parts.add("--update " + v));
        sel.kbArticles().forEach(v -> parts.add("--kb " + v));
        sel.products().forEach(v -> parts.add("--product " + Ids.quote(v)));
        sel.classifications().forEach(v -> parts.add("--classification " + Ids.quote(v)));
        return String.join(" ", parts);
    }

    private static Set<String> intersect(Set<String> a, Set<String> b) {
        if (a == null) {
            return b;
        }
        a.retainAll(b);
        return a;
    }

    private static String guid(String id, String what) {
        try {
            return Ids.guid(id, what);
        } catch (StoreException e) {
            throw new ApprovalException(e.getMessage());
        }
    }

    private static Set<String> explicit(Connection c, List<String> ids) throws SQLException {
        Set<String> out = new LinkedHashSet<>();
        for (String id : ids) {
            out.add(guid(id.trim(), "update"));
        }
        Map<String, WsusAdministration.SelectedUpdate> found = new HashMap<>();
        details(c, out).forEach(u -> found.put(u.updateId(), u));
        Map<String, String> bundles = bundledBy(c, out);
        for (String id : out) {
            WsusAdministration.SelectedUpdate u = found.get(id);
            if (u == null) {
                throw new ApprovalException("update " + id + " is not in the store");
            }
            if (!u.updateType().equals("Software") && !u.updateType().equals("Driver")) {
                throw new ApprovalException("update " + id + " (" + u.title() + ") is a " + u.updateType()
                        + ": only software and driver updates are approved or declined");
            }
            String bundle = bundles.get(id);
            if (bundle != null) {
                throw new ApprovalException("update " + id + " (" + u.title() + ") is contained in bundle " + bundle
                        + ": approve or decline that bundle, its contents follow it");
            }
        }
        return out;
    }

    private static Set<String> byKb(Connection c, List<String> kbs) throws SQLException {
        Set<String> numbers = new LinkedHashSet<>();
        for (String kb : kbs) {
            var m = KB.matcher(kb.trim());
            if (!m.matches()) {
                throw new ApprovalException("KB number " + Ids.quote(kb) + " is not a number (e.g. 5034441 or KB5034441)");
            }
            numbers.add(m.group(1).replaceFirst("^0+(?=.)", ""));
        }
        Map<String, Set<String>> byNumber = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT r.kb_article, r.update_id FROM wsus_update_revision r"
                + " WHERE r.kb_article = ANY(?) AND r.update_type IN ('Software', 'Driver') AND " + LATEST)) {
            ps.setArray(1, WsusQueries.varchars(c, numbers));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byNumber.computeIfAbsent(rs.getString(1), k -> new LinkedHashSet<>()).add(rs.getString(2));
                }
            }
        }
        Set<String> out = new LinkedHashSet<>();
        for (String n : numbers) {
            Set<String> ids = byNumber.get(n);
            if (ids == null) {
                throw new ApprovalException("no stored software or driver update has KB" + n);
            }
            out.addAll(ids);
        }
        return out;
    }

    /**
     * The ids of the stored categories of {@code categoryType} that {@code names} name: by title (case ignored) or
     * by id.
     */
    static Set<String> categories(Connection c, List<String> names, String categoryType, String what)
            throws SQLException {
        return categories(c, names, categoryType, what, false);
    }

    /**
     * As {@link #categories(Connection, List, String, String)}; with {@code unknownIds} an id the store does not hold
     * as any category is taken as it is (a rule may name a category that a later import brings).
     */
    static Set<String> categories(Connection c, List<String> names, String categoryType, String what,
                                  boolean unknownIds) throws SQLException {
        Map<String, String> titles = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT r.update_id, r.title FROM wsus_update_revision r"
                + " WHERE r.category_type = ? AND " + LATEST + " ORDER BY r.update_id")) {
            ps.setString(1, categoryType);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    titles.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        Set<String> out = new LinkedHashSet<>();
        for (String name : names) {
            String key = name.trim().toLowerCase(Locale.ROOT);
            if (titles.containsKey(key)) {
                out.add(key);
                continue;
            }
            List<String> matches = new ArrayList<>();
            titles.forEach((id, title) -> {
                if (title != null && title.trim().toLowerCase(Locale.ROOT).equals(key)) {
                    matches.add(id);
                }
            });
            if (matches.isEmpty() && unknownIds && GUID.matcher(key).matches()) {
                String stored = storedCategoryType(c, key);
                if (stored != null) {
                    throw new ApprovalException(what + " " + key + " is a " + stored + " in the store, not a " + what);
                }
                out.add(key);
                continue;
            }
            if (matches.isEmpty()) {
                throw new ApprovalException("no " + what + " named " + Ids.quote(name) + " in the store"
                        + (unknownIds ? " (one the store does not hold yet can be named by id)" : ""));
            }
            if (matches.size() > 1) {
                throw new ApprovalException(what + " name " + Ids.quote(name) + " is ambiguous: " + matches.size()
                        + " " + what + "s have it (" + String.join(", ", matches) + "); name one by id");
            }
            out.add(matches.get(0));
        }
        return out;
    }

    private static String storedCategoryType(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(category_type, update_type)"
                + " FROM wsus_update_revision WHERE update_id = ? ORDER BY revision_number DESC LIMIT 1")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static Set<String> inCategories(Connection c, Set<String> categoryIds) throws SQLException {
        Set<String> out = new LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT update_id FROM wsus_latest_category"
                + " WHERE category_id = ANY(?) AND update_type IN ('Software', 'Driver')")) {
            ps.setArray(1, WsusQueries.varchars(c, categoryIds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** Of {@code updateIds}, those a stored revision bundles, each with one update that bundles it. */
    static Map<String, String> bundledBy(Connection c, Collection<String> updateIds) throws SQLException {
        Map<String, String> out = new HashMap<>();
        if (updateIds.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT bundled_update_id, MIN(update_id)"
                + " FROM wsus_bundled_update WHERE bundled_update_id = ANY(?) GROUP BY bundled_update_id")) {
            ps.setArray(1, WsusQueries.varchars(c, updateIds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    /** The latest stored revision of each of {@code updateIds} that is stored, by title then id. */
    static List<WsusAdministration.SelectedUpdate> details(Connection c, Collection<String> updateIds)
            throws SQLException {
        List<WsusAdministration.SelectedUpdate> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT r.update_id, r.revision_number, r.update_type, r.title,"
                + " r.kb_article FROM wsus_update_revision r WHERE r.update_id = ANY(?) AND " + LATEST
                + " ORDER BY r.title, r.update_id")) {
            ps.setArray(1, WsusQueries.varchars(c, updateIds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new WsusAdministration.SelectedUpdate(rs.getString(1), rs.getInt(2), rs.getString(3),
                            rs.getString(4), rs.getString(5)));
                }
            }
        }
        return out;
    }
}
