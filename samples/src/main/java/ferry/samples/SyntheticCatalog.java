package ferry.samples;

import ferry.samples.UpdateXmlWriter.Bundled;
import ferry.samples.UpdateXmlWriter.FileRef;
import ferry.samples.UpdateXmlWriter.Localized;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A synthetic WSUS catalog of any size in the shape of the real documents (see {@code wsus-real/}), for measuring
 * the server at the scale of a full WSUS: companies, product families, products and the twelve Microsoft update
 * classifications, detectoids, then software updates, most with one to three files, some bundles whose leaves
 * carry the files, some superseding older updates of their product, some revised several times.
 *
 * <p>Proportions: 12 companies, 40 product families, 300 products, 12 classifications and 3,000 detectoids (about
 * the 4,275 categories and detectoids a real WSUS lists for GetConfig); products are popular by Zipf's law (the
 * most popular holds about a sixth of all updates, as Windows does), one update in ten belongs to two products;
 * one in ten is a bundle of one to six leaves; 30 % of updates are revised once or more (up to five times), each
 * later revision emitted some thousands of revisions after the one before. Documents are 1-8 KB of UTF-8, with
 * one to nine languages. Files are named, sized and digested (SHA-1 and SHA-256, random bytes) but never
 * generated: a catalog for metadata-only stores.
 *
 * <p>Everything is drawn from one {@link Random} seeded by the caller, in one order, so the same seed and size
 * give the same documents byte for byte. Memory: the revisions still to be emitted, a few MB at 500,000.
 */
public final class SyntheticCatalog {

    /** The twelve Microsoft update classifications (real GUIDs, as a real WSUS lists them). */
    public static final List<String[]> CLASSIFICATIONS = List.of(
            new String[] {SyntheticUpdates.SECURITY_UPDATES, "Security Updates"},
            new String[] {"cd5ffd1e-e932-4e3a-bf74-18bf0b1bbd83", "Updates"},
            new String[] {SyntheticUpdates.CRITICAL_UPDATES, "Critical Updates"},
            new String[] {SyntheticUpdates.DEFINITION_UPDATES, "Definition Updates"},
            new String[] {"ebfc1fc5-71a4-4f7b-9aca-3b9a503104a0", "Drivers"},
            new String[] {"28bc880e-0592-4cbf-8f95-c79b17911d5f", "Update Rollups"},
            new String[] {"b54e7d24-7add-428f-8b75-90a396fa584f", "Feature Packs"},
            new String[] {"68c5b0a3-d1a6-4553-ae49-01d3a7827828", "Service Packs"},
            new String[] {"b4832bd8-e735-4761-8daf-37f882276dab", "Tools"},
            new String[] {"3689bdc8-b205-4af4-8d4a-a63924c5e9d5", "Upgrades"},
            new String[] {"5c9376ab-8ce6-464a-b136-22113dd69801", "Applications"},
            new String[] {"77835c8d-62a7-41f5-82ad-f28d1af1e3b1", "Driver Sets"});
    /** How often each classification is drawn for an update, in the order of {@link #CLASSIFICATIONS}. */
    private static final int[] CLASSIFICATION_WEIGHTS = {30, 20, 10, 8, 10, 5, 3, 2, 3, 3, 3, 3};

    static final int COMPANIES = 12;
    static final int FAMILIES = 40;
    static final int PRODUCTS = 300;
    static final int DETECTOIDS = 3000;
    /** Revision number of an update's first revision, as on Microsoft Update. */
    static final int FIRST_REVISION = 200;

    private static final String[] LANGUAGES = {"en", "de", "fr", "ja", "es", "it", "zh-cn", "pt-br", "ko"};
    private static final String[] EXTENSIONS = {".msu", ".cab", ".exe", ".psf", ".esd"};
    private static final String DESCRIPTION = "A security issue has been identified in a Microsoft software product"
            + " that could affect your system. You can help protect your system by installing this update from"
            + " Microsoft. For a complete listing of the issues that are included in this update, see the associated"
            + " Microsoft Knowledge Base article. After you install this update, you may have to restart your system.";

