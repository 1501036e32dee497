package ferry.wsus.client;

import ferry.wsus.soap.Messages.IdAndDelta;
import ferry.wsus.soap.Messages.LanguageAndDelta;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * What to ask GetRevisionIdList for (MS-WSUSSS 3.1.4.5.3.1). Each product, classification and language carries
 * its own Delta flag: with an anchor, Delta=true asks only for revisions newer than the anchor, Delta=false for
 * all of them again (as recorded: same anchor, Delta=false returns everything, Delta=true nothing new). An
 * incremental run therefore sets Delta=true for ids selected at the anchor's time and false for newly selected
 * ones. The server returns updates in at least one listed product and at least one listed classification.
 *
 * @param anchor          the Anchor of the last successful GetRevisionIdList, or null for a first sync
 * @param products        product (category) GUIDs with Delta; empty = no product filter
 * @param classifications classification GUIDs with Delta; empty = no classification filter
 * @param languages       language ids (LCIDs) with Delta; empty = not sent
 */
public record RevisionFilter(String anchor, List<IdAndDelta> products, List<IdAndDelta> classifications,
                             List<LanguageAndDelta> languages) {

    public RevisionFilter {
        products = List.copyOf(products);
        classifications = List.copyOf(classifications);
        languages = List.copyOf(languages);
        for (IdAndDelta id : products) {
            UUID.fromString(id.id());
        }
        for (IdAndDelta id : classifications) {
            UUID.fromString(id.id());
        }
    }

    /** Everything the server has (no anchor, no filter); also the form for GetConfig=true on a first sync. */
    public static RevisionFilter everything() {
        return new RevisionFilter(null, List.of(), List.of(), List.of());
    }

    /** Only what changed since {@code anchor}, no product filter (GetConfig=true incremental). */
    public static RevisionFilter since(String anchor) {
        return new RevisionFilter(anchor, List.of(), List.of(), List.of());
    }

    /** A first (full) sync of the given products and classifications. */
    public static RevisionFilter full(Collection<String> productIds, Collection<String> classificationIds) {
        return new RevisionFilter(null, deltas(productIds, Set.of(), false), deltas(classificationIds, Set.of(), false),
                List.of());
    }

    /**
     * An incremental sync: ids in {@code newlySelected} get Delta=false (everything), the others Delta=true (only
     * what changed since {@code anchor}).
     */
    public static RevisionFilter incremental(String anchor, Collection<String> productIds,
                                             Collection<String> classificationIds, Set<String> newlySelected) {
        Set<String> fresh = lower(newlySelected);
        return new RevisionFilter(anchor, deltas(productIds, fresh, true), deltas(classificationIds, fresh, true),
                List.of());
    }

    /** The same filter with languages (LCIDs); Delta is true for all when there is an anchor. */
    public RevisionFilter withLanguages(Collection<Integer> lcids) {
        boolean delta = anchor != null;
        return new RevisionFilter(anchor, products, classifications,
                lcids.stream().map(l -> new LanguageAndDelta(l, delta)).toList());
    }

    private static List<IdAndDelta> deltas(Collection<String> ids, Set<String> fresh, boolean delta) {
        return ids.stream().map(id -> id.toLowerCase(Locale.ROOT)).distinct()
                .map(id -> new IdAndDelta(id, delta && !fresh.contains(id))).toList();
    }

    private static Set<String> lower(Set<String> ids) {
        return Set.copyOf(ids.stream().map(id -> id.toLowerCase(Locale.ROOT)).toList());
    }
}
