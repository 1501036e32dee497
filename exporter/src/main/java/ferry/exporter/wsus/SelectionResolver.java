package ferry.exporter.wsus;

import ferry.exporter.SelectionException;
import ferry.wsus.metadata.CategoryType;
import ferry.wsus.soap.Messages.LanguageData;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Turns product and classification names into category GUIDs using the upstream's own category documents
 * (received with GetConfig=true, MS-WSUSSS 3.2.4.2), and language codes into LCIDs.
 *
 * <p>Products must be {@code CategoryType="Product"}: a ProductFamily or Company is refused (its products are
 * listed in the message) because GetRevisionIdList filters by the categories an update names, and updates name
 * their product, not its family. Titles match case-insensitively and exactly; a GUID must name a category of the
 * right type too, so that a typo in a GUID fails as loudly as one in a title.
 */
final class SelectionResolver {

    private static final int MAX_LISTED = 15;

    private final Map<String, FetchedUpdate> categories;
    private final URI upstream;

    /** @param categories the upstream's category documents by update GUID */
    SelectionResolver(Map<String, FetchedUpdate> categories, URI upstream) {
        this.categories = categories;
        this.upstream = upstream;
    }

    Selection resolve(List<String> products, List<String> classifications, List<String> languages,
                      List<LanguageData> upstreamLanguages) throws SelectionException {
        List<CategoryRef> p = new ArrayList<>();
        for (String s : products) {
            add(p, resolve(s, CategoryType.PRODUCT, "product"));
        }
        List<CategoryRef> c = new ArrayList<>();
        for (String s : classifications) {
            add(c, resolve(s, CategoryType.UPDATE_CLASSIFICATION, "classification"));
        }
        List<Integer> lcids = new ArrayList<>();
        for (String code : languages) {
            lcids.add(language(code, upstreamLanguages));
        }
        return new Selection(p, c, languages, lcids);
    }

    private static void add(List<CategoryRef> list, CategoryRef ref) {
        if (!list.contains(ref)) {
            list.add(ref);
        }
    }

    /** One product or classification by GUID or title (case ignored). @throws SelectionException naming it */
    CategoryRef resolve(String requested, CategoryType type, String what) throws SelectionException {
        String id = guid(requested);
        if (id != null) {
            FetchedUpdate cat = categories.get(id);
            if (cat == null) {
                throw new SelectionException("no " + what + " " + id + " on upstream " + upstream, requested, List.of());
            }
            if (cat.categoryType() != type) {
                throw wrongType(requested, cat, type, what);
            }
            return new CategoryRef(id, cat.title());
        }
        List<FetchedUpdate> exact = categories.values().stream()
                .filter(u -> u.title().equalsIgnoreCase(requested)).toList();
        List<FetchedUpdate> ofType = exact.stream().filter(u -> u.categoryType() == type).toList();
        if (ofType.size() == 1) {
            return new CategoryRef(ofType.get(0).identity().updateId(), ofType.get(0).title());
        }
        if (ofType.size() > 1) {
            List<String> names = names(ofType);
            throw new SelectionException(what + " \"" + requested + "\" is ambiguous on upstream " + upstream
                    + ": " + String.join(", ", names) + "; give the GUID", requested, names);
        }
        if (!exact.isEmpty()) {
            throw wrongType(requested, exact.get(0), type, what);
        }
        List<FetchedUpdate> all = ofType(type);
        List<FetchedUpdate> close = all.stream().filter(u -> close(requested, u.title())).toList();
        if (!close.isEmpty()) {
            List<String> names = names(close);
            throw new SelectionException("no " + what + " \"" + requested + "\" on upstream " + upstream
                    + "; close names: " + listed(names), requested, names);
        }
        List<String> names = names(all);
        throw new SelectionException("no " + what + " \"" + requested + "\" on upstream " + upstream
                + (names.isEmpty() ? "; it lists none" : "; available: " + listed(names)), requested, names);
    }

    private SelectionException wrongType(String requested, FetchedUpdate cat, CategoryType type, String what) {
        String found = cat.categoryType() == null ? cat.type().xmlName() : cat.categoryType().xmlName();
        List<String> children = type == CategoryType.PRODUCT
                ? names(ofType(type).stream().filter(u -> u.prerequisiteIds().contains(cat.identity().updateId())).toList())
                : List.of();
        return new SelectionException("\"" + requested + "\" on upstream " + upstream + " is a " + found + ", not a "
                + type.xmlName() + (children.isEmpty() ? "" : "; select one of its products: " + listed(children)),
                requested, children);
    }

    private List<FetchedUpdate> ofType(CategoryType type) {
        return categories.values().stream().filter(u -> u.categoryType() == type).toList();
    }

    private static Integer language(String code, List<LanguageData> upstreamLanguages) throws SelectionException {
        for (LanguageData l : upstreamLanguages) {
            if (l.shortLanguage() != null && l.shortLanguage().equalsIgnoreCase(code)) {
                return l.languageId();
            }
        }
        List<String> codes = upstreamLanguages.stream().map(LanguageData::shortLanguage)
                .filter(s -> s != null && !s.isBlank()).sorted().toList();
        throw new SelectionException("the upstream offers no language \"" + code + "\""
                + (codes.isEmpty() ? "" : "; available: " + String.join(", ", codes)), code, codes);
    }

    private static String guid(String s) {
        if (s.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(s).toString().toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Close: one contains the other, or few edits apart (a typo). */
    static boolean close(String requested, String title) {
        String a = requested.toLowerCase(Locale.ROOT);
        String b = title.toLowerCase(Locale.ROOT);
        if (b.isEmpty()) {
            return false;
        }
        if (a.contains(b) || b.contains(a)) {
            return true;
        }
        return editDistance(a, b, Math.max(2, a.length() / 5)) >= 0;
    }

    /** Levenshtein distance, or -1 when it exceeds {@code max} (cut off early: titles are many). */
    private static int editDistance(String a, String b, int max) {
        if (Math.abs(a.length() - b.length()) > max) {
            return -1;
        }
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            int rowMin = cur[0];
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                rowMin = Math.min(rowMin, cur[j]);
            }
            if (rowMin > max) {
                return -1;
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()] <= max ? prev[b.length()] : -1;
    }

    private static List<String> names(Collection<FetchedUpdate> cats) {
        return cats.stream().sorted(Comparator.comparing(FetchedUpdate::title, String.CASE_INSENSITIVE_ORDER))
                .map(u -> u.title() + " (" + u.identity().updateId() + ")").toList();
    }

    private static String listed(List<String> names) {
        if (names.size() <= MAX_LISTED) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, MAX_LISTED)) + ", ... (" + names.size() + " in all)";
    }
}