    /** One generated document. */
    public record Document(String updateId, int revisionNumber, String xml) {
    }

    /** What was generated: counts, and the product × classification holding the most updates. */
    public record Summary(int revisions, int categories, int detectoids, int updates, int bundles, int leaves,
                          int laterRevisions, String largestProduct, String largestProductTitle,
                          String largestClassification, int largestSelectionUpdates) {
    }

    private final Random random;
    private final int size;
    private final String[] companies = new String[COMPANIES];
    private final String[] families = new String[FAMILIES];
    private final String[] products = new String[PRODUCTS];
    private final String[] productTitles = new String[PRODUCTS];
    private final String[] detectoids = new String[DETECTOIDS];
    private final double[] productCdf = new double[PRODUCTS];
    private final Map<Integer, Deque<String>> recentByProduct = new HashMap<>();
    private final int[][] selectionCounts = new int[PRODUCTS][CLASSIFICATIONS.size()];
    private int kb = 5_000_000;

    /**
     * @param seed     any number; the same seed and size give the same catalog
     * @param revisions how many revisions in all (categories and detectoids included); at least 4,000
     */
    public SyntheticCatalog(long seed, int revisions) {
        if (revisions < 4_000) {
            throw new IllegalArgumentException("at least 4000 revisions, not " + revisions);
        }
        this.random = new Random(seed);
        this.size = revisions;
        double h = 0;
        for (int i = 0; i < PRODUCTS; i++) {
            h += 1.0 / (i + 1);
            productCdf[i] = h;
        }
        for (int i = 0; i < PRODUCTS; i++) {
            productCdf[i] /= h;
        }
    }

    /** An update in progress: what every one of its revisions repeats. */
    private record Update(String id, int revisions, List<Integer> productIndexes, int classification,
                          String kb, List<Localized> localized, List<String> detectoids, List<String> superseded,
                          List<Bundled> bundled, List<FileRef> files) {
    }

    private record Pending(long due, int revision, Update update) {
    }

    /**
     * Generates every document, in the order a store would receive them: categories and detectoids first, then
     * updates (a bundle's leaves just before it), with later revisions interleaved some thousands of revisions
     * after the one before.
     *
     * @return what was generated
     */
    public Summary generate(Consumer<Document> out) {
        int emitted = 0;
        for (int i = 0; i < COMPANIES; i++) {
            companies[i] = uuid();
            out.accept(doc(companies[i], FIRST_REVISION, UpdateXmlWriter.category(companies[i], FIRST_REVISION,
                    "Company", "Synthetic Company " + (i + 1), "A software publisher (synthetic).", null)));
        }
        for (int i = 0; i < FAMILIES; i++) {
            families[i] = uuid();
            out.accept(doc(families[i], FIRST_REVISION, UpdateXmlWriter.category(families[i], FIRST_REVISION,
                    "ProductFamily", "Product Family " + (i + 1), "A family of products (synthetic).",
                    companies[i % COMPANIES])));
        }
        for (int i = 0; i < PRODUCTS; i++) {
            products[i] = uuid();
            productTitles[i] = "Synthetic Product " + (i + 1);
            out.accept(doc(products[i], FIRST_REVISION, UpdateXmlWriter.category(products[i], FIRST_REVISION,
                    "Product", productTitles[i], "Updates for " + productTitles[i] + " (synthetic).",
                    families[i % FAMILIES])));
        }
        for (String[] c : CLASSIFICATIONS) {
            out.accept(doc(c[0], FIRST_REVISION, UpdateXmlWriter.category(c[0], FIRST_REVISION,
                    "UpdateClassification", c[1], "Microsoft update classification " + c[1] + ".", null)));
        }
        for (int i = 0; i < DETECTOIDS; i++) {
            detectoids[i] = uuid();
            out.accept(doc(detectoids[i], FIRST_REVISION, UpdateXmlWriter.detectoid(detectoids[i], FIRST_REVISION,
                    "Synthetic detectoid " + (i + 1), "SOFTWARE\\Synthetic\\Detectoid\\" + (i + 1))));
        }
        int categories = COMPANIES + FAMILIES + PRODUCTS + CLASSIFICATIONS.size();
        emitted = categories + DETECTOIDS;

        int updates = 0;
        int bundles = 0;
        int leaves = 0;
        int later = 0;
        PriorityQueue<Pending> pending = new PriorityQueue<>((a, b) -> Long.compare(a.due(), b.due()));
        int reserved = 0; // later revisions already promised to the queue
        while (emitted < size) {
            while (!pending.isEmpty() && pending.peek().due() <= emitted) {
                Pending p = pending.poll();
                out.accept(software(p.update(), p.revision()));
                emitted++;
                reserved--;
                later++;
            }
            int room = size - emitted - reserved;
            if (room <= 0) {
                // only promised revisions are left: emit them now
                Pending p = pending.poll();
                out.accept(software(p.update(), p.revision()));
                emitted++;
                reserved--;
                later++;
                continue;
            }
            int leafCount = random.nextInt(10) == 0 ? 1 + random.nextInt(6) : 0;
            if (leafCount + 1 > room) {
                leafCount = 0;
            }
            int revisions = revisionCount();
            revisions = Math.min(revisions, room - leafCount);
            List<Bundled> bundled = new ArrayList<>();
            for (int i = 0; i < leafCount; i++) {
                Update leaf = newUpdate(1, List.of(), -1, List.of(), files(), List.of());
                out.accept(software(leaf, FIRST_REVISION));
                bundled.add(new Bundled(leaf.id(), FIRST_REVISION));
                emitted++;
                leaves++;
            }
            List<Integer> productIndexes = new ArrayList<>();
            productIndexes.add(product());
            if (random.nextInt(10) == 0) {
                int second = product();
                if (second != productIndexes.get(0)) {
                    productIndexes.add(second);
                }
            }
            int classification = classification();
            Update u = newUpdate(revisions, productIndexes, classification, bundled,
                    bundled.isEmpty() ? files() : List.of(), superseded(productIndexes.get(0)));
            out.accept(software(u, FIRST_REVISION));
            emitted++;
            updates++;
            if (!bundled.isEmpty()) {
                bundles++;
            }
            long due = emitted;
            for (int r = 1; r < revisions; r++) {
                due += 1000 + random.nextInt(20_000); // each revision after the one before
                pending.add(new Pending(due, FIRST_REVISION + r, u));
                reserved++;
            }
            for (int p : productIndexes) {
                selectionCounts[p][classification]++;
                Deque<String> recent = recentByProduct.computeIfAbsent(p, k -> new ArrayDeque<>());
                recent.addFirst(u.id());
                if (recent.size() > 8) {
                    recent.removeLast();
                }
            }
        }
        if (!pending.isEmpty()) { // cannot happen: promised revisions always fit in the size
            throw new IllegalStateException(pending.size() + " revisions left over");
        }
        int bestP = 0;
        int bestC = 0;
        for (int p = 0; p < PRODUCTS; p++) {
            for (int c = 0; c < CLASSIFICATIONS.size(); c++) {
                if (selectionCounts[p][c] > selectionCounts[bestP][bestC]) {
                    bestP = p;
                    bestC = c;
                }
            }
        }
        return new Summary(emitted, categories, DETECTOIDS, updates, bundles, leaves, later, products[bestP],
                productTitles[bestP], CLASSIFICATIONS.get(bestC)[0], selectionCounts[bestP][bestC]);
    }

    private Update newUpdate(int revisions, List<Integer> productIndexes, int classification, List<Bundled> bundled,
                             List<FileRef> files, List<String> superseded) {
        String id = uuid();
        String number = Integer.toString(++kb);
        String what = classification < 0 ? "Package" : CLASSIFICATIONS.get(classification)[1].replaceAll("s$", "");
        String product = productIndexes.isEmpty() ? "a bundle" : productTitles[productIndexes.get(0)];
        String title = what + " for " + product + " (KB" + number + ")";
        List<Localized> localized = new ArrayList<>();
        int languages = 1 + random.nextInt(LANGUAGES.length);
        for (int i = 0; i < languages; i++) {
            localized.add(new Localized(LANGUAGES[i], i == 0 ? title : "[" + LANGUAGES[i] + "] " + title,
                    random.nextInt(3) == 0 ? null : DESCRIPTION));
        }
        List<String> needs = new ArrayList<>();
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            String d = detectoids[random.nextInt(DETECTOIDS)];
            if (!needs.contains(d)) {
                needs.add(d);
            }
        }
        return new Update(id, revisions, productIndexes, classification, number, localized, needs, superseded,
                bundled, files);
    }

    private Document software(Update u, int revision) {
        List<String> classification = u.classification() < 0 ? List.of()
                : List.of(CLASSIFICATIONS.get(u.classification())[0]);
        List<String> productIds = u.productIndexes().stream().map(i -> products[i]).toList();
        return doc(u.id(), revision, UpdateXmlWriter.software(u.id(), revision, u.localized(),
                u.classification() < 0 ? null : u.kb(), u.detectoids(), classification, productIds, u.superseded(),
                u.bundled(), u.files()));
    }

    private List<FileRef> files() {
        int n = 1 + (random.nextInt(10) < 6 ? 0 : random.nextInt(10) < 6 ? 1 : 2);
        List<FileRef> out = new ArrayList<>(n);
        byte[] sha1 = new byte[20];
        byte[] sha256 = new byte[32];
        for (int i = 0; i < n; i++) {
            random.nextBytes(sha1);
            random.nextBytes(sha256);
            long size = (long) Math.exp(11 + random.nextDouble() * 9); // 60 KB to 500 MB, log-uniform
            String name = "windows10.0-kb" + (kb + 1) + "-x" + (random.nextBoolean() ? "64" : "86") + "_"
                    + Long.toHexString(random.nextLong() & 0xffffffffffL)
                    + EXTENSIONS[random.nextInt(EXTENSIONS.length)];
            out.add(new FileRef(name, size, Base64.getEncoder().encodeToString(sha1),
                    Base64.getEncoder().encodeToString(sha256)));
        }
        return out;
    }

    private List<String> superseded(int product) {
        Deque<String> recent = recentByProduct.get(product);
        if (recent == null || random.nextInt(10) >= 3) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        int n = 1 + random.nextInt(Math.min(3, recent.size()));
        for (String id : recent) {
            if (out.size() == n) {
                break;
            }
            out.add(id);
        }
        return out;
    }

    private int revisionCount() {
        int r = random.nextInt(100);
        return r < 70 ? 1 : r < 88 ? 2 : r < 96 ? 3 : 4 + random.nextInt(3);
    }

    private int product() {
        double x = random.nextDouble();
        for (int i = 0; i < PRODUCTS; i++) {
            if (x <= productCdf[i]) {
                return i;
            }
        }
        return PRODUCTS - 1;
    }

    private int classification() {
        int x = random.nextInt(100);
        for (int i = 0; i < CLASSIFICATION_WEIGHTS.length; i++) {
            x -= CLASSIFICATION_WEIGHTS[i];
            if (x < 0) {
                return i;
            }
        }
        return 0;
    }

    private String uuid() {
        long hi = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lo = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(hi, lo).toString();
    }

    private static Document doc(String id, int revision, String xml) {
        return new Document(id, revision, xml);
    }
}
